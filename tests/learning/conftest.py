import pytest

from .factories import learning_world


@pytest.fixture
def lw(world):
    return learning_world(world)


def csrf_post(client, url, data=None, **kwargs):
    """POST through CSRF enforcement, as a browser does: load a page, send the token back."""
    from django.urls import reverse

    if "csrftoken" not in client.cookies:
        client.get(reverse("learning:classes"))
    data = dict(data or {})
    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    return client.post(url, data, **kwargs)
