"""Volunteer service: service teams, activities (single or recurring series), sign-ups with a waiting
list, QR check-in and check-out, service hours and the points they earn, no-shows, certificates."""
