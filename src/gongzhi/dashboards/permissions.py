"""Who may open dashboards and the big screen, and who may hand out kiosk links (declared once)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability
from gongzhi.orgs.models import BRANCH_LEVEL, COMMUNITY_LEVEL, UPPER_LEVEL

STAFF = frozenset(RoleKind.staff_kinds())
DASHBOARD_KINDS = UPPER_LEVEL | COMMUNITY_LEVEL | BRANCH_LEVEL
SCREEN_KINDS = UPPER_LEVEL | COMMUNITY_LEVEL

VIEW_DASHBOARD = Capability(
    "dashboards.view", _("Open the dashboard and the big screen of an organization"),
    roles=STAFF | {RoleKind.BRANCH_SECRETARY, RoleKind.SUPERVISOR}, at=DASHBOARD_KINDS,
    description=_("Aggregate figures only; the same figures the work summary reads."))
MANAGE_KIOSK = Capability(
    "dashboards.manage_kiosk", _("Create and revoke kiosk links of the big screen"), roles=STAFF, at=SCREEN_KINDS,
    description=_("A kiosk link opens the big screen of one organization without a login; it shows aggregate "
                  "figures only and stops working when revoked."))
