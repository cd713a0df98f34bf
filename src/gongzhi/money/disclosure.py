"""The dues and funds disclosure (收支公开) of a community or village for a period, written from the ledgers:
totals by source and purpose only, never a person's name or amount (the text is public).

It is the drafter of the publicity catalogue's ``finance.dues_funds`` entry (registered when the app starts),
so staff preparing the item on the board get the same text as ``services.publish_disclosure``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.core.periods import Period
from gongzhi.members.models import Member
from gongzhi.publicity import catalogue
from gongzhi.publicity.models import Category, Frequency

from .models import BudgetLine, DuesHandover, DuesPayment, FundsEntry, Purpose, Source

CENT = Decimal("0.01")


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def figures(organization, period: Period) -> dict:
    """The disclosure's numbers: a bounded number of queries whatever the size of the subtree."""
    in_subtree = {"organization__path__startswith": organization.path}
    payments = DuesPayment.objects.filter(**in_subtree, paid_on__range=(period.start, period.end))
    collected = _money(payments.aggregate(s=Sum("amount"))["s"])
    payers = (DuesPayment.objects.live().filter(**in_subtree, paid_on__range=(period.start, period.end))
              .values("member").distinct().count())
    members = Member.objects.held_in(organization).current().count()
    within = (period.start, period.end)
    handed_up = _money(DuesHandover.objects.filter(organization=organization, handed_on__range=within)
                       .aggregate(s=Sum("amount"))["s"])
    received = DuesHandover.objects.filter(receiver__path__startswith=organization.path,
                                           handed_on__range=within).exclude(organization=organization)
    received_total = _money(received.aggregate(s=Sum("amount"))["s"])
    year = period.start.year
    lines = BudgetLine.objects.filter(organization=organization, year=year)
    budget_by_source = {row["source"]: _money(row["s"]) for row in lines.values("source").annotate(s=Sum("amount"))}
    budget = sum(budget_by_source.values(), Decimal(0))
    entries = FundsEntry.objects.filter(organization=organization)
    spent_by_purpose = {row["line__purpose"]: _money(row["s"]) for row in
                        entries.filter(occurred_on__range=(period.start, period.end)).values("line__purpose")
                        .annotate(s=Sum("amount"), n=Count("id"))}
    spent_in_year = _money(entries.filter(occurred_on__year=year, occurred_on__lte=period.end)
                           .aggregate(s=Sum("amount"))["s"])
    return {
        "collected": collected, "payers": payers, "members": members, "handed_up": handed_up,
        "received": received_total,
        "budget": budget, "budget_by_source": [(Source(k).label, v) for k, v in sorted(budget_by_source.items())
                                               if v],
        "spent": sum(spent_by_purpose.values(), Decimal(0)),
        "spent_by_purpose": [(Purpose(k).label, v) for k, v in sorted(spent_by_purpose.items()) if v],
        "spent_in_year": spent_in_year, "remaining": budget - spent_in_year, "year": year,
    }


def title(period: Period) -> str:
    return _("Dues and funds disclosure, %(period)s") % {"period": period.label}


def draft(organization, period: Period | None) -> str:
    period = period or Period.containing("quarter", timezone.localdate()).previous()
    f = figures(organization, period)
    lines = [
        _("%(organization)s: party dues and activity funds, %(start)s to %(end)s.")
        % {"organization": organization.name, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "",
        _("Party dues"),
        _("Collected: %(amount)s yuan from %(payers)s of %(members)s members.")
        % {"amount": f["collected"], "payers": f["payers"], "members": f["members"]},
    ]
    if f["received"]:
        lines.append(_("Handed over by the branches: %(amount)s yuan.") % {"amount": f["received"]})
    lines.append(_("Handed over to the level above: %(amount)s yuan.") % {"amount": f["handed_up"]})
    lines += ["", _("Activity funds, %(year)s") % {"year": f["year"]},
              _("Budget: %(amount)s yuan.") % {"amount": f["budget"]}]
    lines += [f"· {label}: {amount}" for label, amount in f["budget_by_source"]]
    lines.append(_("Spent in the period: %(amount)s yuan.") % {"amount": f["spent"]})
    lines += [f"· {label}: {amount}" for label, amount in f["spent_by_purpose"]]
    lines.append(_("Spent this year to the end of the period: %(spent)s yuan; remaining: %(remaining)s yuan.")
                 % {"spent": f["spent_in_year"], "remaining": f["remaining"]})
    return "\n".join(lines)


catalogue.register(catalogue.CatalogueDefault(
    key="finance.dues_funds", title=gettext_lazy("Dues and funds disclosure"), category=Category.FINANCE,
    frequency=Frequency.QUARTER, due_days=15,
    description=gettext_lazy("Membership dues collected and the funds for serving the masses spent, each quarter."),
    draft=draft))
