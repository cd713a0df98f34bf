from tests.access import EVERYONE, PageCase

PAGE_CASES = [
    PageCase("accounts:login", public=True, allowed=EVERYONE, ok=frozenset({200, 302})),
    PageCase("accounts:logout", method="post", public=True, allowed=EVERYONE, ok=frozenset({302})),
    PageCase("accounts:profile"),
    PageCase("accounts:large_text", method="post", ok=frozenset({302})),
]

PAGE_CASES += [
    PageCase("accounts:my_data"),
    PageCase("accounts:my_data_download"),
]
