"""Access cases of the dashboards, the big screen, kiosk links and the figures API (tests/test_access_matrix.py).

Community A's dashboard: its staff, the street above and the supervisor; branch A's also its secretary. Kiosk
links are made and revoked by staff; a kiosk link itself opens the screen to anyone (no login)."""

from tests.access import COMMUNITY_SCOPE, EVERYONE, STAFF, ApiCase, PageCase

DASHBOARD_ROLES = COMMUNITY_SCOPE | {"branch_secretary_a", "branch_secretary_b"}


def _kiosk(w, own=True):
    from gongzhi.dashboards.models import KioskToken

    community = w.community_a if own else w.community_x
    found = KioskToken.objects.filter(organization=community, label="访问测试", revoked_at__isnull=True).first()
    if found is None:
        from gongzhi.dashboards import services

        found, token = services.create_kiosk_token(organization=community, label="访问测试",
                                                   by=w.users["community_secretary" if own else "foreign_secretary"])
        found.plain = token
        setattr(w, f"kiosk_{'own' if own else 'foreign'}", found)
    return found


def _token(w):
    kiosk = getattr(w, "kiosk_own", None) or _kiosk(w)
    if not hasattr(kiosk, "plain"):  # made by another case's savepoint, rolled back: make a fresh one
        kiosk = _kiosk(w)
    return {"token": kiosk.plain}


def _community(w):
    return {"pk": w.community_a.pk}


def _foreign_community(w):
    return {"pk": w.community_x.pk}


PAGE_CASES = [
    PageCase("dashboards:index", allowed=DASHBOARD_ROLES),
    PageCase("dashboards:organization", own=_community, foreign=_foreign_community, allowed=COMMUNITY_SCOPE),
    PageCase("dashboards:organization", own=lambda w: {"pk": w.branch_a.pk}, foreign=lambda w: {"pk": w.branch_x.pk},
             allowed=COMMUNITY_SCOPE | {"branch_secretary_a"}, query="?period=quarter&year=2026&number=9"),
    PageCase("dashboards:organization", own=lambda w: {"pk": w.street_a.pk}, foreign=lambda w: {"pk": w.street_b.pk},
             allowed=frozenset({"street_admin"}), query="?period=month&year=0&number=x"),
    PageCase("dashboards:screen", own=_community, foreign=_foreign_community, allowed=COMMUNITY_SCOPE),
    PageCase("dashboards:kiosk_links", own=_community, foreign=_foreign_community, allowed=STAFF),
    PageCase("dashboards:kiosk_links", own=_community, foreign=_foreign_community, allowed=STAFF, method="post",
             data=lambda w: {"label": "党群服务中心大厅"}),
    PageCase("dashboards:kiosk_revoke", own=lambda w: {"pk": _kiosk(w).pk},
             foreign=lambda w: {"pk": _kiosk(w, own=False).pk}, allowed=STAFF, method="post",
             ok=frozenset({302})),
    PageCase("dashboards:kiosk", own=_token, public=True, allowed=EVERYONE),
]

API_CASES = [
    ApiCase("get", "/api/stats/", data=lambda w: {"org_id": w.branch_a.pk},
            allowed=COMMUNITY_SCOPE | {"branch_secretary_a"}),
    ApiCase("get", "/api/stats/?org_id={pk}&period=month&year=2026&number=3", own=_community,
            foreign=_foreign_community, allowed=COMMUNITY_SCOPE),
]
