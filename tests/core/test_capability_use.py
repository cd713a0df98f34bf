""""Where may this user act" comes from the capabilities each app declares in its permissions.py:
every declared capability is used, no view or API module builds a scope filter by hand, and a
community-level capability holds in villages as in communities (one named set)."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

import gongzhi
from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, can, declared
from gongzhi.orgs.models import Organization, OrgKind
from tests.factories import OrganizationFactory, RoleFactory, UserFactory

PACKAGE = Path(gongzhi.__file__).resolve().parent


def _declarations() -> dict[str, tuple[Path, str]]:
    """Capability variable name → (permissions module, capability name), for every app."""
    found = {}
    for app in settings.GONGZHI_APPS:
        path = PACKAGE / app.removeprefix("gongzhi.") / "permissions.py"
        if not path.exists():
            continue
        for node in ast.parse(path.read_text()).body:
            if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                    and getattr(node.value.func, "id", "") == "Capability"):
                found[node.targets[0].id] = (path, node.value.args[0].value)
    return found


def test_every_app_capability_is_declared_and_registered():
    names = {name for _path, name in _declarations().values()}
    registered = {c.name for c in declared()}
    assert len(names) >= 15 and names <= registered


def test_every_declared_capability_is_used():
    sources = {p: p.read_text() for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    unused = []
    for variable, (declared_in, name) in _declarations().items():
        pattern = re.compile(rf"\b{variable}\b")
        uses = sum(len(pattern.findall(text)) for text in sources.values()) - 1  # minus the declaration
        if uses < 1:
            unused.append(f"{name} ({declared_in.relative_to(PACKAGE)})")
    assert unused == []


@pytest.mark.parametrize("module", sorted(str(p.relative_to(PACKAGE)) for name in ("views.py", "api.py")
                                          for p in PACKAGE.glob(f"*/{name}")))
def test_no_view_builds_a_scope_filter_by_hand(module):
    """Views ask ``where_user_can`` / ``can`` / ``visible_to``; ``subtree_q(..., scope_paths(...))`` lives
    only in the scoping mechanism."""
    text = (PACKAGE / module).read_text()
    assert not re.search(r"\b(subtree_q|scope_paths)\b", text)


@pytest.mark.django_db
def test_village_staff_register_dual_reporting_and_care_as_community_staff_do(world):
    from gongzhi.care.permissions import MANAGE_CARE
    from gongzhi.members.permissions import REGISTER_REPORTING, can_handle_reporting

    village = OrganizationFactory(code="SA-V1", name="和美村党支部", kind=OrgKind.VILLAGE, parent=world.street_a)
    clerk = UserFactory(username="village_staff")
    RoleFactory(user=clerk, organization=village, kind=RoleKind.COMMUNITY_STAFF, starts_on=date(2020, 1, 1))
    assert list(Organization.objects.where_user_can(clerk, REGISTER_REPORTING)) == [village]
    assert can_handle_reporting(clerk, village) and can(clerk, MANAGE_CARE, village)
    assert not can_handle_reporting(clerk, world.community_a)
    street = world.users["street_admin"]
    assert set(Organization.objects.where_user_can(street, REGISTER_REPORTING)) == {world.community_a, village}


@pytest.mark.django_db
def test_a_superuser_without_roles_gets_from_the_query_what_the_predicate_allows(world):
    from gongzhi.members.permissions import REGISTER_REPORTING

    root = UserFactory(username="root", is_superuser=True)
    places = set(Organization.objects.where_user_can(root, REGISTER_REPORTING))
    assert places == {o for o in Organization.objects.all() if can(root, REGISTER_REPORTING, o)}
    assert world.community_x in places


def test_a_capability_is_an_object_of_the_mechanism():
    assert all(isinstance(c, Capability) for c in declared())
