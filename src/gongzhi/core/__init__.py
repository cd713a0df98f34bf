"""Shared machinery every app stands on: organization scoping, the audit log,
the personal-data registry and masking, ID-number validation, jobs and notifications."""
