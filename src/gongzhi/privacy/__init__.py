"""Personal data over its whole life: retention rules carried out by a scheduled task (anonymising rather
than deleting), and people's requests to correct or erase what Gongzhi holds about them (PIPL arts. 44–47)."""
