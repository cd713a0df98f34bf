"""The statistical tables (党内统计) of an organization's subtree at a date, as an .xlsx workbook.

The members counted are those whose membership is held in the subtree, on the register at the date
(joined by then, not transferred out or deceased). Every sheet that divides them (by sex, ethnic group,
age band, education, category, length of membership, full or probationary) has a total row equal to the
overview's; the organizations are divided by kind and size; the changes of the year up to the date and
the dual reporting of the in-service members living in the subtree follow. One pass over the members
builds every division, so the sheets add up by construction, and a test reads them back.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from gongzhi.core import spreadsheets
from gongzhi.members.models import (
    Education,
    MemberCategory,
    Reporting,
    ReportingStatus,
    Sex,
    Transfer,
    TransferStatus,
)
from gongzhi.members.models import Member as PartyMember
from gongzhi.orgs.models import BRANCH_LEVEL, GROUP_LEVEL, Organization

#: Age bands of the party statistics: upper bounds in years (inclusive), the last open.
AGE_BANDS = (30, 35, 40, 45, 50, 55, 60, 70)
#: Length of membership, in whole years: lower bounds.
STANDING_BANDS = (0, 5, 10, 20, 30, 40, 50)
#: Members held in a branch: size bands (lower bounds).
SIZE_BANDS = (0, 3, 7, 31, 51)


def _years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _band(value: int, bounds: tuple[int, ...]) -> int:
    """Index of the band holding ``value`` for upper bounds ``AGE_BANDS``."""
    for index, upper in enumerate(bounds):
        if value <= upper:
            return index
    return len(bounds)


def _lower_band(value: int, bounds: tuple[int, ...]) -> int:
    index = 0
    for position, lower in enumerate(bounds):
        if value >= lower:
            index = position
    return index


def age_band_labels() -> list[str]:
    labels = [_("%(n)s and under") % {"n": AGE_BANDS[0]}]
    labels += [f"{low + 1}–{high}" for low, high in zip(AGE_BANDS, AGE_BANDS[1:], strict=False)]
    return labels + [_("%(n)s and over") % {"n": AGE_BANDS[-1] + 1}]


def _lower_labels(bounds: tuple[int, ...]) -> list[str]:
    labels = [f"{low}–{high - 1}" for low, high in zip(bounds, bounds[1:], strict=False)]
    return labels + [_("%(n)s and more") % {"n": bounds[-1]}]


def members_at(organization, on: date):
    """Members held in the subtree and on the register at ``on``."""
    return PartyMember.objects.held_in(organization).current().filter(joined_on__lte=on)


def compute(organization, on: date, progress: Callable[[int, int], None] | None = None) -> dict:
    """Every table of the workbook as ``{sheet: {"title", "header", "rows"}}`` plus ``totals``."""
    steps = 4
    rows = list(members_at(organization, on).values_list(
        "sex", "ethnicity", "birth_date", "education", "category", "joined_on", "full_member_on",
        "lost_contact_since", "is_mobile_member"))
    counters = {name: Counter() for name in ("sex", "ethnicity", "age", "education", "category", "standing",
                                             "status")}
    lost = mobile = 0
    for sex, ethnicity, born, education, category, joined, full_on, lost_since, is_mobile in rows:
        counters["sex"][sex] += 1
        counters["ethnicity"][ethnicity or _("Not recorded")] += 1
        counters["age"][_band(_years(born, on), AGE_BANDS)] += 1
        counters["education"][education] += 1
        counters["category"][category] += 1
        counters["standing"][_lower_band(_years(joined, on), STANDING_BANDS)] += 1
        counters["status"]["full" if full_on and full_on <= on else "probationary"] += 1
        lost += bool(lost_since and lost_since <= on)
        mobile += bool(is_mobile)
    if progress:
        progress(1, steps)
    total = len(rows)

    def choice_rows(counter, choices, blank_label=None):
        result = [[str(label), counter.get(value, 0)] for value, label in choices]
        if blank_label is not None:
            result.append([blank_label, counter.get("", 0)])
        return result

    age_labels, standing_labels = age_band_labels(), _lower_labels(STANDING_BANDS)
    divisions = {
        "sex": (_("By sex"), choice_rows(counters["sex"], Sex.choices)),
        "ethnicity": (_("By ethnic group"), sorted([[k, v] for k, v in counters["ethnicity"].items()],
                                                  key=lambda r: (-r[1], r[0]))),
        "age": (_("By age band"), [[label, counters["age"].get(i, 0)] for i, label in enumerate(age_labels)]),
        "education": (_("By education"), choice_rows(counters["education"], Education.choices, _("Not recorded"))),
        "category": (_("By category"), choice_rows(counters["category"], MemberCategory.choices)),
        "standing": (_("By length of membership"),
                     [[_("%(band)s years") % {"band": label}, counters["standing"].get(i, 0)]
                      for i, label in enumerate(standing_labels)]),
        "status": (_("Full and probationary"), [[_("Full members"), counters["status"].get("full", 0)],
                                                [_("Probationary members"),
                                                 counters["status"].get("probationary", 0)]]),
    }
    tables = {}
    for key, (title, division) in divisions.items():
        tables[key] = {"title": title, "header": [_("Division"), _("Members"), _("Share (%)")],
                       "rows": [[label, n, round(100 * n / total, 1) if total else 0] for label, n in division],
                       "total": sum(n for _label, n in division)}
    if progress:
        progress(2, steps)

    held = dict(members_at(organization, on).values_list("home_org_id").annotate(n=Count("pk")).order_by())
    size_labels = _lower_labels(SIZE_BANDS)
    organizations = list(Organization.objects.filter(path__startswith=organization.path, is_active=True,
                                                     kind__in=BRANCH_LEVEL | GROUP_LEVEL).order_by("path"))
    by_kind = Counter((o.kind, o.get_category_display() if o.category else "") for o in organizations)
    by_size = Counter(_lower_band(held.get(o.pk, 0), SIZE_BANDS) for o in organizations if o.kind in BRANCH_LEVEL)
    org_rows = [[o_kind_label(kind) + (f"（{category}）" if category else ""), n]
                for (kind, category), n in sorted(by_kind.items())]
    tables["organizations"] = {"title": _("Branches and groups"), "header": [_("Kind"), _("Number")],
                               "rows": org_rows, "total": sum(n for _label, n in org_rows)}
    branches = sum(1 for o in organizations if o.kind in BRANCH_LEVEL)
    tables["branch_size"] = {"title": _("Branches by size"), "header": [_("Members held"), _("Branches")],
                             "rows": [[_("%(band)s members") % {"band": label}, by_size.get(i, 0)]
                                      for i, label in enumerate(size_labels)], "total": branches}
    if progress:
        progress(3, steps)

    year_start = date(on.year, 1, 1)
    joined = PartyMember.objects.held_in(organization).filter(joined_on__gte=year_start, joined_on__lte=on).count()
    inside = Q(to_org__path__startswith=organization.path)
    from_inside = Q(from_org__path__startswith=organization.path)
    accepted = Transfer.objects.filter(status=TransferStatus.ACCEPTED, decided_at__date__gte=year_start,
                                       decided_at__date__lte=on)
    transfers_in = accepted.filter(inside).exclude(from_inside).count()
    transfers_out = accepted.filter(from_inside).exclude(inside).count()
    tables["changes"] = {"title": _("Changes and special situations"), "header": [_("Item"), _("Members")],
                         "rows": [[_("Joined the party this year"), joined],
                                  [_("Transferred in this year"), transfers_in],
                                  [_("Transferred out this year"), transfers_out],
                                  [_("Out of contact"), lost], [_("Mobile members"), mobile]], "total": None}
    living = PartyMember.objects.current().filter(community__path__startswith=organization.path,
                                                  category=MemberCategory.IN_SERVICE, joined_on__lte=on)
    reported = living.filter(pk__in=Reporting.objects.filter(
        status=ReportingStatus.ACCEPTED, community__path__startswith=organization.path,
        decided_at__date__lte=on).values("member_id")).count()
    in_service = living.count()
    rate = round(100 * reported / in_service, 1) if in_service else 0
    tables["dual_reporting"] = {"title": _("Dual reporting"), "header": [_("Item"), _("Value")],
                                "rows": [[_("In-service members living here"), in_service],
                                         [_("Of whom reported to the community"), reported],
                                         [_("Not reported"), in_service - reported],
                                         [_("Dual reporting rate (%)"), rate]], "total": None}
    overview = [[_("Party members"), total], [_("Full members"), counters["status"].get("full", 0)],
                [_("Probationary members"), counters["status"].get("probationary", 0)],
                [_("Party branches"), branches],
                [_("Party groups"), sum(1 for o in organizations if o.kind in GROUP_LEVEL)],
                [_("In-service members living here"), in_service], [_("Of whom reported to the community"), reported]]
    tables = {"overview": {"title": _("Overview"), "header": [_("Item"), _("Number")], "rows": overview,
                           "total": None}, **tables}
    if progress:
        progress(4, steps)
    return {"tables": tables, "totals": {"members": total, "branches": branches, "reported": reported}}


def o_kind_label(kind: str) -> str:
    from gongzhi.orgs.models import OrgKind

    return str(OrgKind(kind).label)


def workbook(organization, on: date, computed: dict) -> bytes:
    """The tables as an .xlsx (through ``core.spreadsheets``): a sheet each, with a total row where the
    sheet divides a whole."""
    buffer = io.BytesIO()
    book = spreadsheets.xlsx_book(buffer)
    bold = book.add_format({"bold": True})
    for table in computed["tables"].values():
        sheet = book.add_worksheet(table["title"][:31])
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 2, 14)
        spreadsheets.write_row(sheet, 0, [f"{organization.name} · {table['title']} · {on.isoformat()}"])
        spreadsheets.write_row(sheet, 2, table["header"])
        sheet.set_row(2, None, bold)
        for index, row in enumerate(table["rows"], start=3):
            spreadsheets.write_row(sheet, index, row)
        if table["total"] is not None:
            spreadsheets.write_row(sheet, 3 + len(table["rows"]), [_("Total"), table["total"]])
    book.close()
    return buffer.getvalue()
