import pytest


@pytest.fixture(autouse=True)
def _service_messages_in_english():
    """Service-level assertions match the English messages; pages still render in Chinese."""
    from django.utils import translation

    with translation.override("en"):
        yield
