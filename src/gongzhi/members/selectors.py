"""Reading member records: the filtered roster, age bands and the figures of the stats page."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import Member

AGE_BANDS = [
    ("u35", _("Under 35"), 0, 34),
    ("35_45", _("35 to 45"), 35, 45),
    ("46_60", _("46 to 60"), 46, 60),
    ("61_80", _("61 to 80"), 61, 80),
    ("o80", _("Over 80"), 81, 200),
]


def birth_range(min_age: int, max_age: int, today: date) -> tuple[date, date]:
    """Birth dates of people aged min_age..max_age on ``today`` (inclusive)."""
    def shift(years: int) -> date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    latest = shift(min_age)
    earliest = shift(max_age + 1) + timedelta(days=1)
    return earliest, latest


def age_band_q(band: str, today: date) -> Q:
    for key, _label, low, high in AGE_BANDS:
        if key == band:
            earliest, latest = birth_range(low, high, today)
            return Q(birth_date__gte=earliest, birth_date__lte=latest)
    return Q()


def filtered_members(user, data: dict, today: date):
    """The roster visible to the user, narrowed by the cleaned filter form data."""
    qs = Member.objects.visible_to(user).select_related("home_org", "community")
    if data.get("branch"):
        qs = qs.filter(home_org__path__startswith=data["branch"].path)
    for field in ("category", "status", "education", "party_status"):
        if data.get(field):
            qs = qs.filter(**{field: data[field]})
    if data.get("away") == "mobile":
        qs = qs.filter(is_mobile_member=True)
    elif data.get("away") == "lost_contact":
        qs = qs.filter(standing="lost_contact")
    if data.get("age"):
        qs = qs.filter(age_band_q(data["age"], today))
    if data.get("q"):
        qs = qs.search(data["q"])
    standing = data.get("standing") or ""
    if standing == "":
        qs = qs.current()
    elif standing != "all":
        qs = qs.filter(standing=standing)
    return qs


def member_stats(organization, today: date) -> dict:
    """Figures for one organization: members held or residing in its subtree."""
    from gongzhi.orgs.models import Organization, OrgKind

    from .models import Education, MemberCategory, MemberStatus, PartyStatus, Sex

    qs = Member.objects.in_subtree(organization).current()
    # Every distribution in one pass over the subtree's members: a count per choice of each field,
    # per age band, and the totals (it was one COUNT per band and per field).
    fields = {"status": MemberStatus.choices, "category": MemberCategory.choices, "sex": Sex.choices,
              "education": [*Education.choices, ("", _("Not recorded"))], "party_status": PartyStatus.choices}
    counts = {"total": Count("id"), "in_service": Count("id", filter=Q(category=MemberCategory.IN_SERVICE)),
              "mobile": Count("id", filter=Q(is_mobile_member=True)),
              "lost_contact": Count("id", filter=Q(standing="lost_contact"))}
    for field, choices in fields.items():
        for i, (value, _label) in enumerate(choices):
            counts[f"{field}_{i}"] = Count("id", filter=Q(**{field: value}))
    for band in AGE_BANDS:
        counts[f"age_{band[0]}"] = Count("id", filter=age_band_q(band[0], today))
    found = qs.aggregate(**counts)

    def distribution(field):
        return [{"key": value, "label": label, "n": found[f"{field}_{i}"]}
                for i, (value, label) in enumerate(fields[field])]

    branches = list(
        Organization.objects.descendants_of(organization).filter(kind=OrgKind.BRANCH)
        .annotate(n=Count("held_members", filter=~Q(held_members__standing__in=["transferred_out", "deceased"])))
        .order_by("path").values("name", "n")
    )
    due = list(qs.filter(status=MemberStatus.PROBATIONARY, probation_ends_on__lte=today + timedelta(days=60))
               .select_related("home_org")
               .only("id", "name", "home_org_name", "probation_ends_on", "home_org__id", "home_org__name")
               .order_by("probation_ends_on"))
    reported = reported_figures(organization)
    return {
        "total": found["total"],
        "status": distribution("status"),
        "category": distribution("category"),
        "sex": distribution("sex"),
        "education": distribution("education"),
        "party_status": distribution("party_status"),
        "away": [{"key": "mobile", "label": _("Mobile members"), "n": found["mobile"]},
                 {"key": "lost_contact", "label": _("Lost contact"), "n": found["lost_contact"]}],
        "ages": [{"key": band[0], "label": band[1], "n": found[f"age_{band[0]}"]} for band in AGE_BANDS],
        "branches": branches,
        "due": due,
        "in_service": found["in_service"],
        **reported,
    }


def reported_figures(organization) -> dict:
    """Reported in-service members residing in the subtree, and the dual-reporting rate:
    in-service members residing here whose membership is held elsewhere and who have reported."""
    from .models import MemberCategory, Reporting, ReportingStatus

    residing = Member.objects.current().filter(community__path__startswith=organization.path,
                                               category=MemberCategory.IN_SERVICE)
    outside = residing.exclude(home_org__path__startswith=organization.path)
    # Both in one pass; "has reported" is a probe of the member's reportings (no DISTINCT over whole rows).
    accepted = Reporting.objects.filter(member=OuterRef("pk"), status=ReportingStatus.ACCEPTED)
    figures = outside.aggregate(eligible=Count("pk"), reported=Count("pk", filter=Q(Exists(accepted))))
    eligible, reported = figures["eligible"], figures["reported"]
    pending = Reporting.objects.filter(community__path__startswith=organization.path,
                                       status=ReportingStatus.SUBMITTED).count()
    return {
        "reported": reported,
        "reporting_eligible": eligible,
        "reporting_rate": (reported / eligible) if eligible else None,
        "reporting_pending": pending,
    }


def residents_for(user, data: dict, *, inline: bool = False):
    """Residents visible to the user, narrowed by the cleaned filter form data; ``inline``: the scope's
    community ids written into the query (``ScopedQuerySet.visible_to``), to count them by the index."""
    from .models import Resident

    qs = (Resident.objects.visible_to(user, inline=inline).select_related("community", "household__building", "member")
          .order_by("community__path", "household__building__name", "household__entrance", "household__number",
                    "id"))
    if data.get("grid"):
        qs = qs.filter(household__building__grid=data["grid"])
    if data.get("political_status"):
        qs = qs.filter(political_status=data["political_status"])
    text = (data.get("q") or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(name_initials__startswith=text.lower()) | sealed_search_q(text))
    return qs


def sealed_search_q(text: str, *, id_field: str = "id_number", phone_field: str = "phone") -> Q:
    """What an ID number or a phone typed into a search box matches, without decrypting anything: a whole
    number through its blind index, the last four characters of an ID number through the column kept
    beside it."""
    from gongzhi.core import crypto

    text = text.strip()
    found = Q(pk__in=[])
    compact = crypto.normalise_id(text)
    if len(compact) in (15, 18) and compact[:-1].isdigit():
        found |= Q(**{f"{id_field}_bidx__in": crypto.blind_indexes("id", compact)})
    digits = crypto.normalise_phone(text)
    if len(digits) == 11 and digits == text.replace(" ", "").replace("-", ""):
        found |= Q(**{f"{phone_field}_bidx__in": crypto.blind_indexes("phone", digits)})
    if len(compact) == 4 and compact[:3].isdigit() and (compact[3].isdigit() or compact[3] == "X"):
        found |= Q(**{f"{id_field}_last4": compact})
    return found
