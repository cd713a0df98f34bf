from django.utils import timezone

from tests.access import COMMUNITY_SCOPE, DOMAIN_ROLES, STAFF, SUBTREE, ApiCase, PageCase
from tests.learning.factories import learning_world as L

MANAGERS = STAFF | {"branch_secretary_a", "branch_secretary_b"}
# Published in community A: staff and supervisor (subtree), and everyone whose branch lies under it.
READERS_A = DOMAIN_ROLES - {"resident", "unit_admin"}
#: A clerk reads what is published to the branch where the role is held.
BRANCH_ROLE = frozenset({"treasurer_a"})
SUBTREE_ROLES = SUBTREE

def studied_material(w):
    """A material of community A that member A has studied: withdrawing keeps it (and may repeat)."""
    from gongzhi.learning.models import StudyRecord
    from tests.learning.factories import make_material

    material = make_material(w.community_a, title="已学习的材料")
    StudyRecord.objects.create(material=material, member=w.member_a, organization=w.branch_a,
                               studied_on=timezone.localdate(), minutes=20)
    return {"pk": material.pk}


PAGE_CASES = [
    PageCase("learning:my_study"),
    PageCase("learning:materials"),
    PageCase("learning:materials", query="?kind=article&page=2"),
    PageCase("learning:material_new", allowed=MANAGERS),
    PageCase("learning:material", own=lambda w: {"pk": L(w).material.pk},
             foreign=lambda w: {"pk": L(w).x_material.pk}, allowed=READERS_A | BRANCH_ROLE),
    PageCase("learning:mark_studied", method="post", own=lambda w: {"pk": L(w).material.pk},
             foreign=lambda w: {"pk": L(w).x_material.pk}, allowed=frozenset({"member"}),
             data=lambda w: {"minutes": "20", "reflection": "收获很大"}, ok=frozenset({302})),
    PageCase("learning:material_edit", own=lambda w: {"pk": L(w).material.pk},
             foreign=lambda w: {"pk": L(w).x_material.pk}, allowed=STAFF),
    PageCase("learning:material_withdraw", method="post", own=studied_material,
             foreign=lambda w: {"pk": L(w).x_material.pk}, allowed=STAFF, ok=frozenset({302})),
    PageCase("learning:quiz_edit", own=lambda w: {"pk": L(w).material.pk},
             foreign=lambda w: {"pk": L(w).x_material.pk}, allowed=STAFF),
    PageCase("learning:course_edit", own=lambda w: {"pk": L(w).courses.e2.pk},
             foreign=lambda w: {"pk": L(w).x_course.pk}, allowed=STAFF),
    PageCase("learning:course_delete", method="post", own=lambda w: {"pk": L(w).courses.e2.pk},
             foreign=lambda w: {"pk": L(w).x_course.pk}, allowed=STAFF, ok=frozenset({302})),
    PageCase("learning:quiz", own=lambda w: {"pk": L(w).quiz.pk}, foreign=lambda w: {"pk": L(w).x_quiz.pk},
             allowed=READERS_A | BRANCH_ROLE),
    PageCase("learning:programmes"),
    PageCase("learning:programme", own=lambda w: {"pk": L(w).programme.pk},
             foreign=lambda w: {"pk": L(w).x_programme.pk}, allowed=READERS_A | BRANCH_ROLE),
    PageCase("learning:course_file", own=lambda w: {"pk": L(w).courses.r1.pk},
             foreign=lambda w: {"pk": L(w).x_course.pk}, allowed=READERS_A | BRANCH_ROLE),
    PageCase("learning:classes"),
    PageCase("learning:class_new", allowed=MANAGERS),
    PageCase("learning:class", own=lambda w: {"pk": L(w).running.pk}, foreign=lambda w: {"pk": L(w).x_running.pk},
             allowed=COMMUNITY_SCOPE | {"member"}),
    PageCase("learning:class_enrol", method="post", own=lambda w: {"pk": L(w).running.pk},
             foreign=lambda w: {"pk": L(w).x_running.pk}, allowed=STAFF,
             data=lambda w: {"members": [w.member_reported.pk]}, ok=frozenset({302})),
    PageCase("learning:session_add", method="post", own=lambda w: {"pk": L(w).running.pk},
             foreign=lambda w: {"pk": L(w).x_running.pk}, allowed=STAFF,
             data=lambda w: {"course": L(w).courses.e1.pk, "held_on": timezone.localdate().isoformat(),
                             "hours": "2"}, ok=frozenset({302})),
    PageCase("learning:class_finish", method="post", own=lambda w: {"pk": L(w).running.pk},
             foreign=lambda w: {"pk": L(w).x_running.pk}, allowed=STAFF, ok=frozenset({302})),
    PageCase("learning:session", own=lambda w: {"pk": L(w).session.pk}, foreign=lambda w: {"pk": L(w).x_session.pk},
             allowed=COMMUNITY_SCOPE),
    PageCase("learning:session", method="post", own=lambda w: {"pk": L(w).session.pk},
             foreign=lambda w: {"pk": L(w).x_session.pk}, allowed=STAFF,
             data=lambda w: {f"e{L(w).enrol_b.pk}": "leave"}, ok=frozenset({302})),
    PageCase("learning:certificate", own=lambda w: {"pk": L(w).done.pk}, foreign=lambda w: {"pk": L(w).x_enrol.pk},
             allowed=COMMUNITY_SCOPE | {"member"}),
    PageCase("learning:stats", allowed=SUBTREE_ROLES),
    PageCase("learning:stats", query="?year=abc", allowed=SUBTREE_ROLES),
    PageCase("learning:org_stats", own=lambda w: {"pk": w.community_a.pk},
             foreign=lambda w: {"pk": w.community_x.pk}, allowed=COMMUNITY_SCOPE),
    PageCase("learning:org_stats", own=lambda w: {"pk": w.branch_b.pk},
             foreign=lambda w: {"pk": w.branch_x.pk}, allowed=COMMUNITY_SCOPE | {"branch_secretary_b"}),
    PageCase("learning:member", own=lambda w: {"pk": w.member_a.pk}, foreign=lambda w: {"pk": w.member_x.pk},
             allowed=COMMUNITY_SCOPE | {"branch_secretary_a", "member"}),
]

API_CASES = [
    ApiCase("get", "/api/learning/materials"),
    ApiCase("get", "/api/learning/my-records"),
    ApiCase("get", "/api/learning/classes"),
    ApiCase("post", "/api/learning/materials/{material_id}/studied", own=lambda w: {"material_id": L(w).material.pk},
            foreign=lambda w: {"material_id": L(w).x_material.pk}, allowed=frozenset({"member"}),
            data=lambda w: {"minutes": 15, "reflection": "学习体会"}, ok=frozenset({200, 201})),
]
