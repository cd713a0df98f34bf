"""Template context every page needs: the navigation for the user's roles, unread notifications, and whether
the menu fetches to-do badges (a role check, no query).

Each is computed when a template first reads it, and once: a page that does not show the menu (an htmx
partial, the error pages' lighter shell) pays nothing for it. Django's templates call a callable they find
in the context."""

from functools import cache

from django.conf import settings

from .models import Notification
from .navigation import navigation_for
from .statements import Counted
from .todolist import any_applicable

#: The unread count of the menu, on every page: compiled once (``core.statements``).
_UNREAD = Counted(lambda user_id: Notification.objects.filter(user_id=user_id).unread())


def gongzhi(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_notifications": 0, "demo_mode": settings.GONGZHI_DEMO}
    return {
        "nav_items": cache(lambda: navigation_for(request)),
        "unread_notifications": cache(lambda: _UNREAD.bind(user_id=user.pk).count()),
        "todo_badges": cache(lambda: any_applicable(user)),
        "demo_mode": settings.GONGZHI_DEMO,
    }
