"""Writes to a user's own account settings."""

from __future__ import annotations

from django.db import transaction


@transaction.atomic
def toggle_large_text(*, user) -> bool:
    """Switch the large-text, simple mode for elderly users on or off; returns the new setting.
    A display preference of one's own: no audit row (nothing of anyone else's changes)."""
    from gongzhi.core.services import model_update

    model_update(instance=user, fields=["large_text"], data={"large_text": not user.large_text}, clean=False)
    return user.large_text
