from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "gongzhi.learning"
    label = "learning"
    verbose_name = _("Party school and study")
    url_prefix = "learning/"

    @property
    def nav_items(self):
        from gongzhi.core.navigation import NavItem

        from .permissions import can_see_learning_figures, has_member_record

        return [
            NavItem(_("My study"), "learning:my_study", "book", has_member_record, order=40),
            NavItem(_("Training classes"), "learning:classes", "mortarboard",
                    lambda user: has_member_record(user) or can_see_learning_figures(user), order=41),
            NavItem(_("Study figures"), "learning:stats", "bar-chart", can_see_learning_figures, order=42,
                    group="stats"),
        ]

    @property
    def org_links(self):
        from gongzhi.accounts.permissions import can_view_org
        from gongzhi.core.navigation import OrgLink

        return [OrgLink(_("Study figures"), "learning:org_stats", "bar-chart",
                        lambda user, org: can_view_org(user, org),
                        kinds=("street", "township", "community", "village", "branch"))]
