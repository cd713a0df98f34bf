from tests.access import ALL_LOGGED_IN, EVERYONE, PageCase

PAGE_CASES = [
    PageCase("home"),
    PageCase("set_language", method="post", data=lambda w: {"language": "en", "next": "/"},
             ok=frozenset({302}), public=True, allowed=EVERYONE),
    PageCase("health", public=True, allowed=EVERYONE),
    PageCase("core:notifications"),
    PageCase("core:notifications_read", method="post", ok=frozenset({302}), allowed=ALL_LOGGED_IN),
]
