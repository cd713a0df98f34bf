"""The organization tree (street → community or village → branch → group), the places
they cover (grids, buildings, households) and the co-building units linked to communities;
their administration by role and level, ``gongzhi setup`` and the set-up import from spreadsheets."""
