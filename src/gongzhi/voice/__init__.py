"""Residents' voice: requests answered on receipt (接诉即办) with routing and working-day deadlines,
ratings, small wishes (微心愿) claimed by party members, and consultations (议事协商)."""
