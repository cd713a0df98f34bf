from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _served_triggers(sender, using="default", **kwargs):
    """After every ``migrate``: (re)install the served summary's triggers (idempotent). SQLite drops a
    table's triggers when a migration rebuilds the table (any altered column of check-ins, visits,
    pairings or wishes); a summary whose triggers vanished would fall behind without a word."""
    from django.db import connections

    from .summary import ensure_installed

    ensure_installed(connections[using])


class RecognitionConfig(AppConfig):
    name = "gongzhi.recognition"
    label = "recognition"
    verbose_name = _("Recognition")
    # The pages and endpoints kept the paths they had in the points app.
    url_prefix = "points/"
    api_prefix = "/points/"

    def ready(self):
        from gongzhi.points import titles

        from .badges import member_badges

        titles.register(member_badges)
        from django.db.models.signals import post_migrate

        post_migrate.connect(_served_triggers, sender=self)

    @property
    def org_links(self):
        from gongzhi.core.navigation import OrgLink
        from gongzhi.points.permissions import can_read_rules

        return [OrgLink(_("Points rankings and activation"), "recognition:rankings", "bar-chart", can_read_rules),
                OrgLink(_("Titles and badges"), "recognition:titles", "award", can_read_rules),
                OrgLink(_("Nomination list for outstanding party members"), "recognition:nominations", "list-ol",
                        can_read_rules)]
