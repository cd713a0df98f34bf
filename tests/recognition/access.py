"""Access cases for recognition: rankings and activation, titles and badges, the nomination list, and
one's own summary in the API (all under the points paths they had before)."""

import itertools

from tests.access import COMMUNITY_SCOPE, STAFF, ApiCase, PageCase

_names = itertools.count()


def _badge(org):
    from gongzhi.recognition.models import Badge, BadgeMetric

    badge, _created = Badge.objects.get_or_create(organization=org, name="服务之星",
                                                  defaults={"metric": BadgeMetric.HOURS, "threshold": 10})
    return {"pk": badge.pk}


PAGE_CASES = [
    PageCase("recognition:titles", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=COMMUNITY_SCOPE),
    PageCase("recognition:titles", own=lambda w: {"pk": w.branch_a.pk}, foreign=lambda w: {"pk": w.branch_x.pk},
             allowed=COMMUNITY_SCOPE | {"branch_secretary_a"}, query="?year=2025"),
    PageCase("recognition:titles", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"name": f"积分标兵{next(_names)}", "icon": "star-fill", "metric": "points",
                             "threshold": "30"}),
    PageCase("recognition:badge_toggle", own=lambda w: _badge(w.community_a), foreign=lambda w: _badge(w.community_x),
             allowed=STAFF, method="post", ok=frozenset({302})),
    PageCase("recognition:nominations", own=lambda w: {"pk": w.community_a.pk},
             foreign=lambda w: {"pk": w.community_x.pk}, allowed=COMMUNITY_SCOPE, query="?year=2025&probationary=on"),
    PageCase("recognition:nominations_export", own=lambda w: {"pk": w.branch_a.pk},
             foreign=lambda w: {"pk": w.branch_x.pk}, allowed=COMMUNITY_SCOPE | {"branch_secretary_a"}),
    PageCase("recognition:rankings", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=COMMUNITY_SCOPE),
    PageCase("recognition:rankings", own=lambda w: {"pk": w.community_a.pk}, foreign=lambda w: {"pk": w.community_x.pk},
             allowed=COMMUNITY_SCOPE, query="?period=quarter&on=2025-05-04"),
    PageCase("recognition:ranking_settings", own=lambda w: {"pk": w.community_a.pk},
             foreign=lambda w: {"pk": w.community_x.pk}, allowed=STAFF, method="post",
             data=lambda w: {"rankings_visible_to_members": "on"}, ok=frozenset({302})),
]

READERS = COMMUNITY_SCOPE
API_CASES = [
    ApiCase("get", "/api/points/mine", allowed={"member"}),
    ApiCase("get", "/api/points/rankings/{org_id}", own=lambda w: {"org_id": w.community_a.pk},
            foreign=lambda w: {"org_id": w.community_x.pk}, allowed=READERS),
    ApiCase("get", "/api/points/titles/{org_id}", own=lambda w: {"org_id": w.branch_a.pk},
            foreign=lambda w: {"org_id": w.branch_x.pk}, allowed=READERS | {"branch_secretary_a"}),
]
