"""Who may read and edit the table of public holidays and make-up working days.

Core sits below ``accounts`` and ``orgs``, so it names role and organization kinds as strings here
(as ``capabilities`` does); tests/core/test_workdays.py checks them against ``RoleKind`` and
``orgs.models.UPPER_LEVEL``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .capabilities import Capability, can
from .scoping import active_roles

#: Edit the holiday table: the street administrator of the platform's top organization (the
#: arrangement is national, so one table serves every organization of the installation).
MANAGE_WORKDAYS = Capability(
    "core.manage_workdays", _("Enter public holidays and make-up working days"),
    roles={"street_admin"}, at={"district", "street", "township"})


def can_manage_workdays(user) -> bool:
    """Holds ``MANAGE_WORKDAYS`` at an organization at the top of the tree (no query)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(role.organization.parent_id is None and can(user, MANAGE_WORKDAYS, role.organization)
               for role in active_roles(user) if role.kind in MANAGE_WORKDAYS.roles)


#: Read the holiday table: the roles that open a subtree (``RoleKind.subtree_kinds()``, checked by
#: tests/core/test_workdays.py).
READ_WORKDAYS = Capability(
    "core.read_workdays", _("Read public holidays and make-up working days"),
    roles={"street_admin", "community_secretary", "community_staff", "branch_secretary", "group_leader",
           "unit_admin", "supervisor"})


def can_view_workdays(user) -> bool:
    """Everyone whose work has deadlines in working days: the roles that open a subtree."""
    return can_manage_workdays(user) or READ_WORKDAYS.anywhere(user)
