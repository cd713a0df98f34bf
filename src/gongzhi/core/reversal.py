"""``reverse()`` of URL names without arguments, worked out once.

The menu (some thirty links), and every page's ``{% url 'home' %}``-like tags (the base template alone has
six), name the same argument-free URLs on every request: reversing one costs some 30 µs for a result that
depends only on the URL configuration in force, the script prefix, the language (for translated routes) and,
for a namespace with several instances, the current application."""

from collections.abc import Callable

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_URLS: dict[tuple, dict[str, str]] = {}


def plain_reverser(current_app: str | None = None) -> Callable[[str], str]:
    """``reverse(name, current_app=current_app)`` for names without arguments, in the URL configuration,
    script prefix and language now in force, each remembered (``NoReverseMatch`` is raised, not remembered).
    Taken once for many names (the menu), it reads what is in force once."""
    key = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix(), get_language(), current_app)
    known = _URLS.get(key)
    if known is None:
        known = _URLS[key] = {}

    def reverse_plain(name: str) -> str:
        url = known.get(name)
        if url is None:
            url = known[name] = reverse(name, current_app=current_app)
        return url

    return reverse_plain
