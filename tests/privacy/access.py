"""Access cases for requests about personal data and departures (tests/test_access_matrix.py).

The own request is the member persona's (赵磊, branch A of community A): he and the staff covering branch A
see it, the staff decide it; the foreign request is the foreign street's member's. Departures: the staff of
community A record that resident A moved away; the foreign street's resident is out of reach."""

from gongzhi.members.models import Member
from gongzhi.privacy import services
from gongzhi.privacy.models import DataRequest, RequestKind, RequestStatus, Subject
from tests.access import ALL_LOGGED_IN, STAFF, ApiCase, PageCase
from tests.factories.core import UserFactory

OWN_AND_STAFF = STAFF | {"member"}


def _request(w, own=True):
    member = w.member_a if own else w.member_x
    found = DataRequest.objects.filter(member=member, status=RequestStatus.OPEN).first()
    if found is None:
        person = member.user
        if person is None:
            person = UserFactory(username="foreign_person")
            Member.objects.filter(pk=member.pk).update(user=person)
        found = services.ask(person=person, kind=RequestKind.CORRECTION, subject=Subject.MEMBER, field="address",
                             proposed_value="幸福路8号", reason="地址已变更")
    return found


PAGE_CASES = [
    PageCase("privacy:mine", allowed=ALL_LOGGED_IN),
    PageCase("privacy:mine", allowed=ALL_LOGGED_IN, method="post", ok=frozenset({200, 302}),
             data=lambda w: {"subject": "member", "kind": "correction", "field": "mobile",
                             "proposed_value": "13800001111", "reason": "换号了"}),
    PageCase("privacy:queue", allowed=STAFF, query="?status=refused&page=2"),
    PageCase("privacy:request", own=lambda w: {"pk": _request(w).pk},
             foreign=lambda w: {"pk": _request(w, own=False).pk}, allowed=OWN_AND_STAFF),
    PageCase("privacy:decide", own=lambda w: {"pk": _request(w).pk},
             foreign=lambda w: {"pk": _request(w, own=False).pk}, allowed=STAFF, method="post",
             data=lambda w: {"decision": "refuse", "reason": "已核实，原记录无误。"}, ok=frozenset({200, 302})),
    PageCase("privacy:departures", allowed=STAFF, query="?q=孙"),
    PageCase("privacy:record_departure", own=lambda w: {"pk": w.resident_a.pk},
             foreign=lambda w: {"pk": w.resident_x.pk}, allowed=STAFF, method="post",
             data=lambda w: {"moved_on": "2025-01-01"}, ok=frozenset({302})),
]

API_CASES = [
    ApiCase("get", "/api/privacy/requests", allowed=ALL_LOGGED_IN),
    ApiCase("post", "/api/privacy/requests", allowed=ALL_LOGGED_IN, ok=frozenset({201, 422}),
            data=lambda w: {"kind": "erasure", "subject": "resident", "reason": "已搬离本社区"}),
    ApiCase("get", "/api/privacy/requests/{request_id}", own=lambda w: {"request_id": _request(w).pk},
            foreign=lambda w: {"request_id": _request(w, own=False).pk}, allowed=OWN_AND_STAFF),
    ApiCase("get", "/api/privacy/queue", allowed=STAFF),
    ApiCase("post", "/api/privacy/requests/{request_id}/decision", own=lambda w: {"request_id": _request(w).pk},
            foreign=lambda w: {"request_id": _request(w, own=False).pk}, allowed=STAFF, ok=frozenset({200, 409}),
            data=lambda w: {"accept": False, "reason": "已核实，原记录无误。"}),
]
