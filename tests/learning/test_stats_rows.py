# ruff: noqa: E501 - the template loops below are kept verbatim, on their long lines
"""The figures page's rows, written by the view (``learning.views._stats_rows``), are the markup the template's loops
wrote: the loops themselves, kept here, are rendered with the same rows and compared, with names that need escaping,
a branch without a name, rates of none and of a fraction, in both languages."""

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation
from django.utils.translation import gettext_lazy

from gongzhi.learning.views import _stats_rows

# The template's loops before the rows moved to the view (learning/stats.html), without their {% empty %} rows.
LOOPS = {
    "per_org": """{% for r in per_org %}<tr><td><a href="{% url 'learning:org_stats' r.organization_id %}?year={{ year }}">{{ r.organization__name }}</a></td><td class="text-end">{{ r.members }}</td><td class="text-end">{{ r.records }}</td><td class="text-end">{{ r.hours }}</td></tr>
{% endfor %}""",
    "by_category": """{% for r in by_category %}<tr><td>{{ r.label }}</td><td class="text-end">{{ r.enrolled }}</td><td class="text-end">{{ r.completed }}</td><td class="text-end">{{ r.rate|percent }}</td></tr>
{% endfor %}""",
    "by_branch": """{% for r in by_branch %}<tr><td>{{ r.member__home_org__name|default:"—" }}</td><td class="text-end">{{ r.enrolled }}</td><td class="text-end">{{ r.completed }}</td><td class="text-end">{{ r.rate|percent }}</td></tr>
{% endfor %}""",
    "per_member": """{% for r in members_page %}<tr><td><a href="{% url 'learning:member' r.member_id %}">{{ r.member__name }}</a></td><td>{{ r.organization__name }}</td><td class="text-end">{{ r.records }}</td><td class="text-end">{{ r.minutes }}</td></tr>
{% endfor %}""",
}

HOSTILE = "<b>\"O'Neil\" & 李</b>"


def _context():
    return {
        "year": 2026,
        "per_org": [
            {"organization_id": 7, "organization__name": HOSTILE, "members": 12345, "records": 0,
             "hours": Decimal("1234.5")},
            {"organization_id": 123456, "organization__name": "第一支部", "members": 1, "records": 3,
             "hours": Decimal("0.0")},
        ],
        "by_category": [
            {"label": gettext_lazy("Party member"), "enrolled": 3, "completed": 1, "rate": 1 / 3},
            {"label": "", "enrolled": 0, "completed": 0, "rate": None},
        ],
        "by_branch": [
            {"member__home_org__name": None, "enrolled": 2, "completed": 2, "rate": 1.0},
            {"member__home_org__name": "", "enrolled": 2, "completed": 0, "rate": 0.0},
            {"member__home_org__name": HOSTILE, "enrolled": 10, "completed": 5, "rate": 0.5},
        ],
        "members_page": [
            {"member_id": 42, "member__name": HOSTILE, "organization__name": "", "records": 2, "minutes": 90},
            {"member_id": 9, "member__name": "王芳", "organization__name": HOSTILE, "records": 1, "minutes": 1500},
        ],
    }


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_rows_are_the_template_loops_markup(language):
    engine = engines["django"]
    context = _context()
    with translation.override(language):
        rows = _stats_rows(context)
        for name, loop in LOOPS.items():
            expected = engine.from_string("{% load gongzhi %}" + loop).render(context)
            assert str(rows[name]) == expected, name
    assert "&lt;b&gt;" in rows["per_org"] and "<b>" not in rows["per_org"]
    assert "<td>—</td>" in rows["by_branch"]


def test_no_rows_give_no_markup():
    context = {"year": 2026, "per_org": [], "by_category": [], "by_branch": [], "members_page": []}
    assert all(str(markup) == "" for markup in _stats_rows(context).values())


@pytest.mark.django_db
def test_training_completion_counts_the_classes_starting_on_any_day_of_the_year(world_copy):
    """The compiled counts take the year as its first and last day, both included (as ``starts_on__year``): classes
    starting on 1 January and on 31 December count, those of the day before and the day after do not."""
    from datetime import date

    from gongzhi.learning import selectors
    from gongzhi.learning.models import Enrolment
    from tests.learning.factories import make_class, make_programme

    world = world_copy
    programme, c = make_programme(world.community_a)
    for day, member in ((date(2025, 12, 31), world.member_a), (date(2026, 1, 1), world.member_a),
                        (date(2026, 12, 31), world.member_b), (date(2027, 1, 1), world.member_b)):
        training_class = make_class(world.community_a, programme, [c.r1], name=f"班{day}")
        training_class.starts_on = day
        training_class.save(update_fields=["starts_on"])
        Enrolment.objects.create(training_class=training_class, member=member)
    figures = selectors.training_completion(world.community_a, 2026)
    assert [(r["category"], r["enrolled"], r["completed"]) for r in figures["by_category"]] == [("in_service", 2, 0)]
    assert {r["member__home_org__name"]: r["enrolled"] for r in figures["by_branch"]} == {
        world.branch_a.name: 1, world.branch_b.name: 1}
    assert selectors.training_completion(world.community_x, 2026) == {"by_category": [], "by_branch": []}
