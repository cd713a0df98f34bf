from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "gongzhi.publicity"
    label = "publicity"
    verbose_name = _("Publicity")
    url_prefix = "publicity/"

    def ready(self):
        from . import catalogue  # noqa: F401 - registers the common catalogue entries

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_manage_news, can_read_news, can_use_board

        return [
            NavItem(_("Publicity board"), "publicity:boards", "clipboard-check", can_use_board, order=47),
            NavItem(_("News and notices"), "publicity:news", "newspaper",
                    lambda user: can_read_news(user) and not can_manage_news(user), order=48),
            NavItem(_("News and notices"), "publicity:news_manage", "newspaper", can_manage_news, order=48),
        ]

    @property
    def org_links(self):
        from gongzhi.core.navigation import OrgLink
        from gongzhi.orgs.models import COMMUNITY_LEVEL, UPPER_LEVEL

        from .permissions import can_configure, can_read_board

        return [
            OrgLink(_("Publicity board"), "publicity:board", "clipboard-check", can_read_board,
                    kinds=tuple(COMMUNITY_LEVEL)),
            OrgLink(_("What must be published"), "publicity:catalogue", "list-check",
                    lambda user, org: can_configure(user, org) or (org.kind in COMMUNITY_LEVEL
                                                                  and can_read_board(user, org)),
                    kinds=tuple(COMMUNITY_LEVEL | UPPER_LEVEL)),
        ]
