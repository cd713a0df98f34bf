"""Every management view and API operation checks a declared ``Capability``, and every ``can_*`` predicate of
an app's ``permissions.py`` is a thin wrapper of one (issue 13).

Both checks read the code (tests/core/capability_calls.py): a view *reaches a capability* when it, or a function
of ``gongzhi`` it calls (predicates, selectors, QuerySet methods), names a ``Capability`` or calls ``can``,
``can_any``, ``anywhere`` or ``where_user_can``. The access matrix proves that the refusals happen; this proves
that they come from the one declaration.

A view is a *management view* when it handles a POST (``require_POST``, ``request.method``, ``request.POST``)
or when the access matrix opens it to no personal role (neither the party member nor the resident): a staff
page. API operations other than GET are management operations.
"""

from __future__ import annotations

import importlib
import inspect

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from gongzhi.accounts.models import RoleKind
from gongzhi.core.capabilities import Capability, can
from gongzhi.core.edge import require
from gongzhi.core.scoping import covers
from tests.core.capability_calls import _unwrap, hand_rolled, reaches_capability

PERSONAL = {"member", "resident"}

#: Predicates that read roles for a reason no capability expresses, each with that reason.
EXCUSED = {
    "gongzhi.accounts.permissions.can_grant":
        "the rank ceiling: never a role above the grantor's own at that organization (grant_rank)",
    "gongzhi.accounts.permissions.can_manage_account":
        "reads the roles of the account managed (all of which the user could have granted), not the user's",
    "gongzhi.core.permissions.can_manage_workdays":
        "the capability held at the top organization of the tree (a condition on the tree, not on kinds)",
    "gongzhi.supervision.permissions.can_handle":
        "complaints are handled strictly above the organization concerned and never by the person named "
        "(ComplaintQuerySet.handled_by, the one visibility rule of its own, docs/architecture.md)",
}

_OWN = "a personal action on one's own record (the service refuses whoever is not its participant)"
_COMPLAINT = EXCUSED["gongzhi.supervision.permissions.can_handle"]
_OWN_DATA = ("one's own personal data (PIPL arts. 44-47): whoever's account is linked to a member or resident "
             "record asks about it; the service finds the records from the account and refuses anyone else")
#: Management views and operations that answer to a rule no capability expresses, each with that rule.
VIEW_EXCUSED = {
    "core:notifications_read": "one's own notifications, for everyone logged in",
    "accounts:large_text": "one's own display preference, for everyone logged in",
    "points:redeem": _OWN,
    "service:signup": _OWN,
    "service:cancel": _OWN,
    "service:scan": _OWN + " (a member checks in with the activity's code)",
    "meetings:appraisal_self": _OWN,
    "meetings:appraisal_vote": _OWN + " (a participant's anonymous ballot)",
    "voice:wish_claim": _OWN + " (a party member living in the wish's community)",
    "voice:wish_fulfil": _OWN + " (the member who claimed the wish)",
    "voice:consultation_opinion": _OWN + " (a resident of the consulted place)",
    "publicity:post_ack": _OWN + " (one acknowledges a notice addressed to one)",
    "privacy:mine": _OWN_DATA,
    "supervision:complaint": _COMPLAINT,
    "supervision:complaint_step": _COMPLAINT,
    "supervision:complaint_reveal": _COMPLAINT,
}
API_EXCUSED = {
    ("POST", "/points/rewards/{int:reward_id}/redeem"): _OWN,
    ("POST", "/service/activities/{int:activity_id}/signup"): _OWN,
    ("POST", "/service/activities/{int:activity_id}/cancel"): _OWN,
    ("POST", "/service/scan/{token}/checkin"): _OWN,
    ("POST", "/service/scan/{token}/checkout"): _OWN,
    ("POST", "/learning/materials/{int:material_id}/studied"): _OWN,
    ("POST", "/publicity/news/{int:post_id}/read"): _OWN,
    ("POST", "/privacy/requests"): _OWN_DATA,
    ("POST", "/supervision/complaints/{int:complaint_id}/steps"): _COMPLAINT,
    ("POST", "/supervision/complaints/{int:complaint_id}/reveal"): _COMPLAINT,
}


def _predicates():
    for app in settings.GONGZHI_APPS:
        try:
            module = importlib.import_module(f"{app}.permissions")
        except ModuleNotFoundError:
            continue
        for name, obj in vars(module).items():
            if name.startswith("can_") and inspect.isfunction(obj) and obj.__module__ == module.__name__:
                yield f"{module.__name__}.{name}", obj


def test_every_can_predicate_wraps_a_capability():
    predicates = dict(_predicates())
    assert len(predicates) > 80
    wrong = {}
    for name, func in predicates.items():
        if name in EXCUSED:
            continue
        found = hand_rolled(func)
        if found or not reaches_capability(func):
            wrong[name] = found or "reaches no Capability"
    assert wrong == {}, "derive these from a Capability declared in the app's permissions.py"


def test_the_excused_predicates_exist_and_still_need_their_excuse():
    predicates = dict(_predicates())
    for name in EXCUSED:
        assert name in predicates
        assert hand_rolled(predicates[name]) or not reaches_capability(predicates[name]), name


# -- deliberately wrong examples: the checks must catch them --------------------------------------------------

EXAMPLE = Capability("test.example", roles={RoleKind.COMMUNITY_STAFF})


def can_by_hand(user, organization) -> bool:
    return covers(user, organization, {RoleKind.COMMUNITY_STAFF})


def can_by_kind(user, organization) -> bool:
    return organization.kind == "branch" and can(user, EXAMPLE, organization) or user.is_superuser


def can_through_the_capability(user, organization) -> bool:
    return can(user, EXAMPLE, organization)


def _helper(user, organization):
    return can_through_the_capability(user, organization)


def broken_view(request, pk):
    if request.method == "POST":
        require(request.user.is_staff)
    return None


def good_view(request, pk):
    if request.method == "POST":
        require(_helper(request.user, pk))
    return None


def test_the_checks_catch_a_predicate_or_a_view_that_checks_roles_by_hand():
    assert hand_rolled(can_by_hand) == ["can_by_hand: RoleKind", "can_by_hand: covers"]
    assert not reaches_capability(can_by_hand)
    assert hand_rolled(can_by_kind) == ["can_by_kind: .is_superuser"]
    assert hand_rolled(can_through_the_capability) == [] and reaches_capability(can_through_the_capability)
    assert _is_management(broken_view, set()) and not reaches_capability(broken_view)
    assert reaches_capability(good_view)


# -- views and API operations ---------------------------------------------------------------------------------

def _handles_post(func) -> bool:
    source = inspect.getsource(func)  # with its decorators
    return any(mark in source for mark in ("require_POST", "require_http_methods", "request.method",
                                           "request.POST"))


def _is_management(func, allowed: set[str], public: bool = False) -> bool:
    """A POST or a staff page; public forms (anyone may submit them) are no management."""
    return not public and (_handles_post(func) or not allowed & PERSONAL)


def _views(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in {"admin", "api"}:
                continue
            yield from _views(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            func = _unwrap(pattern.callback)
            if getattr(func, "__module__", "").startswith("gongzhi."):
                yield f"{namespace}{pattern.name}", func


def _access():
    from tests.test_access_matrix import PAGE_CASES

    allowed, public = {}, {}
    for case in PAGE_CASES:
        allowed.setdefault(case.name, set()).update(case.allowed)
        public[case.name] = public.get(case.name, False) or case.public
    return allowed, public


def test_every_management_view_checks_a_capability():
    allowed, public = _access()
    views = dict(_views())
    assert len(views) > 250
    management = {name: func for name, func in views.items()
                  if _is_management(func, allowed.get(name, set()), public.get(name, False))}
    assert len(management) > 150
    missing = sorted(f"{name} ({func.__module__}.{func.__name__})" for name, func in management.items()
                     if name not in VIEW_EXCUSED and not reaches_capability(func))
    assert missing == [], "check a capability (core.edge.require(can_…)) in these views"


def _api_operations():
    from gongzhi.api import api

    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                yield (bound.prefix + path).replace("//", "/"), operation.methods, _unwrap(operation.view_func)


def test_every_api_operation_that_writes_checks_a_capability():
    writing = [(path, methods, func) for path, methods, func in _api_operations()
               if set(methods) - {"GET", "HEAD", "OPTIONS"}]
    assert len(writing) >= 20
    missing = sorted(f"{methods} {path} ({func.__module__}.{func.__name__})" for path, methods, func in writing
                     if not any((method, path) in API_EXCUSED for method in methods) and not reaches_capability(func))
    assert missing == []


def test_every_excused_view_and_operation_exists_and_needs_its_excuse():
    views = dict(_views())
    for name in VIEW_EXCUSED:
        assert name in views and not reaches_capability(views[name]), name
    operations = {(method, path): func for path, methods, func in _api_operations() for method in methods}
    for key in API_EXCUSED:
        assert key in operations and not reaches_capability(operations[key]), key
