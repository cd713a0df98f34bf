from tests.access import ALL_LOGGED_IN, EVERYONE, SUBTREE, PageCase

HOLIDAY_EDITORS = frozenset({"street_admin"})

PAGE_CASES = [
    PageCase("home"),
    PageCase("set_language", method="post", data=lambda w: {"language": "en", "next": "/"},
             ok=frozenset({302}), public=True, allowed=EVERYONE),
    PageCase("health", public=True, allowed=EVERYONE),
    PageCase("core:notifications"),
    PageCase("core:todo_counts"),
    PageCase("core:notifications_read", method="post", ok=frozenset({302}), allowed=ALL_LOGGED_IN),
    PageCase("core:holidays", allowed=SUBTREE),
    PageCase("core:holidays", allowed=SUBTREE, query="?year=99999"),
    PageCase("core:holidays", allowed=HOLIDAY_EDITORS, method="post", ok=frozenset({302}),
             data=lambda w: {"first": "2027-10-01", "last": "2027-10-03", "kind": "holiday",
                             "festival": "national_day"}),
    PageCase("core:holidays_remove", allowed=HOLIDAY_EDITORS, method="post", ok=frozenset({302}),
             data=lambda w: {"first": "2026-10-01", "last": "2026-10-01"}),
    PageCase("core:holidays_year", own=lambda w: {"year": 2026}, allowed=HOLIDAY_EDITORS, method="post",
             ok=frozenset({302}), data=lambda w: {"action": "reopen"}),
]
