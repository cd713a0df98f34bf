"""Users and the roles they hold at organizations (with start and end dates); login by username or mobile
number, lockout, session limits; the administration of accounts and roles (one-time activation codes on
printed slips, granting within one's scope and rank, the security administrator and the auditor)."""
