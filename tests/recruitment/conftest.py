from types import SimpleNamespace

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _messages_in_english(request):
    """The services' refusals are matched on their English words (the pages' tests read the Chinese)."""
    if request.module.__name__.endswith("test_pages"):
        yield
        return
    with translation.override("en"):
        yield


@pytest.fixture
def world(module_world, db):
    return SimpleNamespace(**vars(module_world))
