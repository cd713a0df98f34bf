"""The organization tree (street → community or village → branch → group), the places
they cover (grids, buildings, households) and the co-building units linked to communities."""
