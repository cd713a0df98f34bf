"""Access cases for the democracy app (tests/test_access_matrix.py).

Own objects: a general meeting of branch A held yesterday (赵磊, the "member" persona, and four other full members
present; a probationary member on the roll), its votes, a conversion awaiting approval; a village under street A
with a matter. Foreign objects: the same in street B."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.democracy import services
from gongzhi.democracy.models import Conversion, Matter, MatterStep, Resolution, ResolutionKind, StepAttachment
from gongzhi.meetings.models import Meeting, MeetingKind
from gongzhi.members.models import Member
from gongzhi.orgs.models import Organization, OrgKind
from tests.access import COMMUNITY_SCOPE, STAFF, ApiCase, PageCase
from tests.factories import OrganizationFactory

from .factories import full_members, general_meeting, probationary

READERS = COMMUNITY_SCOPE | {"branch_secretary_a"}
RECORDERS = STAFF | {"branch_secretary_a"}
LEADERS = frozenset({"street_admin", "community_secretary"})
LIST_READERS = READERS | {"branch_secretary_b"}
USERS = LIST_READERS | {"member"}
#: The village lies directly under street A: only the street reaches it among the cast.
VILLAGE_STAFF = frozenset({"street_admin"})


def _meeting(w, own=True) -> Meeting:
    branch = w.branch_a if own else w.branch_x
    found = Meeting.objects.filter(organization=branch, kind=MeetingKind.GENERAL, topic="支部党员大会").first()
    if found is not None:
        return found
    present = [w.member_a if own else w.member_x, *full_members(branch, 4)]
    trainee = probationary(branch, name="预备党员甲" if own else "预备党员外")
    return general_meeting(branch, present=[*present, trainee])


def _secretary(w, own):
    return w.users["branch_secretary_a" if own else "foreign_secretary"]


def _vote(w, own=True, secret=False) -> Resolution:
    meeting = _meeting(w, own)
    title = "秘密投票" if secret else "举手表决"
    found = Resolution.objects.filter(meeting=meeting, title=title).first()
    if found is not None:
        return found
    if secret:
        return services.open_secret_ballot(meeting=meeting, title=title, by=_secretary(w, own))
    return services.record_show_of_hands(meeting=meeting, title=title, in_favour=5, against=0, abstained=0,
                                         by=_secretary(w, own))


def _conversion(w, own=True) -> Conversion:
    meeting = _meeting(w, own)
    found = Conversion.objects.filter(branch=meeting.organization).first()
    if found is not None:
        return found
    trainee = Member.objects.get(home_org=meeting.organization, name__startswith="预备党员")
    vote = services.record_show_of_hands(meeting=meeting, title="转正", kind=ResolutionKind.CONVERSION,
                                         subject=trainee, proposal="convert", in_favour=5, against=0, abstained=0,
                                         by=_secretary(w, own))
    return Conversion.objects.get(resolution=vote)


def _village(w, own=True) -> Organization:
    code = "SA-V1" if own else "SB-V1"
    found = Organization.objects.filter(code=code).first()
    return found or OrganizationFactory(code=code, name="东风村党总支" if own else "外街村党总支",
                                        kind=OrgKind.VILLAGE, parent=w.street_a if own else w.street_b)


def _matter(w, own=True) -> Matter:
    village = _village(w, own)
    found = Matter.objects.filter(organization=village).first()
    if found is not None:
        return found
    by = w.users["street_admin"]
    matter = services.open_matter(organization=village, title="村道硬化", description="修缮村东主路", by=by)
    services.record_step(matter=matter, number=1, held_on=timezone.localdate() - timedelta(days=3),
                         minutes="支委会提议修路", by=by)
    return matter


def _step_file(w, own=True) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    matter = _matter(w, own)
    step = MatterStep.objects.get(matter=matter, number=1)
    found = StepAttachment.objects.filter(step=step).first()
    if found is None:
        found = services.add_step_attachment(
            step=step, upload=SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"), by=None)
    return {"pk": matter.pk, "file_pk": found.pk}


def _term(w, own=True):
    from datetime import date

    from gongzhi.democracy.models import Term

    branch = w.branch_a if own else w.branch_x
    found = Term.objects.filter(organization=branch).first()
    return found or services.record_term(organization=branch, starts_on=date(2024, 3, 1), by=None)


def _election(w, own=True):
    """An election of branch A (B: the foreign branch) with one seat, two candidates approved by the community, a
    monitor, and the first round open at yesterday's general meeting where 赵磊 (the member persona) is present."""
    from gongzhi.democracy.models import Election

    meeting = _meeting(w, own)
    branch = meeting.organization
    found = Election.objects.filter(organization=branch).first()
    if found is not None:
        return found
    by = _secretary(w, own)
    full = list(services.entitled_members(branch, meeting.date).exclude(user=w.users["member"]).order_by("id"))
    election = services.open_election(organization=branch, seats=1, by=by)
    for member in full[:2]:
        services.add_candidate(election=election, member=member, by=by)
    services.add_monitor(election=election, member=full[2], duty="scrutineer", by=by)
    services.submit_candidates(election=election, by=by)
    services.review_candidates(election=election, approve=True,
                               by=w.users["community_secretary" if own else "foreign_secretary"])
    services.open_round(election=election, meeting=meeting, by=by)
    election.refresh_from_db()
    return election


def _ballot_marks(w):
    round_ = _election(w).rounds.get(status="open")
    return {f"c{c.pk}": "for" if i == 0 else "against" for i, c in enumerate(round_.candidates.order_by("id"))}


ELECTION_READERS = READERS | {"member"}
BRANCH_B_RUNNERS = STAFF | {"branch_secretary_b"}


def _step(w):
    return {"held_on": timezone.localdate().isoformat(), "minutes": "两委联席会议商议"}


PAGE_CASES = [
    PageCase("democracy:index", allowed=USERS),
    PageCase("democracy:meeting", own=lambda w: {"pk": _meeting(w).pk},
             foreign=lambda w: {"pk": _meeting(w, own=False).pk}, allowed=READERS),
    PageCase("democracy:meeting_vote", own=lambda w: {"pk": _meeting(w).pk},
             foreign=lambda w: {"pk": _meeting(w, own=False).pk}, allowed=RECORDERS, method="post",
             data=lambda w: {"kind": "general", "title": "通过年度计划", "method": "hands", "quorum_rule": "half",
                             "in_favour": "5", "against": "0", "abstained": "0"}, ok=frozenset({302})),
    PageCase("democracy:resolution", own=lambda w: {"pk": _vote(w).pk},
             foreign=lambda w: {"pk": _vote(w, own=False).pk}, allowed=READERS | {"member"}),
    PageCase("democracy:ballot", own=lambda w: {"pk": _vote(w, secret=True).pk},
             foreign=lambda w: {"pk": _vote(w, own=False, secret=True).pk}, allowed=frozenset({"member"}),
             method="post", data=lambda w: {"choice": "for"}, ok=frozenset({302})),
    PageCase("democracy:close", own=lambda w: {"pk": _vote(w, secret=True).pk},
             foreign=lambda w: {"pk": _vote(w, own=False, secret=True).pk}, allowed=RECORDERS, method="post",
             ok=frozenset({302})),
    PageCase("democracy:conversions", allowed=LIST_READERS),
    PageCase("democracy:conversion", own=lambda w: {"pk": _conversion(w).pk},
             foreign=lambda w: {"pk": _conversion(w, own=False).pk}, allowed=READERS),
    PageCase("democracy:conversion", own=lambda w: {"pk": _conversion(w).pk},
             foreign=lambda w: {"pk": _conversion(w, own=False).pk}, allowed=LEADERS, method="post",
             data=lambda w: {"decision": "approve", "on": timezone.localdate().isoformat()},
             ok=frozenset({302, 400})),
    PageCase("democracy:matters", allowed=VILLAGE_STAFF),
    PageCase("democracy:matter_new", own=lambda w: {"pk": _village(w).pk},
             foreign=lambda w: {"pk": _village(w, own=False).pk}, allowed=VILLAGE_STAFF),
    PageCase("democracy:matter_new", own=lambda w: {"pk": _village(w).pk},
             foreign=lambda w: {"pk": _village(w, own=False).pk}, allowed=VILLAGE_STAFF, method="post",
             data=lambda w: {"title": "修建文化广场", "description": "村委会旁空地"}, ok=frozenset({302})),
    PageCase("democracy:matter", own=lambda w: {"pk": _matter(w).pk},
             foreign=lambda w: {"pk": _matter(w, own=False).pk}, allowed=VILLAGE_STAFF),
    PageCase("democracy:matter_step", own=lambda w: {"pk": _matter(w).pk},
             foreign=lambda w: {"pk": _matter(w, own=False).pk}, allowed=VILLAGE_STAFF, method="post",
             data=_step, ok=frozenset({302})),
    PageCase("democracy:step_attach", own=lambda w: {"pk": _matter(w).pk, "step_pk": _step_file(w) and
                                                     MatterStep.objects.get(matter=_matter(w), number=1).pk},
             foreign=lambda w: {"pk": _matter(w, own=False).pk,
                                "step_pk": MatterStep.objects.get(matter=_matter(w, own=False), number=1).pk},
             allowed=VILLAGE_STAFF, method="post", ok=frozenset({302})),
    PageCase("democracy:terms", allowed=LIST_READERS),
    PageCase("democracy:term_new", own=lambda w: {"pk": w.branch_b.pk}, foreign=lambda w: {"pk": w.branch_x.pk},
             allowed=LEADERS),
    PageCase("democracy:term_new", own=lambda w: {"pk": w.branch_b.pk}, foreign=lambda w: {"pk": w.branch_x.pk},
             allowed=LEADERS, method="post", data=lambda w: {"starts_on": "2025-03-01"}, ok=frozenset({302, 400})),
    PageCase("democracy:term", own=lambda w: {"pk": _term(w).pk}, foreign=lambda w: {"pk": _term(w, own=False).pk},
             allowed=READERS),
    PageCase("democracy:term", own=lambda w: {"pk": _term(w).pk}, foreign=lambda w: {"pk": _term(w, own=False).pk},
             allowed=LEADERS, method="post", data=lambda w: {"until": "2027-09-01", "reason": "拆迁安置"},
             ok=frozenset({302, 400})),
    PageCase("democracy:elections", allowed=USERS),
    PageCase("democracy:election_new", own=lambda w: {"pk": w.branch_b.pk}, foreign=lambda w: {"pk": w.branch_x.pk},
             allowed=BRANCH_B_RUNNERS),
    PageCase("democracy:election_new", own=lambda w: {"pk": w.branch_b.pk}, foreign=lambda w: {"pk": w.branch_x.pk},
             allowed=BRANCH_B_RUNNERS, method="post", data=lambda w: {"seats": "1"}, ok=frozenset({302, 400})),
    PageCase("democracy:election", own=lambda w: {"pk": _election(w).pk},
             foreign=lambda w: {"pk": _election(w, own=False).pk}, allowed=ELECTION_READERS),
    PageCase("democracy:election_prepare", own=lambda w: {"pk": _election(w).pk},
             foreign=lambda w: {"pk": _election(w, own=False).pk}, allowed=RECORDERS, method="post",
             data=lambda w: {"action": "count"}, ok=frozenset({302})),
    PageCase("democracy:election_review", own=lambda w: {"pk": _election(w).pk},
             foreign=lambda w: {"pk": _election(w, own=False).pk}, allowed=LEADERS, method="post",
             data=lambda w: {"decision": "approve"}, ok=frozenset({302, 400})),
    PageCase("democracy:election_ballot", own=lambda w: {"pk": _election(w).pk},
             foreign=lambda w: {"pk": _election(w, own=False).pk}, allowed=frozenset({"member"})),
    PageCase("democracy:election_ballot", own=lambda w: {"pk": _election(w).pk},
             foreign=lambda w: {"pk": _election(w, own=False).pk}, allowed=frozenset({"member"}), method="post",
             data=_ballot_marks, ok=frozenset({302})),
    PageCase("democracy:step_file", own=_step_file, foreign=lambda w: _step_file(w, own=False),
             allowed=VILLAGE_STAFF),
]

API_CASES = [
    ApiCase("get", "/api/democracy/votes", allowed=USERS),
    ApiCase("get", "/api/democracy/votes/{vote_id}", own=lambda w: {"vote_id": _vote(w).pk},
            foreign=lambda w: {"vote_id": _vote(w, own=False).pk}, allowed=READERS | {"member"}),
    ApiCase("get", "/api/democracy/conversions/due", allowed=LIST_READERS),
    ApiCase("get", "/api/democracy/conversions", allowed=LIST_READERS),
    ApiCase("get", "/api/democracy/terms/due", allowed=LEADERS),
    ApiCase("get", "/api/democracy/matters", allowed=VILLAGE_STAFF),
    ApiCase("get", "/api/democracy/elections", allowed=USERS),
    ApiCase("get", "/api/democracy/elections/{election_id}", own=lambda w: {"election_id": _election(w).pk},
            foreign=lambda w: {"election_id": _election(w, own=False).pk}, allowed=ELECTION_READERS),
    ApiCase("get", "/api/democracy/matters/{matter_id}", own=lambda w: {"matter_id": _matter(w).pk},
            foreign=lambda w: {"matter_id": _matter(w, own=False).pk}, allowed=VILLAGE_STAFF),
]
