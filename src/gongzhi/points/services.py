"""Writes to the points ledger. Every app posts points through ``post_points``.

    post_points(member=m, code=RuleCode.MEETING_ATTENDANCE, key=f"meeting:{meeting.pk}:{m.pk}",
                source=meeting, occurred_on=meeting.starts_at.date(), by=user)

The key is unique per source event: posting the same key twice returns the
first entry and writes nothing (double taps, retries, re-runs). A capped posting reads what its rule's
group has earned from the group's totals, whose rows it locks (``points.caps``), so two parallel postings
cannot both pass a cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, connections, router, transaction

from gongzhi.core import audit
from gongzhi.core.exact import ExactSum, tenths
from gongzhi.core.scoping import ancestor_paths
from gongzhi.core.statements import Insert, Statement
from gongzhi.members.models import Member
from gongzhi.orgs.models import STEP

from . import caps as caps_summary
from . import rules as rules_in_force
from .models import PointEntry, PointRule, RuleCode


class PointsError(ValueError):
    """A domain rule refused the entry (the message is shown to the user)."""


def _best(candidates, activity_kind: str) -> PointRule | None:
    """The deepest organization on the path wins; a rule for the activity kind wins over one for
    every kind at the same organization; then the latest start."""
    best = None
    for rule in candidates:
        rank = (rule.organization.depth, rule.activity_kind == activity_kind and activity_kind != "",
                rule.effective_from)
        if best is None or rank > best[0]:
            best = (rank, rule)
    return best[1] if best else None


def _rules_on_path(paths, code, on, kinds):
    return (PointRule.objects.effective_on(on)
            .filter(organization__path__in=paths, code=code, activity_kind__in=kinds)
            .select_related("organization"))


#: Compiled once per number of paths (``core.statements``): every posting asks it.
_RULES_ON_PATH = Statement(_rules_on_path, hot=True)


def _rules_of_code_on_path(paths, code):
    return PointRule.objects.filter(organization__path__in=paths, code=code).select_related("organization")


#: Every rule of one code on an organization's path, whatever its period and kind: what a process remembers.
_RULES_OF_CODE = Statement(_rules_of_code_on_path, hot=True)


def _remembered_rules(organization, code: str, version: int) -> list[PointRule]:
    """Every rule of ``code`` at the organizations on ``organization``'s path, read once per process and rules'
    version (``points.rules``)."""
    return rules_in_force.remembered(
        version, (organization.path, code),
        lambda: _RULES_OF_CODE.instances(paths=ancestor_paths(organization.path, STEP), code=code))


def _in_force(rules, on: date, activity_kind: str) -> PointRule | None:
    return _best([rule for rule in rules if rule.activity_kind in (activity_kind, "") and rule.effective_from <= on
                  and (rule.effective_to is None or rule.effective_to >= on)], activity_kind)


def effective_rule(*, organization, code: str, on: date, activity_kind: str = "",
                   version: int | None = None) -> PointRule | None:
    """The rule in force: the deepest organization on the path wins; a rule for the
    activity kind wins over one for every kind at the same organization. ``version``: the rules' version the caller
    read with one of its statements (``points.rules.version()``): the rules of the code on the path are then read
    once per process and version (``points.rules.remembered``), not on every call."""
    if version is not None:
        return _in_force(_remembered_rules(organization, str(code), version), on, str(activity_kind))
    candidates = _RULES_ON_PATH.instances(paths=ancestor_paths(organization.path, STEP), code=str(code), on=on,
                                          kinds=[str(activity_kind), ""])
    return _best(candidates, activity_kind)


class RuleBook:
    """``effective_rule`` for many postings at once: the rules of the given codes at every organization
    on the paths above ``organizations`` are read in one query (per 500 paths), and each
    (organization, code, day, activity kind) is then answered from memory, by the same ranking.
    Only for one run of postings (a rule added meanwhile is not seen)."""

    _CHUNK = 500

    def __init__(self, *, organizations, codes) -> None:
        paths = sorted({p for org in organizations for p in ancestor_paths(org.path, STEP)})
        self._rules: dict[tuple[str, str], list[PointRule]] = {}
        for start in range(0, len(paths), self._CHUNK):
            rules = (PointRule.objects.filter(organization__path__in=paths[start:start + self._CHUNK],
                                              code__in=list(codes))
                     .select_related("organization"))
            for rule in rules:
                self._rules.setdefault((rule.organization.path, rule.code), []).append(rule)
        self._found: dict[tuple, PointRule | None] = {}

    def rule(self, *, organization, code: str, on: date, activity_kind: str = "") -> PointRule | None:
        key = (organization.path, code, on, activity_kind)
        if key not in self._found:
            candidates = [
                rule for path in ancestor_paths(organization.path, STEP) for rule in self._rules.get((path, code), ())
                if rule.activity_kind in (activity_kind, "") and rule.effective_from <= on
                and (rule.effective_to is None or rule.effective_to >= on)]
            self._found[key] = _best(candidates, activity_kind)
        return self._found[key]


def _earning_org(member, organization):
    return organization or member.serving_org or member.home_org or member.community


#: The member's row locked before an entry the shop's balance must see in order (a deduction, given points), and a
#: new entry: compiled once.
_LOCK_MEMBER = Statement(lambda member_id: Member.objects.select_for_update().filter(pk=member_id).order_by()
                         .values_list("pk"), locks=True, hot=True)
_NEW_ENTRY = Insert(PointEntry, hot=True)


def _apply_caps(rule: PointRule, member, points: Decimal, on: date) -> Decimal:
    """``points`` cut to what the rule's caps leave the member: the points of every rule of its code at its
    organization (the rule's group), the month's and the year's, read from the group's totals (``points.caps``),
    whose rows stay locked until the posting's transaction ends."""
    if points <= 0:
        return points
    caps = [(cap, month) for cap, month in ((rule.monthly_cap, on.month), (rule.yearly_cap, 0)) if cap is not None]
    if not caps:
        return points
    used = caps_summary.used(member_id=member.pk, organization_id=rule.organization_id, code=str(rule.code), on=on,
                             months=tuple(month for _cap, month in caps))
    for cap, month in caps:
        points = min(points, max(cap - used[month], Decimal(0)))
    return points


def _rule_in_force(org, code, occurred_on, activity_kind, rules, rules_version) -> PointRule | None:
    if rules is not None:
        return rules.rule(organization=org, code=code, on=occurred_on, activity_kind=activity_kind)
    if rules_version is not None:
        return _in_force(_remembered_rules(org, str(code), rules_version), occurred_on, str(activity_kind))
    return effective_rule(organization=org, code=code, on=occurred_on, activity_kind=activity_kind)


@dataclass(frozen=True)
class RuleAward:
    """What the rule in force gives for one event before the caps (``rule_award``): for a caller that posts it inside
    the database with its source (``award_statement``)."""

    rule: PointRule
    organization_id: int
    code: str
    points: Decimal

    def parameters(self) -> list:
        """``points_post_award``'s arguments after the member: the earning organization, the code, the rule, its
        group's organization, the points and the caps."""
        rule = self.rule
        return [self.organization_id, self.code, rule.pk, rule.organization_id, self.points, rule.monthly_cap,
                rule.yearly_cap]


#: ``RuleAward.parameters()`` for no award.
NO_AWARD = [None] * 7


def rule_award(*, member, code: str, occurred_on: date, organization=None, hours: Decimal | None = None,
               activity_kind: str = "", rules_version: int | None = None) -> RuleAward | None:
    """The rule in force for an event and its points before the caps, as ``post_points`` decides them (None: no rule
    gives points for it); the caps, the lock and the entry are ``points_post_award``'s (``award_statement``)."""
    org = _earning_org(member, organization)
    if org is None:
        raise PointsError("the member has no organization to earn points in")
    rule = _rule_in_force(org, code, occurred_on, activity_kind, None, rules_version)
    if rule is None:
        return None
    return RuleAward(rule=rule, organization_id=org.pk, code=str(code), points=rule.points_for(hours))


def post_points(
    *,
    member,
    code: str,
    key: str,
    occurred_on: date,
    by=None,
    source=None,
    organization=None,
    hours: Decimal | None = None,
    activity_kind: str = "",
    points: Decimal | None = None,
    reason: str = "",
    rules: RuleBook | None = None,
    rules_version: int | None = None,
    new_source: bool = False,
) -> PointEntry | None:
    """Post the points a rule gives for one event; idempotent on ``key``.

    ``points`` is given only for manual awards and deductions (already approved);
    otherwise the rule in force for the earning organization decides (looked up in ``rules``
    when a caller posting many events has read them once; remembered by the process while the rules stay the same
    when the caller read their version, ``rules_version``: ``effective_rule``). Returns the
    entry (new or earlier), or None when no rule gives points for this event.

    ``new_source``: the key names a source written in the caller's transaction just now (a check-in), so no
    entry can hold it yet and it is not looked for; the key's unique constraint still refuses a second entry.
    """
    if not new_source:
        existing = PointEntry.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
    org = _earning_org(member, organization)
    if org is None:
        raise PointsError("the member has no organization to earn points in")
    rule = None
    if points is None:
        rule = _rule_in_force(org, code, occurred_on, activity_kind, rules, rules_version)
        if rule is None:
            return None
    if new_source:
        # Inside the caller's transaction and its savepoint, which a conflict rolls back whole.
        if not transaction.get_connection().in_atomic_block:
            raise PointsError("a new source's points are posted in the transaction that wrote the source")
        return _write_entry(member=member, org=org, rule=rule, points=points, code=code, key=key,
                            occurred_on=occurred_on, by=by, source=source, hours=hours, reason=reason)
    try:
        with transaction.atomic():
            return _write_entry(member=member, org=org, rule=rule, points=points, code=code, key=key,
                                occurred_on=occurred_on, by=by, source=source, hours=hours, reason=reason)
    except IntegrityError:
        # A concurrent request posted the same key first.
        return PointEntry.objects.get(idempotency_key=key)


def _write_entry(*, member, org, rule, points, code, key, occurred_on, by, source, hours, reason):
    if rule is not None:
        points = rule.points_for(hours)
    if rule is None or points < 0:
        # Given points and deductions lock the member's row first (the shop's order), so that the shop's balance
        # check and this entry come one after the other. A rule's award only adds to the balance: no lock; its
        # caps lock their own rows (``_apply_caps``). SQLite locks no row: its transactions take the database's
        # write lock when they begin (BEGIN IMMEDIATE, settings), so a parallel posting waits there.
        if (connections[router.db_for_write(Member)].features.has_select_for_update
                and not _LOCK_MEMBER.rows(member_id=member.pk)):
            raise Member.DoesNotExist(f"no member {member.pk}")
    if rule is not None:
        points = _apply_caps(rule, member, points, occurred_on)
        if points == 0:
            return None
    return _NEW_ENTRY.create(
        member=member, organization=org, points=points, code=code, rule=rule,
        source_type=source._meta.label_lower if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
        idempotency_key=key, hours=hours, occurred_on=occurred_on, reason=reason[:200], posted_by=by,
    )


@transaction.atomic
def reverse_entry(*, entry: PointEntry, reason: str, by, request=None) -> PointEntry:
    """Cancel an entry with an opposite entry; an entry can be reversed once."""
    if not reason.strip():
        raise PointsError("a reversal needs a reason")
    if entry.reverses_id is not None:
        raise PointsError("a reversal cannot itself be reversed")
    reversal = PointEntry.objects.filter(reverses=entry).first()
    if reversal is not None:
        return reversal
    try:
        with transaction.atomic():
            reversal = PointEntry.objects.create(
                member=entry.member, organization=entry.organization, points=-entry.points, code=RuleCode.REVERSAL,
                rule=None, source_type=entry.source_type, source_id=entry.source_id,
                idempotency_key=f"reversal:{entry.pk}", occurred_on=entry.occurred_on, reason=reason[:200],
                reverses=entry, posted_by=by,
            )
    except IntegrityError:
        # A parallel request reversed it first (the key table refuses a second reversal).
        return PointEntry.objects.get(reverses=entry)
    audit.record(actor=by, action="points.entry.reverse", obj=entry, organization=entry.organization, request=request,
                 detail={"points": str(entry.points)})
    return reversal


def balance(member, year: int | None = None) -> Decimal:
    entries = PointEntry.objects.filter(member=member)
    if year is not None:
        entries = entries.filter(occurred_on__year=year)
    return tenths(entries.aggregate(total=ExactSum("points"))["total"])


def check_rule(rule: PointRule) -> None:
    """Refuse negative caps and periods overlapping another rule of the same organization, code and kind."""
    from django.core.exceptions import ValidationError
    from django.db.models import Q
    from django.utils.translation import gettext as _

    errors = {}
    for field in ("monthly_cap", "yearly_cap"):
        value = getattr(rule, field)
        if value is not None and value < 0:
            errors[field] = _("A cap cannot be negative.")
    if rule.effective_to is not None and rule.effective_to < rule.effective_from:
        errors["effective_to"] = _("The end of the period is before its start.")
    if errors:
        raise ValidationError(errors)
    clash = (PointRule.objects.filter(organization=rule.organization, code=rule.code, activity_kind=rule.activity_kind)
             .exclude(pk=rule.pk)
             .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=rule.effective_from)))
    if rule.effective_to is not None:
        clash = clash.filter(effective_from__lte=rule.effective_to)
    other = clash.order_by("effective_from").first()
    if other is not None:
        until = other.effective_to.isoformat() if other.effective_to else _("open-ended")
        raise ValidationError(_("This period overlaps the rule in force from %(start)s to %(end)s; close that "
                                "rule first (set its end date).") % {"start": other.effective_from.isoformat(),
                                                                     "end": until})


@transaction.atomic
def add_rule(rule: PointRule, *, by, request=None) -> PointRule:
    check_rule(rule)
    rule.created_by = by
    rule.save()
    audit.record(actor=by, action="points.rule.add", obj=rule, organization=rule.organization, request=request,
                 detail={"code": rule.code, "points": str(rule.points)})
    return rule


def effective_rules(organization, on: date) -> list[tuple[str, str, PointRule]]:
    """(code, activity kind, rule) in force at the organization, inherited from above (one query)."""
    paths = ancestor_paths(organization.path, STEP)
    rules = (PointRule.objects.effective_on(on).filter(organization__path__in=paths)
             .select_related("organization"))
    best: dict[tuple[str, str], tuple] = {}
    for rule in rules:
        rank = (rule.organization.depth, rule.effective_from)
        key = (rule.code, rule.activity_kind)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, rule)
    order = {code: n for n, code in enumerate(RuleCode.values)}
    return [(code, kind, entry[1]) for (code, kind), entry in
            sorted(best.items(), key=lambda item: (order.get(item[0][0], 99), item[0][1]))]


def bulk_post(*, code: str, events, by=None) -> int:
    """Post many events of one rule code at once, for loading the demo into a fresh ledger: the same
    rule in force, caps and keys as ``post_points``, the caps counted in memory from zero (so only
    for a member's first entries of that code). ``events`` yields ``(member_id, organization,
    occurred_on, key, source)`` in date order; returns the number of entries written."""
    events = list(events)
    rules = RuleBook(organizations={organization.path: organization for _m, organization, *_rest in events}.values(),
                     codes=[code])
    used: dict[tuple, Decimal] = {}
    entries = []
    for member_id, organization, occurred_on, key, source in events:
        rule = rules.rule(organization=organization, code=code, on=occurred_on)
        if rule is None:
            continue
        points = rule.points_for(None)
        for cap, period in ((rule.monthly_cap, (occurred_on.year, occurred_on.month)), (rule.yearly_cap,
                                                                                        (occurred_on.year,))):
            if cap is not None and points > 0:
                points = min(points, max(cap - used.get((rule.pk, member_id, *period), Decimal(0)), Decimal(0)))
        if points == 0:
            continue
        for period in ((occurred_on.year, occurred_on.month), (occurred_on.year,)):
            used[(rule.pk, member_id, *period)] = used.get((rule.pk, member_id, *period), Decimal(0)) + points
        entries.append(PointEntry(
            member_id=member_id, organization=organization, points=points, code=code, rule=rule,
            source_type=source._meta.label_lower, source_id=str(source.pk), idempotency_key=key,
            occurred_on=occurred_on, posted_by=by))
    PointEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


@transaction.atomic
def set_rankings_visible(*, organization, visible: bool, by, request=None):
    """Let the members of an organization's subtree see their own rank (or stop it); audited."""
    from .models import OrgPointsSettings

    settings_row, _created = OrgPointsSettings.objects.update_or_create(
        organization=organization, defaults={"rankings_visible_to_members": visible})
    audit.record(actor=by, action="points.settings.update", obj=organization, organization=organization,
                 request=request, detail={"rankings_visible_to_members": visible})
    return settings_row
