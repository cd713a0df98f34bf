"""Users and the roles they hold at organizations (with start and end dates);
login by username or mobile number, lockout, session limits."""
