"""Access cases for dues and funds (tests/test_access_matrix.py).

Dues of branch A are read by community A's staff, the supervisor, the street, branch A's secretary and its
dues clerk (treasurer_a), and recorded by the last two; the income base is seen by them and the member only.
Funds are community A's: read by its staff, the supervisor and the street; recorded by the staff; approved by
the secretary or the street. Foreign objects are those of branch X / community X."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from gongzhi.money import services
from gongzhi.money.models import DuesBase, DuesHandover, DuesPayment, Expenditure, ExpenditureStatus
from tests.access import ALL_LOGGED_IN, STAFF, ApiCase, PageCase

from . import factories

LEADERS = frozenset({"street_admin", "community_secretary"})
DUES_STAFF = frozenset({"branch_secretary_a", "treasurer_a"})
READ_DUES = STAFF | {"supervisor"} | DUES_STAFF
READ_FUNDS = STAFF | {"supervisor"}
SEE_BASE = DUES_STAFF | {"member"}
USE_MONEY = READ_DUES | {"branch_secretary_b"}


def _month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def _member(w, own=True):
    return w.member_a if own else w.member_x


def _based(w, own=True):
    member = _member(w, own)
    year = timezone.localdate().year
    if not DuesBase.objects.filter(member=member, year=year).exists():
        by = w.users["treasurer_a" if own else "foreign_secretary"]
        services.declare_base(member=member, year=year, basis="pension" if not own else "salary",
                              amount=Decimal("4200.00"), by=by)
    return member


def _payment(w, own=True):
    member = _based(w, own)
    found = DuesPayment.objects.filter(member=member, reverses__isnull=True).first()
    if found is None:
        [found] = services.record_payment(member=member, months=[date(timezone.localdate().year, 1, 1)],
                                          key=factories.key(), by=w.users["treasurer_a" if own else
                                                                          "foreign_secretary"])
    return found


def _handover(w, own=True):
    organization = w.branch_a if own else w.branch_x
    found = DuesHandover.objects.filter(organization=organization).first()
    if found is None:
        _payment(w, own)
        found = services.hand_over(organization=organization, by=w.users["treasurer_a" if own else
                                                                           "foreign_secretary"])
    return found


def _expenditure(w, own=True, amount="800.00"):
    community = w.community_a if own else w.community_x
    found = Expenditure.objects.filter(organization=community, status=ExpenditureStatus.PENDING).first()
    if found is None:
        by = w.users["community_staff" if own else "foreign_secretary"]
        line = services.save_budget_line(organization=community, year=timezone.localdate().year,
                                         source="allocation", purpose="activities", amount=Decimal("5000.00"), by=by)
        found = services.record_expenditure(organization=community, line=line, spent_on=timezone.localdate(),
                                            amount=Decimal(amount), purpose="饺子宴食材", payee="惠民超市",
                                            receipt=factories.png(), key=factories.key(), by=by)
    return found


def _line(w):
    return services.save_budget_line(organization=w.community_a, year=timezone.localdate().year, source="other",
                                     purpose="education", amount=Decimal("500.00"), by=w.users["community_staff"])


def _org(attr):
    return lambda w: {"pk": getattr(w, attr).pk}


BRANCH, BRANCH_X = _org("branch_a"), _org("branch_x")
COMMUNITY, COMMUNITY_X = _org("community_a"), _org("community_x")


PAGE_CASES = [
    PageCase("money:index", allowed=USE_MONEY | {"member"}, ok=frozenset({200, 302})),
    PageCase("money:rates", allowed=USE_MONEY | {"member"}),
    PageCase("money:rates", allowed=frozenset({"street_admin"}), method="post", ok=frozenset({302}),
             data=lambda w: {"basis": "welfare", "fixed": "0.30", "note": "matrix",
                             "effective_from": f"{timezone.localdate().year + 1}-06"}),
    PageCase("money:sheet", own=BRANCH, foreign=BRANCH_X, allowed=READ_DUES, query="?month=2026-13"),
    PageCase("money:pay", own=BRANCH, foreign=BRANCH_X, allowed=DUES_STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"member": _based(w).pk, "month": _month(), "key": "matrix-pay-key"}),
    PageCase("money:arrears", own=BRANCH, foreign=BRANCH_X, allowed=READ_DUES),
    PageCase("money:handover_new", own=BRANCH, foreign=BRANCH_X, allowed=DUES_STAFF, method="post",
             ok=frozenset({302}), data=lambda w: {"amount": "", "handed_on": str(timezone.localdate())}),
    PageCase("money:export_dues", own=BRANCH, foreign=BRANCH_X, allowed=READ_DUES, query="?year=abc"),
    PageCase("money:statement_import", own=BRANCH, foreign=BRANCH_X, allowed=DUES_STAFF),
    PageCase("money:statement_report", own=BRANCH, foreign=BRANCH_X, allowed=DUES_STAFF, ok=frozenset({302})),
    PageCase("money:member", own=lambda w: {"pk": w.member_a.pk}, foreign=lambda w: {"pk": w.member_x.pk},
             allowed=READ_DUES),
    PageCase("money:member_pay", own=lambda w: {"pk": _based(w).pk}, foreign=lambda w: {"pk": w.member_x.pk},
             allowed=DUES_STAFF, method="post", ok=frozenset({302, 400}),
             data=lambda w: {"first": _month(), "key": "matrix-member-pay", "method": "cash"}),
    PageCase("money:declare_base", own=lambda w: {"pk": w.member_a.pk}, foreign=lambda w: {"pk": w.member_x.pk},
             allowed=SEE_BASE, method="post", ok=frozenset({302}),
             data=lambda w: {"year": str(timezone.localdate().year), "basis": "salary", "amount": "4200.00"}),
    PageCase("money:reveal_base", own=lambda w: {"pk": _based(w).pk}, foreign=lambda w: {"pk": _based(w, False).pk},
             allowed=SEE_BASE, method="post", data=lambda w: {"year": str(timezone.localdate().year)}),
    PageCase("money:reverse_payment", own=lambda w: {"pk": _payment(w).pk},
             foreign=lambda w: {"pk": _payment(w, False).pk}, allowed=DUES_STAFF, method="post", ok=frozenset({302}),
             data=lambda w: {"reason": "记错了月份"}),
    PageCase("money:mine", allowed=frozenset({"member"})),
    PageCase("money:handovers", allowed=USE_MONEY),
    PageCase("money:handover_confirm", own=lambda w: {"pk": _handover(w).pk},
             foreign=lambda w: {"pk": _handover(w, False).pk}, allowed=STAFF, method="post", ok=frozenset({302})),
    PageCase("money:funds", own=COMMUNITY, foreign=COMMUNITY_X, allowed=READ_FUNDS, query="?year=99999"),
    PageCase("money:budget_line", own=COMMUNITY, foreign=COMMUNITY_X, allowed=STAFF, method="post",
             ok=frozenset({302}), data=lambda w: {"year": "2026", "source": "cobuilding", "purpose": "care",
                                                  "amount": "1200.00"}),
    PageCase("money:approval_setting", own=COMMUNITY, foreign=COMMUNITY_X, allowed=LEADERS, method="post",
             ok=frozenset({302}), data=lambda w: {"approval_above": "800.00"}),
    PageCase("money:expenditure_new", own=COMMUNITY, foreign=COMMUNITY_X, allowed=STAFF),
    PageCase("money:expenditure_new", own=COMMUNITY, foreign=COMMUNITY_X, allowed=STAFF, method="post",
             ok=frozenset({302}),
             data=lambda w: {"line": _expenditure(w).line_id, "spent_on": str(timezone.localdate()),
                             "amount": "120.00", "purpose": "党课资料打印", "payee": "文印店", "key": "matrix-expense",
                             "receipt": factories.pdf()}),
    PageCase("money:expenditure", own=lambda w: {"pk": _expenditure(w).pk},
             foreign=lambda w: {"pk": _expenditure(w, False).pk}, allowed=READ_FUNDS),
    PageCase("money:expenditure_step", own=lambda w: {"pk": _expenditure(w).pk},
             foreign=lambda w: {"pk": _expenditure(w, False).pk}, allowed=LEADERS, method="post", ok=frozenset({302}),
             data=lambda w: {"action": "approve"}),
    PageCase("money:receipt", own=lambda w: {"pk": _expenditure(w).pk},
             foreign=lambda w: {"pk": _expenditure(w, False).pk}, allowed=READ_FUNDS),
    PageCase("money:disclosure", own=COMMUNITY, foreign=COMMUNITY_X, allowed=READ_FUNDS,
             query="?period=quarter&year=2026&number=9"),
    PageCase("money:disclosure", own=COMMUNITY, foreign=COMMUNITY_X, allowed=STAFF, method="post",
             ok=frozenset({302}), data=lambda w: {"period": "quarter", "year": "2026", "number": "3"}),
    PageCase("money:export_funds", own=COMMUNITY, foreign=COMMUNITY_X, allowed=READ_FUNDS),
]

API_CASES = [
    ApiCase("get", "/api/dues/sheet", allowed=READ_DUES,
            data=lambda w: {"organization_id": w.branch_a.pk, "month": _month()}),
    ApiCase("get", "/api/dues/payments", allowed=ALL_LOGGED_IN),
    ApiCase("post", "/api/dues/payments", allowed=DUES_STAFF, ok=frozenset({200, 201}),
            data=lambda w: {"member_id": _based(w).pk, "months": [_month()], "key": "matrix-api-pay"}),
    ApiCase("get", "/api/dues/mine", allowed=frozenset({"member"})),
    ApiCase("get", "/api/dues/rates", allowed=USE_MONEY | {"member"}),
    ApiCase("post", "/api/dues/bases", allowed=SEE_BASE, ok=frozenset({200, 201}),
            data=lambda w: {"member_id": w.member_a.pk, "year": timezone.localdate().year, "basis": "rural"}),
    ApiCase("get", "/api/dues/arrears", allowed=READ_DUES, data=lambda w: {"organization_id": w.branch_a.pk}),
    ApiCase("get", "/api/dues/handovers", allowed=ALL_LOGGED_IN),
    ApiCase("post", "/api/dues/handovers/{handover_id}/confirm", own=lambda w: {"handover_id": _handover(w).pk},
            foreign=lambda w: {"handover_id": _handover(w, False).pk}, allowed=STAFF, ok=frozenset({200, 422})),
    ApiCase("get", "/api/funds/budget", allowed=READ_FUNDS, data=lambda w: {"organization_id": w.community_a.pk}),
    ApiCase("get", "/api/funds/expenditures", allowed=ALL_LOGGED_IN),
    ApiCase("post", "/api/funds/lines", allowed=STAFF, ok=frozenset({200, 201}),
            data=lambda w: {"organization_id": w.community_a.pk, "year": timezone.localdate().year,
                            "source": "other", "purpose": "other", "amount": "100.00"}),
    ApiCase("post", "/api/funds/expenditures", allowed=STAFF, ok=frozenset({200, 201}),
            data=lambda w: {"organization_id": w.community_a.pk, "line_id": _line(w).pk,
                            "spent_on": timezone.localdate().isoformat(), "amount": "10.00", "purpose": "matrix",
                            "payee": "matrix", "receipt_name": "r.png", "receipt_base64": factories.png64(),
                            "key": "matrix-api-spend"}),
    ApiCase("get", "/api/funds/expenditures/{expenditure_id}",
            own=lambda w: {"expenditure_id": _expenditure(w).pk},
            foreign=lambda w: {"expenditure_id": _expenditure(w, False).pk}, allowed=READ_FUNDS),
    ApiCase("post", "/api/funds/expenditures/{expenditure_id}/decision",
            own=lambda w: {"expenditure_id": _expenditure(w).pk},
            foreign=lambda w: {"expenditure_id": _expenditure(w, False).pk}, allowed=LEADERS,
            ok=frozenset({200, 422}), data=lambda w: {"action": "approve"}),
]
