"""Figures of the tests' own (registered by monkeypatching the registry) and ways to produce reports."""

from __future__ import annotations

from decimal import Decimal

from gongzhi.core.periods import Period
from gongzhi.core.registries import Figure, figures
from gongzhi.members.models import Member

#: Values the fixed figures return, by (key, year).
FIXED = {
    ("service.activities", 2026): 12, ("service.activities", 2025): 9,
    ("service.participations", 2026): 30, ("service.participations", 2025): 20,
    ("service.hours", 2026): Decimal("45.5"), ("service.hours", 2025): Decimal("38.0"),
    ("points.activation_rate", 2026): Decimal("40.0"), ("points.activation_rate", 2025): Decimal("35.5"),
}


def _fixed(key):
    def compute(organization, period):
        return FIXED.get((key, period.start.year))
    return compute


def members_total(organization, period: Period) -> int:
    """A live figure: members held in the subtree (changes when the data changes)."""
    return Member.objects.held_in(organization).current().filter(joined_on__lte=period.end).count()


def by_category(organization, period):
    return [("在职", Member.objects.held_in(organization).filter(category="in_service").count()),
            ("其他", Member.objects.held_in(organization).exclude(category="in_service").count())]


TEST_FIGURES = [
    Figure(key="members.total", label="Party members", unit="people", area="organization", compute=members_total,
           breakdown=by_category, at_date=True),
    Figure(key="service.activities", label="Service activities", unit="count", area="service",
           compute=_fixed("service.activities")),
    Figure(key="service.participations", label="Participations", unit="times", area="service",
           compute=_fixed("service.participations")),
    Figure(key="service.hours", label="Service hours", unit="hours", area="service", compute=_fixed("service.hours")),
    Figure(key="points.activation_rate", label="Activation rate", unit="percent", area="service",
           compute=_fixed("points.activation_rate")),
]


def register(monkeypatch, extra=()):
    """Publicity's and supervision's figures from the registry plus the tests' own, with known values (the
    other apps' figures are tested with their own known answers in tests/dashboards/test_figures.py)."""
    from gongzhi.reports import figures as module

    kept = [f for f in figures() if f.key.split(".", 1)[0] in ("publicity", "supervision")]
    everything = [*kept, *TEST_FIGURES, *extra]
    monkeypatch.setattr(module, "figures", lambda: everything)
    return everything


def produce(django_capture_on_commit_callbacks, **kwargs):
    from gongzhi.reports import services

    with django_capture_on_commit_callbacks(execute=True):
        summary = services.request_summary(**kwargs)
    summary.refresh_from_db()
    return summary
