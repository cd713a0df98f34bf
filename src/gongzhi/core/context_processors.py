"""Template context every page needs: the navigation for the user's roles, unread notifications, and whether
the menu fetches to-do badges (a role check, no query)."""

from django.conf import settings

from .models import Notification
from .navigation import navigation_for
from .todolist import applicable


def gongzhi(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_notifications": 0, "demo_mode": settings.GONGZHI_DEMO}
    return {
        "nav_items": navigation_for(request),
        "unread_notifications": Notification.objects.for_user(user).unread().count(),
        "todo_badges": bool(applicable(user)),
        "demo_mode": settings.GONGZHI_DEMO,
    }
