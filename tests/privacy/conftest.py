import pytest


@pytest.fixture(autouse=True)
def _service_messages_in_english():
    """Service-level assertions match the English messages; pages still render in Chinese."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def world(module_world, db):
    """The cast built once per module; each test runs in a savepoint."""
    from types import SimpleNamespace

    return SimpleNamespace(**vars(module_world))
