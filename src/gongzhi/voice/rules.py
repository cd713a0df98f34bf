"""The community's routing table and time limits, edited by its staff. Both apply to requests received
after the change: a request keeps the handler and deadlines it was given when it arrived."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.orgs.models import CoBuildingUnit, Grid, Organization

from .models import Category, DeadlineRule, RoutingRule
from .services import DEFAULTS

MAX_ANSWER_HOURS = 720
MAX_RESOLUTION_DAYS = 90


def handler_choices(community):
    """Who may handle the community's requests: the community, its branches and groups, and the
    co-building units (property company included) that have an agreement with it."""
    units = CoBuildingUnit.objects.filter(agreements__community=community, organization__isnull=False)
    return (Organization.objects.filter(Q(path__startswith=community.path) | Q(pk__in=units.values("organization")),
                                        is_active=True).order_by("path"))


@transaction.atomic
def set_route(*, community, category: str, grid: Grid | None, handler, by, request=None) -> RoutingRule:
    if category not in Category.values:
        raise ValidationError(_("Choose a category."))
    if grid is not None and grid.community_id != community.pk:
        raise ValidationError(_("This grid belongs to another community."))
    if not handler_choices(community).filter(pk=handler.pk).exists():
        raise ValidationError(_("This organization cannot handle the community's requests."))
    try:
        with transaction.atomic():
            rule, _created = RoutingRule.objects.update_or_create(
                community=community, category=category, grid=grid, defaults={"handler": handler})
    except IntegrityError as exc:
        raise ValidationError(_("A rule for this category and place exists already.")) from exc
    audit.record(actor=by, action="voice.route.set", obj=rule, organization=community, request=request,
                 detail={"category": category, "grid": grid.pk if grid else None, "handler": handler.pk})
    return rule


@transaction.atomic
def delete_route(*, rule: RoutingRule, by, request=None) -> None:
    audit.record(actor=by, action="voice.route.delete", obj=rule, organization=rule.community, request=request,
                 detail={"category": rule.category, "grid": rule.grid_id, "handler": rule.handler_id})
    rule.delete()


@transaction.atomic
def set_deadline(*, organization, category: str, first_answer_hours: int, resolution_days: int, by,
                 request=None) -> DeadlineRule:
    if category not in Category.values:
        raise ValidationError(_("Choose a category."))
    if not 1 <= first_answer_hours <= MAX_ANSWER_HOURS:
        raise ValidationError(_("The first answer is due within 1 to %(n)s hours.") % {"n": MAX_ANSWER_HOURS})
    if not 1 <= resolution_days <= MAX_RESOLUTION_DAYS:
        raise ValidationError(_("Resolution is due within 1 to %(n)s working days.") % {"n": MAX_RESOLUTION_DAYS})
    rule, _created = DeadlineRule.objects.update_or_create(
        organization=organization, category=category,
        defaults={"first_answer_hours": first_answer_hours, "resolution_days": resolution_days})
    audit.record(actor=by, action="voice.deadline.set", obj=rule, organization=organization, request=request,
                 detail={"category": category, "hours": first_answer_hours, "days": resolution_days})
    return rule


@transaction.atomic
def reset_deadline(*, organization, category: str, by, request=None) -> None:
    deleted, _rows = DeadlineRule.objects.filter(organization=organization, category=category).delete()
    if deleted:
        audit.record(actor=by, action="voice.deadline.reset", obj=organization, organization=organization,
                     request=request, detail={"category": category})


def deadline_table(community) -> list[dict]:
    """Per category: the limits in force for the community and where they come from."""
    chain = list(Organization.objects.ancestors_of(community, include_self=True))
    rules = {(r.organization_id, r.category): r
             for r in DeadlineRule.objects.filter(organization__in=chain).select_related("organization")}
    rows = []
    for value, label in Category.choices:
        source, hours, days, own = None, *DEFAULTS[value], False
        for org in reversed(chain):
            rule = rules.get((org.pk, value))
            if rule is not None:
                source, hours, days, own = org, rule.first_answer_hours, rule.resolution_days, org.pk == community.pk
                break
        rows.append({"category": value, "label": label, "hours": hours, "days": days, "source": source, "own": own})
    return rows
