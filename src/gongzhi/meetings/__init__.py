"""三会一课 and other meetings: planning, attendance, minutes, locking and amendments,
compliance with the required frequencies, reminders, and the annual appraisal of members."""
