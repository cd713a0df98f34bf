import pytest

from .factories import learning_world


@pytest.fixture
def lw(world):
    return learning_world(world)
