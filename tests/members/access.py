"""Access cases for every members URL (tests/test_access_matrix.py)."""

from tests.access import ALL_LOGGED_IN, STAFF, SUBTREE, ApiCase, PageCase

MEMBER_A_READERS = STAFF | {"supervisor", "branch_secretary_a", "member"}


def own_member(w):
    return {"pk": w.member_a.pk}


def foreign_member(w):
    return {"pk": w.member_x.pk}


def own_community(w):
    return {"pk": w.community_a.pk}


def foreign_community(w):
    return {"pk": w.community_x.pk}


def _reporting(w, member, community):
    from gongzhi.members.models import Reporting

    found = Reporting.objects.filter(member=member, community=community).first()
    return found or Reporting.objects.create(member=member, community=community, skills="法律咨询")


def own_reporting(w):
    return {"pk": _reporting(w, w.member_reported, w.community_a).pk}


def foreign_reporting(w):
    return {"pk": _reporting(w, w.member_x, w.community_x).pk}


def decision_data(w):
    pk = own_reporting(w)["pk"]
    return {f"r{pk}-decision": "accept", f"r{pk}-serving_org": w.branch_a.pk}


def _transfer(w, member, to_org):
    from gongzhi.members.models import Transfer

    found = Transfer.objects.filter(member=member).first()
    return found or Transfer.objects.create(member=member, from_org=member.home_org, to_org=to_org)


def own_transfer(w):
    return {"pk": _transfer(w, w.member_b, w.branch_a).pk}


def foreign_transfer(w):
    return {"pk": _transfer(w, w.member_x, w.branch_x).pk}


TRANSFER_USERS = SUBTREE
RECEIVERS = STAFF | {"branch_secretary_a"}


def _post(w, org, member):
    from gongzhi.members.models import Post

    found = Post.objects.filter(organization=org).first()
    return found or Post.objects.create(organization=org, member=member, title="宣传委员")


def own_post(w):
    return {"pk": _post(w, w.branch_a, w.member_a).pk}


def foreign_post(w):
    return {"pk": _post(w, w.branch_x, w.member_x).pk}


PAGE_CASES = [
    PageCase("members:posts", allowed=TRANSFER_USERS),
    PageCase("members:post_new", allowed=TRANSFER_USERS, method="post", ok=frozenset({302}),
             data=lambda w: {"organization": w.branch_a.pk, "member": w.member_a.pk, "title": "组织委员"}),
    PageCase("members:post_end", own=own_post, foreign=foreign_post, allowed=RECEIVERS, method="post",
             ok=frozenset({302})),
    PageCase("members:transfers", allowed=TRANSFER_USERS),
    PageCase("members:transfer_new", allowed=TRANSFER_USERS, method="post", ok=frozenset({302}),
             data=lambda w: {"member": w.member_a.pk, "to_org": w.branch_b.pk}),
    PageCase("members:transfer_decide", own=own_transfer, foreign=foreign_transfer, allowed=RECEIVERS,
             method="post", data=lambda w: {"decision": "reject"}, ok=frozenset({302})),
    PageCase("members:reported", allowed=STAFF | {"supervisor", "unit_admin"}),
    PageCase("members:report", allowed=STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"member": w.member_reported.pk, "community": w.community_a.pk}),
    PageCase("members:decide", own=own_reporting, foreign=foreign_reporting, allowed=STAFF, method="post",
             data=decision_data, ok=frozenset({302})),
    PageCase("members:list", allowed=SUBTREE),
    PageCase("members:export", allowed=SUBTREE),
    PageCase("members:detail", own=own_member, foreign=foreign_member, allowed=MEMBER_A_READERS),
    PageCase("members:reveal", own=own_member, foreign=foreign_member, allowed=STAFF, method="post"),
    PageCase("members:new", allowed=STAFF),
    PageCase("members:edit", own=own_member, foreign=foreign_member, allowed=STAFF),
    PageCase("members:transfer_out", own=own_member, foreign=foreign_member,
             allowed=STAFF | {"branch_secretary_a"}),
    PageCase("members:transfer_in", allowed=STAFF),
    PageCase("members:report_self", own=lambda w: {"code": w.community_a.code}, public=True,
             allowed=ALL_LOGGED_IN | {"anonymous"}),
    PageCase("members:report_qr", own=own_community, foreign=foreign_community, allowed=STAFF),
    PageCase("members:residents", allowed=STAFF | {"supervisor"}),
    PageCase("members:residents", allowed=STAFF | {"supervisor"}, query="?q=sl&political_status=masses&page=9"),
    PageCase("members:resident_new", allowed=STAFF),
    PageCase("members:resident_edit", own=lambda w: {"pk": w.resident_a.pk},
             foreign=lambda w: {"pk": w.resident_x.pk}, allowed=STAFF),
    PageCase("members:import", allowed=STAFF),
    PageCase("members:import_confirm", allowed=STAFF, method="post", ok=frozenset({302})),
    # Without a checked upload in the session the report sends staff back to the import page.
    PageCase("members:import_report", allowed=STAFF, ok=frozenset({302})),
    PageCase("members:job_codes", allowed=STAFF),
    PageCase("members:stats", own=own_community, foreign=foreign_community, allowed=STAFF | {"supervisor"}),
]


API_CASES = [
    ApiCase("get", "/api/members/", allowed=SUBTREE),
    ApiCase("get", "/api/members/{member_id}", own=lambda w: {"member_id": w.member_a.pk},
            foreign=lambda w: {"member_id": w.member_x.pk}, allowed=MEMBER_A_READERS),
    ApiCase("get", "/api/members/reportings", allowed=STAFF | {"supervisor", "unit_admin"}),
    ApiCase("post", "/api/members/reportings/{reporting_id}/decision",
            own=lambda w: {"reporting_id": own_reporting(w)["pk"]},
            foreign=lambda w: {"reporting_id": foreign_reporting(w)["pk"]}, allowed=STAFF,
            data=lambda w: {"decision": "accept", "serving_org_id": w.branch_a.pk}, ok=frozenset({200, 409})),
    ApiCase("get", "/api/members/residents", allowed=STAFF | {"supervisor"}),
]
