"""Narrative sentences drafted from frozen figures, and the problems the data suggests.

A sentence is written only when every figure it names is there and has a value: a key the registry
does not offer is simply not written. Figures no sentence names are stated plainly (label: value), so
that every figure of an area is in its text. The secretary edits the result in the page.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from gongzhi.orgs.models import Organization

from .figures import applicable, as_number, number_text, values

#: (section, keys, sentence). "basic" is the basic situation (基本情况); the others are areas.
SENTENCES = [
    ("basic", ("members.total",),
     gettext_lazy("At the end of the period there were %(members.total)s party members.")),
    ("basic", ("members.probationary",),
     gettext_lazy("%(members.probationary)s of them were probationary members.")),
    ("basic", ("members.share_of_residents",),
     gettext_lazy("Party members were %(members.share_of_residents)s%% of the residents.")),
    ("basic", ("orgs.branches", "orgs.groups"),
     gettext_lazy("They were organized in %(orgs.branches)s party branches and %(orgs.groups)s party groups.")),
    ("organization", ("members.dual_reporting", "members.dual_reporting_rate"),
     gettext_lazy("%(members.dual_reporting)s in-service members reported to the community where they live, a "
                  "dual reporting rate of %(members.dual_reporting_rate)s%%.")),
    ("organization", ("members.joined",), gettext_lazy("%(members.joined)s new members joined the party.")),
    ("organization", ("members.transfers_in", "members.transfers_out"),
     gettext_lazy("%(members.transfers_in)s members transferred in and %(members.transfers_out)s transferred out.")),
    ("life", ("meetings.held",),
     gettext_lazy("The organizations held %(meetings.held)s meetings of organizational life.")),
    ("life", ("meetings.compliance",),
     gettext_lazy("The required \"three meetings and one lesson\" were held in %(meetings.compliance)s%% of "
                  "cases.")),
    ("life", ("meetings.appraisal_grades",),
     gettext_lazy("%(meetings.appraisal_grades)s members took part in the democratic appraisal.")),
    ("education", ("learning.sessions",), gettext_lazy("%(learning.sessions)s training sessions were held.")),
    ("education", ("learning.training_completion",),
     gettext_lazy("Training completion reached %(learning.training_completion)s%%.")),
    ("service", ("service.activities", "service.participations", "service.hours"),
     gettext_lazy("During the period %(service.activities)s volunteer service activities were held, with "
                  "%(service.participations)s participations of party members and %(service.hours)s hours of "
                  "service.")),
    ("service", ("points.awarded",), gettext_lazy("%(points.awarded)s service points were awarded.")),
    ("service", ("points.activation_rate",),
     gettext_lazy("%(points.activation_rate)s%% of the members served at least once (activation rate).")),
    ("residents", ("voice.requests", "voice.answered_on_time"),
     gettext_lazy("Residents made %(voice.requests)s requests; %(voice.answered_on_time)s%% were answered on "
                  "time.")),
    ("residents", ("voice.resolved", "voice.satisfaction"),
     gettext_lazy("%(voice.resolved)s%% were resolved, and residents' satisfaction was %(voice.satisfaction)s%%.")),
    ("residents", ("voice.wishes_fulfilled",),
     gettext_lazy("%(voice.wishes_fulfilled)s small wishes of residents were fulfilled.")),
    ("residents", ("voice.consultations",),
     gettext_lazy("%(voice.consultations)s consultations were held with residents.")),
    ("care", ("care.pairings",),
     gettext_lazy("%(care.pairings)s pairings with people in need were in place.")),
    ("care", ("care.visits", "care.visits_on_time"),
     gettext_lazy("Members made %(care.visits)s home visits, %(care.visits_on_time)s%% of them on time.")),
]

#: Figures whose low value in a child organization is proposed as a problem (e.g. low activation in a branch).
PER_CHILD_KEYS = ("points.activation_rate", "meetings.compliance")


def low_share() -> Decimal:
    """A percentage below this is proposed as a problem (``GONGZHI_REPORTS_LOW_SHARE``, default 80)."""
    return Decimal(str(getattr(settings, "GONGZHI_REPORTS_LOW_SHARE", 80)))


def unit_text(unit: str) -> str:
    return {"percent": "%", "people": pgettext("unit", "people"), "count": "", "hours": pgettext("unit", "hours"),
            "points": pgettext("unit", "points"), "yuan": pgettext("unit", "yuan"), "days": pgettext("unit", "days"),
            "times": pgettext("unit", "times")}.get(unit, "")


def _with_unit(figure: dict) -> str:
    unit = unit_text(figure["unit"])
    if figure["unit"] == "percent":
        return f"{figure['value']}%"
    return f"{figure['value']} {unit}".strip()


def draft(frozen: dict) -> dict[str, str]:
    """The narrative of each section ("basic" and every area) drafted from the frozen figures."""
    found = values(frozen)
    text: dict[str, list[str]] = {}
    named: set[str] = set()
    for section, keys, sentence in SENTENCES:
        if all(found.get(k, {}).get("value") is not None for k in keys):
            text.setdefault(section, []).append(str(sentence) % {k: found[k]["value"] for k in keys})
            named.update(keys)
    for area in frozen.get("areas", []):
        for figure in area["figures"]:
            if figure["key"] not in named and figure["value"] is not None:
                text.setdefault(area["area"], []).append(
                    _("%(label)s: %(value)s.") % {"label": figure["label"], "value": _with_unit(figure)})
    areas = {a["area"] for a in frozen.get("areas", [])}
    for section in frozen.get("sections", []):
        if section["paragraphs"]:
            home = section["key"].split(".", 1)[0]
            text.setdefault(home if home in areas else section["key"], []).extend(section["paragraphs"])
    return {section: "".join(s) if _joined_without_space() else " ".join(s) for section, s in text.items()}


def _joined_without_space() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("zh")


def propose_problems(frozen: dict, organization, period) -> list[dict]:
    """Problems the data suggests: a share below ``low_share()`` where higher is better, a figure above
    zero where lower is better, and children (branches of a community, communities of a street) whose
    activation or meeting compliance is low. Each is proposed kept; the secretary drops or adds."""
    limit = low_share()
    found = []
    for area in frozen.get("areas", []):
        for figure in area["figures"]:
            value = as_number(figure["value"])
            if value is None:
                continue
            if figure["unit"] == "percent" and figure["higher_is_better"] and value < limit:
                found.append({"key": figure["key"], "kept": True,
                              "text": _("%(label)s was only %(value)s%%.") % {"label": figure["label"],
                                                                             "value": figure["value"]}})
            elif figure["higher_is_better"] is False and value > 0:
                found.append({"key": figure["key"], "kept": True,
                              "text": _("%(label)s: %(value)s.") % {"label": figure["label"],
                                                                  "value": _with_unit(figure)}})
    by_key = {f.key: f for f in applicable(organization)}
    children = list(Organization.objects.filter(parent=organization, is_active=True).order_by("path"))
    for key in PER_CHILD_KEYS:
        item = by_key.get(key)
        if item is None:
            continue
        counted = [c for c in children if not item.kinds or c.kind in item.kinds]
        if item.by_children is not None and counted:  # one query for all of them
            values = item.by_children(organization, counted, period)
        else:
            values = {child.pk: item.compute(child, period) for child in counted}
        for child in counted:
            value = values[child.pk]
            if value is not None and Decimal(value) < limit:
                found.append({"key": f"{key}@{child.pk}", "kept": True,
                              "text": _("%(label)s in %(organization)s was only %(value)s%%.") % {
                                  "label": item.label, "organization": child.name, "value": number_text(value)}})
    return found
