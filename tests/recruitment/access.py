"""Access cases for recruitment (tests/test_access_matrix.py).

Own objects: an applicant handled by branch A, with step 1's document; an activist of branch A (for the
assessment). Foreign objects: the same handled by the foreign street's branch. Branch B's secretary reads the
lists (his own branch is empty) but not branch A's people."""

from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.recruitment import services
from gongzhi.recruitment.models import Candidate, StepDocument
from tests.access import COMMUNITY_SCOPE, STAFF, ApiCase, PageCase

from .factories import applicant, days_ago, walk

READERS = COMMUNITY_SCOPE | {"branch_secretary_a"}
RECORDERS = STAFF | {"branch_secretary_a"}
LIST_READERS = READERS | {"branch_secretary_b"}
REGISTRARS = STAFF | {"branch_secretary_a", "branch_secretary_b"}


def _person(w, own=True, name=None, applied=40) -> Candidate:
    branch = w.branch_a if own else w.branch_x
    name = name or ("申请人" if own else "外街申请人")
    found = Candidate.objects.filter(branch=branch, name=name).first()
    return found or applicant(branch, applied_on=days_ago(applied), name=name)


def _activist(w, own=True) -> Candidate:
    person = _person(w, own, name="积极分子" if own else "外街积极分子", applied=100)
    if person.last_step < 3:
        walk(person, 3, secretary=None, upper=None, members=[])
    return person


def _document(w, own=True) -> dict:
    person = _person(w, own)
    step = person.steps.get(number=1)
    found = StepDocument.objects.filter(step=step).first()
    if found is None:
        found = services.add_document(step=step, upload=SimpleUploadedFile("申请书.pdf", b"%PDF-1.4\n%%EOF\n",
                                                                            "application/pdf"), by=None)
    return {"pk": person.pk, "file_pk": found.pk}


def _step_args(w, own=True) -> dict:
    person = _person(w, own)
    return {"pk": person.pk, "step_pk": person.steps.get(number=1).pk}


def _branch_a(w) -> dict:
    return {"branch": str(w.branch_a.pk), "name": "新申请人", "id_number": "11010119950601102X", "ethnicity": "汉族",
            "category": "in_service", "applied_on": days_ago(3).isoformat()}


PAGE_CASES = [
    PageCase("recruitment:index", allowed=LIST_READERS),
    PageCase("recruitment:index", allowed=LIST_READERS, query="?standing=applicant"),
    PageCase("recruitment:new", allowed=REGISTRARS),
    PageCase("recruitment:new", allowed=REGISTRARS, method="post", data=_branch_a, ok=frozenset({302, 400})),
    PageCase("recruitment:person", own=lambda w: {"pk": _person(w).pk},
             foreign=lambda w: {"pk": _person(w, own=False).pk}, allowed=READERS),
    PageCase("recruitment:step", own=lambda w: {"pk": _person(w).pk},
             foreign=lambda w: {"pk": _person(w, own=False).pk}, allowed=RECORDERS, method="post",
             data=lambda w: {"on": days_ago(1).isoformat(), "notes": "谈话"}, ok=frozenset({302, 400})),
    PageCase("recruitment:assess", own=lambda w: {"pk": _activist(w).pk},
             foreign=lambda w: {"pk": _activist(w, own=False).pk}, allowed=RECORDERS, method="post",
             data=lambda w: {"on": days_ago(1).isoformat(), "text": "季度考察合格"}, ok=frozenset({302})),
    PageCase("recruitment:attach", own=_step_args, foreign=lambda w: _step_args(w, own=False), allowed=RECORDERS,
             method="post", ok=frozenset({302})),
    PageCase("recruitment:document", own=_document, foreign=lambda w: _document(w, own=False), allowed=READERS),
    PageCase("recruitment:reveal", own=lambda w: {"pk": _person(w).pk},
             foreign=lambda w: {"pk": _person(w, own=False).pk}, allowed=RECORDERS, method="post"),
    PageCase("recruitment:close", own=lambda w: {"pk": _person(w).pk},
             foreign=lambda w: {"pk": _person(w, own=False).pk}, allowed=RECORDERS, method="post",
             data=lambda w: {"on": days_ago(1).isoformat(), "reason": "本人撤回"}, ok=frozenset({302})),
]

API_CASES = [
    ApiCase("get", "/api/recruitment/", allowed=LIST_READERS),
    ApiCase("get", "/api/recruitment/{person_id}", own=lambda w: {"person_id": _person(w).pk},
            foreign=lambda w: {"person_id": _person(w, own=False).pk}, allowed=READERS),
]
