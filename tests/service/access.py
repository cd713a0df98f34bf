"""Access cases for every service URL: an activity of branch A (and of foreign branch X)
starting in two days, and one under way now for the QR check-in page."""

from datetime import timedelta

from gongzhi.service.models import Activity
from gongzhi.service.services import checkin_token
from tests.access import COMMUNITY_SCOPE, DOMAIN_ROLES, STAFF, ApiCase, PageCase

from .factories import activity, series, team

READERS = COMMUNITY_SCOPE | {"branch_secretary_a", "member"}
ORGANISERS = STAFF | {"branch_secretary_a"}


def _activity(branch, title, starts_in):
    found = Activity.objects.filter(organization=branch, title=title).first()
    return found or activity(branch, title=title, starts_in=starts_in)


def own(w):
    return {"pk": _activity(w.branch_a, "upcoming", timedelta(days=2)).pk}


def foreign(w):
    return {"pk": _activity(w.branch_x, "upcoming", timedelta(days=2)).pk}


def own_token(w):
    return {"token": checkin_token(_activity(w.branch_a, "now", -timedelta(minutes=30)))}


def foreign_token(w):
    return {"token": checkin_token(_activity(w.branch_x, "now", -timedelta(minutes=30)))}


def manual_data(w):
    from gongzhi.service.models import SignUp

    pk = own(w)["pk"]
    SignUp.objects.get_or_create(activity_id=pk, member=w.member_a)
    return {"member": w.member_a.pk, "action": "in", "reason": "手机没电"}


PAGE_CASES = [
    PageCase("service:upcoming", allowed=DOMAIN_ROLES),
    PageCase("service:calendar", allowed=DOMAIN_ROLES),
    PageCase("service:create", allowed=STAFF | {"branch_secretary_a", "branch_secretary_b"}),
    PageCase("service:detail", own=own, foreign=foreign, allowed=READERS | {"treasurer_a"}),
    PageCase("service:signup", own=own, foreign=foreign, allowed={"member"}, method="post", ok=frozenset({302})),
    PageCase("service:cancel", own=own, foreign=foreign, allowed={"member"}, method="post", ok=frozenset({302})),
    PageCase("service:roster", own=own, foreign=foreign, allowed=READERS - {"member"}),
    PageCase("service:manual_check", own=own, foreign=foreign, allowed=ORGANISERS, method="post",
             data=manual_data, ok=frozenset({302})),
    PageCase("service:scan", own=own_token, foreign=foreign_token, allowed=READERS | {"treasurer_a"}),
]
PAGE_CASES.append(PageCase("service:mine", allowed={"member", "resident"}))



def _unit(w):
    return {"pk": w.unit.organization_id}


def _foreign_unit(w):
    from gongzhi.orgs.models import CoBuildingUnit, OrgKind
    from tests.factories import CoBuildingUnitFactory, OrganizationFactory

    found = CoBuildingUnit.objects.filter(organization__path__startswith=w.street_b.path).first()
    if found is None:
        org = OrganizationFactory(code="SB-U1", name="外街单位党支部", kind=OrgKind.UNIT, parent=w.street_b)
        found = CoBuildingUnitFactory(name="外街单位", organization=org)
    return {"pk": found.organization_id}


PAGE_CASES.append(PageCase("service:unit_certificate", own=_unit, foreign=_foreign_unit,
                           allowed=COMMUNITY_SCOPE | {"unit_admin"}))
PAGE_CASES.append(PageCase("service:unit_service", own=_unit, foreign=_foreign_unit,
                           allowed=COMMUNITY_SCOPE | {"unit_admin"}))


def _cancellable(w):
    return {"pk": _activity(w.branch_a, "to cancel", timedelta(days=3)).pk}


def _foreign_cancellable(w):
    return {"pk": _activity(w.branch_x, "to cancel", timedelta(days=3)).pk}


def own_team(w):
    return {"pk": team(w.branch_a, name="第一网格环境服务队").pk}


def foreign_team(w):
    return {"pk": team(w.branch_x, name="外街服务队").pk}


def own_series(w):
    return {"pk": series(w.branch_a).pk}


def foreign_series(w):
    return {"pk": series(w.branch_x).pk}


PUBLISHERS = STAFF | {"branch_secretary_a", "branch_secretary_b"}
PAGE_CASES += [
    PageCase("service:activity_cancel", own=_cancellable, foreign=_foreign_cancellable, allowed=ORGANISERS,
             method="post", ok=frozenset({302})),
    PageCase("service:teams", allowed=DOMAIN_ROLES - {"resident"}),
    PageCase("service:team_create", allowed=PUBLISHERS),
    PageCase("service:team_detail", own=own_team, foreign=foreign_team, allowed=READERS | {"treasurer_a"}),
    PageCase("service:team_detail", own=own_team, foreign=foreign_team, allowed=READERS | {"treasurer_a"},
             query="?q=赵&year=2025"),
    PageCase("service:team_edit", own=own_team, foreign=foreign_team, allowed=ORGANISERS),
    PageCase("service:team_add_member", own=own_team, foreign=foreign_team, allowed=ORGANISERS, method="post",
             data=lambda w: {"member": w.member_a.pk}, ok=frozenset({302})),
    PageCase("service:team_remove_member", own=own_team, foreign=foreign_team, allowed=ORGANISERS, method="post",
             data=lambda w: {"member": w.member_a.pk}, ok=frozenset({302})),
    PageCase("service:series_create", allowed=PUBLISHERS),
    PageCase("service:series_detail", own=own_series, foreign=foreign_series, allowed=READERS - {"member"}),
    PageCase("service:series_edit", own=own_series, foreign=foreign_series, allowed=ORGANISERS),
    PageCase("service:series_cancel", own=own_series, foreign=foreign_series, allowed=ORGANISERS, method="post",
             ok=frozenset({302})),
]


def _api_now(branch):
    """An activity under way that started today (also just after midnight), open without sign-up."""
    from django.utils import timezone

    now = timezone.localtime()
    since_midnight = now - now.replace(hour=0, minute=0, second=0, microsecond=0)
    starts_in = -min(timedelta(minutes=30), since_midnight)
    return (Activity.objects.filter(organization=branch, title="api now").first()
            or activity(branch, title="api now", starts_in=starts_in, requires_signup=False))


def _api_token(w):
    return {"token": checkin_token(_api_now(w.branch_a))}


def _api_foreign_token(w):
    return {"token": checkin_token(_api_now(w.branch_x))}


def _api_checked_in(w):
    from django.utils import timezone

    from gongzhi.service.models import CheckIn

    a = _api_now(w.branch_a)
    CheckIn.objects.get_or_create(activity=a, member=w.member_a, defaults={"checked_in_at": timezone.now()})
    return {"token": checkin_token(a)}


def _api_activity(w):
    return {"activity_id": own(w)["pk"]}


def _api_foreign_activity(w):
    return {"activity_id": foreign(w)["pk"]}


API_CASES = [
    ApiCase("get", "/api/service/activities", allowed=DOMAIN_ROLES),
    ApiCase("get", "/api/service/activities/{activity_id}", own=_api_activity, foreign=_api_foreign_activity,
            allowed=READERS | {"treasurer_a"}),
    ApiCase("post", "/api/service/activities/{activity_id}/signup", own=_api_activity, foreign=_api_foreign_activity,
            allowed={"member"}),
    ApiCase("post", "/api/service/activities/{activity_id}/cancel", own=_api_activity, foreign=_api_foreign_activity,
            allowed={"member"}),
    ApiCase("post", "/api/service/scan/{token}/checkin", own=_api_token, foreign=_api_foreign_token,
            allowed={"member"}, ok=frozenset({200, 201})),
    ApiCase("post", "/api/service/scan/{token}/checkout", own=_api_checked_in, foreign=_api_foreign_token,
            allowed={"member"}),
    ApiCase("get", "/api/service/mine", allowed={"member", "resident"}),
    ApiCase("get", "/api/service/teams", allowed=DOMAIN_ROLES - {"resident"}),
    ApiCase("get", "/api/service/teams/{team_id}", own=lambda w: {"team_id": own_team(w)["pk"]},
            foreign=lambda w: {"team_id": foreign_team(w)["pk"]}, allowed=READERS | {"treasurer_a"}),
]
