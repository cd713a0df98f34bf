"""Care for residents in need (结对帮扶): care tags (elderly living alone, left-behind children …, sensitive),
pairing with a party member or a co-building unit, home visits and their overdue list, needs turned into
small wishes or requests."""
