"""Volunteer service teams, activities (single or generated from a recurring series), sign-ups
and check-ins.

An activity is published by an organization; members see activities of the
organizations on their branch's and community's ancestor path (residents too when
the activity is open to them; a team's members see their team's activities). A check-in
is unique per member and activity; its hours (check-out − check-in, capped by the activity
span) earn service points.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts import scope_version
from gongzhi.core.scoping import (
    VIEWER_OPTIONAL,
    ScopedQuerySet,
    ancestor_paths,
    get_visible_by_statement_or_404,
    stand_in_viewer,
    viewer_values,
)
from gongzhi.core.statements import Fixed, Statement
from gongzhi.core.validators import plausible_date

#: Places at an activity: at least one (empty: no limit), at most a crowd a community could host.
MAX_CAPACITY = 100_000
CAPACITY_VALIDATORS = [
    MinValueValidator(1, _("Give at least 1 place, or leave the capacity empty for no limit.")),
    MaxValueValidator(MAX_CAPACITY, _("At most %(limit_value)s places.")),
]


class ActivityKind(models.TextChoices):
    EPIDEMIC = "epidemic", _("Epidemic control")
    ENVIRONMENT = "environment", _("Environment")
    RENOVATION = "renovation", _("Renovation")
    ELDERLY = "elderly", _("Elderly visits")
    POLICY = "policy", _("Policy publicity")
    CULTURE = "culture", _("Culture")
    PATROL = "patrol", _("Safety patrol")
    OTHER = "other", _("Other")


class OpenTo(models.TextChoices):
    TEAM = "team", _("Members of the team")
    MEMBERS = "members", _("Members in scope")
    RESIDENTS = "residents", _("Members and residents")


_PATHS_ATTR = "_gongzhi_service_paths"
PARTICIPANT_ATTR = "_gongzhi_service_participant_ids"  # (member ids, resident ids) of the user, found with the paths
OWN_RECORDS_ATTR = "_gongzhi_service_own_records"
_DAY_ATTR = "_gongzhi_service_day"  # the day whose team memberships count (a stand-in user's; else today)


def _public_paths(user) -> tuple[list[str], list[str], list[str]]:
    """Ancestor paths of the user's own organizations: roles, branch and community (as member);
    of the community lived in (as resident, for activities open to residents); and the paths of
    the member's communities themselves. Cached on the user object for the request, like its roles."""
    cached = getattr(user, _PATHS_ATTR, None)
    if cached is None:
        cached = _find_public_paths(user)
        setattr(user, _PATHS_ATTR, cached)
    return cached


def _account_with_own_records(user_id):
    """The account's row with its party-member record (with its branch and community) and its resident record
    (with its community), none of them with sealed fields."""
    from django.contrib.auth import get_user_model

    from gongzhi.core.fields import sealed_names
    from gongzhi.members.models import Member, Resident

    user_model = get_user_model()
    return (user_model._default_manager.filter(pk=user_id)
            .select_related("member__home_org", "member__community", "resident__community")
            .defer(*sealed_names(user_model), *(f"member__{name}" for name in sealed_names(Member)),
                   *(f"resident__{name}" for name in sealed_names(Resident))))


#: Compiled once (``core.statements``): building the query of three tables' columns cost several times its run.
_ACCOUNT_WITH_OWN_RECORDS = Statement(_account_with_own_records)


def own_records(user) -> tuple:
    """The user's party-member record and resident record (either may be None), as service loads them: the
    member with its branch and community, the resident with its community, neither with its sealed fields
    (service reads none). One query, from the account's row (each record is one-to-one with an account),
    remembered on the user object for the request: a page that reads its participant
    (``selectors.own_participant``) first finds the activities' scope in it (``_own_paths``)."""
    if not getattr(user, "is_authenticated", False):
        return None, None
    cached = getattr(user, OWN_RECORDS_ATTR, None)
    if cached is None:
        account = _ACCOUNT_WITH_OWN_RECORDS.first(user_id=user.pk)
        cached = (getattr(account, "member", None), getattr(account, "resident", None))
        setattr(user, OWN_RECORDS_ATTR, cached)
    return cached


def _own_paths(user) -> list[tuple] | tuple[tuple, ...]:
    """(is a member, id, branch path, community path) of the user's member and resident records: from the
    records when the page read them already (``own_records``, the participant), else in one query of four
    columns (a round trip fewer on every service page, and cheaper to build than the records), which the process
    remembers for an account the request read (``accounts.scope_version``)."""
    cached = getattr(user, OWN_RECORDS_ATTR, None)
    if cached is not None:
        member, resident = cached
        rows = []
        if member is not None:
            rows.append((True, member.pk, member.home_org.path if member.home_org else None,
                         member.community.path if member.community else None))
        if resident is not None:
            rows.append((False, resident.pk, None, resident.community.path if resident.community else None))
        return rows
    if not getattr(user, "is_authenticated", False):  # no account: no records (and no NULL to compare with)
        return []
    # Remembered by the process while the account's records stay where they are (``accounts.scope_version``): a
    # street-wide event's phones ask for it on every request.
    return scope_version.remembered(user, "service.own_paths", lambda: _read_own_paths(user.pk))


def _own_paths_of(user_id):
    from django.contrib.auth import get_user_model

    from gongzhi.members.models import Member, Resident

    # Unordered: their order does not matter here. The account's own row (no record: NULL first) brings its
    # scope version, read with the records by the same statement (``accounts.scope_version``).
    no_path = Value(None, output_field=models.CharField())
    no_version = Cast(Value(None), models.BigIntegerField())  # typed: PostgreSQL would take a bare NULL for text
    return (Member.objects.filter(user_id=user_id).order_by()
            .values_list(Value(True), "pk", "home_org__path", "community__path", no_version)
            .union(Resident.objects.filter(user_id=user_id).order_by()
                   .values_list(Value(False), "pk", no_path, "community__path", no_version),
                   get_user_model()._default_manager.filter(pk=user_id).order_by()
                   .values_list(Cast(Value(None), models.BooleanField()), "pk", no_path, no_path,
                                "scope_version"), all=True))


def _read_own_paths(user_id) -> tuple[int | None, tuple[tuple, ...]]:
    """(the account's scope version, its records' rows), from one statement."""
    version, rows = None, []
    for is_member, pk, home, community, scope in _OWN_PATHS.rows(user_id=user_id):
        if is_member is None:
            version = scope
        else:
            rows.append((is_member, pk, home, community))
    return version, tuple(rows)


_OWN_PATHS = Statement(_own_paths_of, hot=True)  # on every service page: compiled once (core.statements)


def _find_public_paths(user) -> tuple[list[str], list[str], list[str]]:
    from gongzhi.core.scoping import active_roles
    from gongzhi.orgs.models import STEP

    paths: set[str] = set()
    communities: set[str] = set()
    for role in active_roles(user):
        if role.kind != "resident":
            paths.update(ancestor_paths(role.organization.path, STEP))
    member_ids, resident_ids = [], []
    resident_paths = {p for role in active_roles(user) if role.kind == "resident"
                      for p in ancestor_paths(role.organization.path, STEP)}
    for is_member, pk, home, community in _own_paths(user):
        if not is_member:
            resident_ids.append(pk)
            if community:
                resident_paths.update(ancestor_paths(community, STEP))
            continue
        member_ids.append(pk)
        if community:
            communities.add(community)
        for path in (home, community):
            if path:
                paths.update(ancestor_paths(path, STEP))
    if getattr(user, "is_authenticated", False):  # for my_statuses_of: the same lookups, not asked again
        setattr(user, PARTICIPANT_ATTR, (sorted(member_ids), sorted(resident_ids)))
    return sorted(paths), sorted(resident_paths), sorted(communities)


def _member_ids(user) -> list[int]:
    """The ids of the user's party-member records, found (and cached) with the public paths."""
    if not getattr(user, "is_authenticated", False):
        return []
    _public_paths(user)
    return getattr(user, PARTICIPANT_ATTR)[0]


def own_participant_ids(user) -> tuple[list[int], list[int]]:
    """The ids of the user's party-member records and resident records, found (and cached) with the activities'
    scope: from the records when the request read them already, else from the scope's small query (``_own_paths``)."""
    if not getattr(user, "is_authenticated", False):
        return [], []
    _public_paths(user)
    return getattr(user, PARTICIPANT_ATTR)


def viewer_scope(user) -> dict:
    """``core.scoping.viewer_values`` with what an activity's scope finds for the user (the public paths, the
    member records' ids): the values of a statement built on ``Activity.objects.visible_to`` with
    ``stand_in_participant(**values)`` for the user."""
    member_paths, resident_paths, _communities = _public_paths(user)
    member_ids = tuple(_member_ids(user))
    return {**viewer_values(user), "member_paths": tuple(member_paths), "resident_paths": tuple(resident_paths),
            "member_ids": member_ids, "day": timezone.localdate() if member_ids else None}


def stand_in_participant(*, member_paths, resident_paths, member_ids, day, **viewer):
    """The user ``viewer_scope`` describes, for building a statement's queryset (``core.scoping.stand_in_viewer``);
    ``day``: the day whose team memberships count (a value of the statement, not the day it was compiled)."""
    return stand_in_viewer(**viewer, **{_PATHS_ATTR: (list(member_paths), list(resident_paths), []),
                                        PARTICIPANT_ATTR: (list(member_ids), []), _DAY_ATTR: day})


class ActivityQuerySet(ScopedQuerySet):
    scope_path = "organization__path"
    # An activity is mostly open to a member by where it is held (its organization's path among the member's),
    # tested first: one activity read for a QR check-in then reads none of the member's sign-ups and check-ins
    # (own_q), which grow with every activity he or she has served at.
    public_before_own = True

    def own_q(self, user):
        # An activity one signed up for or served at stays open to one, wherever it was held. The user's
        # member records are known already (found with the public paths): matched by id, and a user who
        # is no member (staff) adds no subquery to compile and to run.
        member_ids = _member_ids(user)
        if not member_ids:
            return Q(pk__in=[])
        return (Q(pk__in=SignUp.objects.filter(member_id__in=member_ids).values("activity_id"))
                | Q(pk__in=CheckIn.objects.filter(member_id__in=member_ids).values("activity_id")))

    def public_q(self, user):
        member_paths, resident_paths, _communities = _public_paths(user)
        query = Q(organization__path__in=member_paths) | Q(organization__path__in=resident_paths,
                                                            open_to=OpenTo.RESIDENTS)
        member_ids = _member_ids(user)
        if member_ids:
            day = getattr(user, _DAY_ATTR, None) or timezone.localdate()
            query |= Q(team__in=TeamMembership.objects.current(day).filter(member_id__in=member_ids)
                       .values("team_id"))
        return query

    def with_check_in_of(self, participant):
        """Each activity with ``check_in_id``: the id of the participant's (a member's or a resident's)
        check-in at it, None for none yet, read in the activity's own query."""
        return self.annotate(check_in_id=Subquery(
            CheckIn.objects.filter(activity=OuterRef("pk"), **participant_filter(participant)).values("pk")[:1]))

    def upcoming(self, now):
        return self.filter(ends_at__gte=now).order_by("starts_at")

    def not_cancelled(self):
        return self.filter(cancelled_at__isnull=True)


class Activity(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="activities",
                                     verbose_name=_("organization"))
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind, default=ActivityKind.OTHER)
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"), validators=[plausible_date])
    ends_at = models.DateTimeField(_("ends at"), validators=[plausible_date])
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, validators=CAPACITY_VALIDATORS,
                                           help_text=_("Empty: no limit."))
    open_to = models.CharField(_("who may join"), max_length=16, choices=OpenTo, default=OpenTo.MEMBERS)
    team = models.ForeignKey("ServiceTeam", null=True, blank=True, on_delete=models.PROTECT, related_name="activities",
                             verbose_name=_("service team"))
    requires_signup = models.BooleanField(_("sign-up required"), default=True)
    series = models.ForeignKey("ActivitySeries", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="occurrences", verbose_name=_("recurring series"))
    occurs_on = models.DateField(_("date in the series"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["organization", "starts_at"]), models.Index(fields=["team", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="activity_ends_after_start"),
            # Generating a series twice (a double submit, a retry) adds nothing.
            models.UniqueConstraint(fields=["series", "occurs_on"], condition=Q(series__isnull=False),
                                    name="activity_once_per_series_date"),
            models.CheckConstraint(condition=~Q(open_to="team") | Q(team__isnull=False),
                                   name="activity_for_a_team_names_it"),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                                   name="activity_capacity_at_least_one"),
        ]

    #: An activity lasts at most this long; what goes on longer is a recurring series.
    MAX_DAYS = 31

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > timedelta(days=self.MAX_DAYS):
            raise ValidationError({"ends_at": _("An activity lasts at most %(days)s days; for one that repeats, "
                                                "create a recurring series.") % {"days": self.MAX_DAYS}})

    @property
    def span_hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds() / 3600).quantize(Decimal("0.01"))

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class SignUpStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    WAITING = "waiting", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class ParticipantQ:
    """Sign-ups and check-ins belong to a party member or, for activities open to residents, to a
    resident: exactly one of the two (a database constraint)."""

    @staticmethod
    def one_of() -> Q:
        return (Q(member__isnull=False, resident__isnull=True)
                | Q(member__isnull=True, resident__isnull=False))


def participant_filter(person) -> dict:
    """``{"member": person}`` or ``{"resident": person}`` for filtering sign-ups and check-ins."""
    from gongzhi.members.models import Resident

    return {"resident": person} if isinstance(person, Resident) else {"member": person}


class _Participant:
    @property
    def participant(self):
        return self.member if self.member_id is not None else self.resident

    @property
    def is_resident(self) -> bool:
        return self.member_id is None


class SignUpQuerySet(ScopedQuerySet):
    scope_path = "activity__organization__path"

    def own_q(self, user):
        return Q(member__user=user) | Q(resident__user=user)


class SignUp(_Participant, models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="signups", verbose_name=_("member"))
    resident = models.ForeignKey("members.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="signups", verbose_name=_("resident"))
    status = models.CharField(_("status"), max_length=16, choices=SignUpStatus, default=SignUpStatus.SIGNED_UP)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "activity"], name="signup_once"),
            models.UniqueConstraint(fields=["resident", "activity"], name="signup_once_resident"),
            models.CheckConstraint(condition=ParticipantQ.one_of(), name="signup_member_or_resident"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.activity}"


class CheckInQuerySet(ScopedQuerySet):
    scope_path = "activity__organization__path"

    def own_q(self, user):
        return Q(member__user=user) | Q(resident__user=user)


class CheckIn(_Participant, models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="checkins")
    # No index of their own for the member and the resident: the unique constraints below lead with each (every
    # insert maintains every index, and the QR check-in inserts one row per participant).
    member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT, db_index=False,
                               related_name="checkins", verbose_name=_("member"))
    resident = models.ForeignKey("members.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                 db_index=False, related_name="checkins", verbose_name=_("resident"))
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, null=True, blank=True)
    by_hand_reason = models.CharField(_("reason for recording by hand"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["checked_in_at", "id"]
        # Whether a member served in a period (activation, rankings): one probe of this index per member.
        indexes = [models.Index(fields=["member", "checked_in_at"], name="checkin_member_time")]
        constraints = [
            models.UniqueConstraint(fields=["member", "activity"], name="checkin_once"),
            models.UniqueConstraint(fields=["resident", "activity"], name="checkin_once_resident"),
            models.CheckConstraint(condition=ParticipantQ.one_of(), name="checkin_member_or_resident"),
            models.CheckConstraint(condition=Q(checked_out_at__isnull=True)
                                   | Q(checked_out_at__gte=models.F("checked_in_at")),
                                   name="checkout_after_checkin"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.activity}"


# --- service teams ------------------------------------------------------------------------------

class ServiceTeamQuerySet(ScopedQuerySet):
    scope_path = "organization__path"

    def own_q(self, user):
        return (Q(leader__user=user)
                | Q(pk__in=TeamMembership.objects.current(timezone.localdate()).filter(member__user=user)
                    .values("team_id")))

    def public_q(self, user):
        # Members see the teams of the organizations on their path and of their whole community
        # (to know whom to join: a retirees' branch's team serves everyone).
        from gongzhi.core.scoping import subtree_q

        member_paths, _resident_paths, communities = _public_paths(user)
        return Q(organization__path__in=member_paths) | subtree_q("organization__path", communities)

    def active(self):
        return self.filter(is_active=True)


class ServiceTeam(models.Model):
    """A volunteer team (e.g. the vanguard service team): members, a leader, the places and kinds
    of service it covers."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="service_teams",
                                     verbose_name=_("organization"))
    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="teams_led", verbose_name=_("leader"))
    kinds = models.JSONField(_("kinds of service"), default=list, blank=True)
    grids = models.ManyToManyField("orgs.Grid", blank=True, related_name="service_teams", verbose_name=_("grids"))
    buildings = models.ManyToManyField("orgs.Building", blank=True, related_name="service_teams",
                                       verbose_name=_("buildings"))
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ServiceTeamQuerySet.as_manager()

    class Meta:
        ordering = ["organization__path", "name"]
        verbose_name = _("service team")
        verbose_name_plural = _("service teams")
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="team_name_once_per_org")]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organization(self):
        return self.organization

    def kind_labels(self) -> list[str]:
        labels = dict(ActivityKind.choices)
        return [str(labels.get(k, k)) for k in self.kinds]


class TeamMembershipQuerySet(models.QuerySet):
    def current(self, on):
        """Memberships in force on a day (joined on or before it, not left before it)."""
        return self.filter(Q(joined_on__lte=on), Q(left_on__isnull=True) | Q(left_on__gte=on))


class TeamMembership(models.Model):
    """A member's time in a team; leaving sets ``left_on`` (the history stays)."""

    team = models.ForeignKey(ServiceTeam, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="team_memberships",
                               verbose_name=_("member"))
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    objects = TeamMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["team", "member"], condition=Q(left_on__isnull=True),
                                    name="team_member_once_at_a_time"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                                   name="team_left_after_joined"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.team}"


# --- recurring series ---------------------------------------------------------------------------

class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly (every N weeks) on chosen weekdays")
    MONTHLY = "monthly", _("Monthly (every N months) on a day of the month")


class ActivitySeriesQuerySet(ScopedQuerySet):
    scope_path = "organization__path"


class ActivitySeries(models.Model):
    """A recurring activity: its occurrences are ordinary activities generated from the rule
    (at most a year and ``MAX_OCCURRENCES`` of them), each with its own sign-ups and QR code."""

    MAX_OCCURRENCES = 60
    MAX_DAYS = 366

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="activity_series",
                                     verbose_name=_("organization"))
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind, default=ActivityKind.OTHER)
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, validators=CAPACITY_VALIDATORS,
                                           help_text=_("Empty: no limit."))
    open_to = models.CharField(_("who may join"), max_length=16, choices=OpenTo, default=OpenTo.MEMBERS)
    team = models.ForeignKey(ServiceTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="series",
                             verbose_name=_("service team"))
    requires_signup = models.BooleanField(_("sign-up required"), default=True)
    frequency = models.CharField(_("repeats"), max_length=8, choices=Frequency, default=Frequency.WEEKLY)
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    # Monday = 0 … Sunday = 6: "25" is Wednesday and Saturday.
    weekdays = models.CharField(_("weekdays"), max_length=7, blank=True)
    month_day = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("number of occurrences"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    request_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivitySeriesQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("recurring series")
        verbose_name_plural = _("recurring series")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="series_ends_after_start"),
            models.CheckConstraint(condition=Q(interval__gte=1) & Q(interval__lte=12), name="series_interval_1_12"),
            models.CheckConstraint(condition=Q(ends_on__isnull=False) | Q(count__isnull=False),
                                   name="series_is_bounded"),
            models.CheckConstraint(condition=~Q(open_to="team") | Q(team__isnull=False),
                                   name="series_for_a_team_names_it"),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                                   name="series_capacity_at_least_one"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organization(self):
        return self.organization

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def weekday_list(self) -> list[int]:
        return sorted({int(c) for c in self.weekdays if c.isdigit() and int(c) < 7})



def _visible_activity(pk, participant_kind, participant_id, **scope):
    """The activity ``pk`` if ``visible_to`` the user ``scope`` describes (``viewer_scope``), with its
    organization and the participant's check-in (``with_check_in_of``; ``participant_kind``: "member",
    "resident" or None); for a party member, with the point rules' version too (``rules_version``: the check-in's
    activity points then find their rule remembered by the process, ``points.rules``)."""
    from gongzhi.members.models import Member, Resident
    from gongzhi.points import rules

    activities = Activity.objects.select_related("organization")
    if participant_kind is not None:
        model = Member if participant_kind == "member" else Resident
        activities = activities.with_check_in_of(model(pk=participant_id))
    if participant_kind == "member":
        activities = activities.annotate(rules_version=rules.version())
    return activities.visible_to(stand_in_participant(**scope)).filter(pk=pk)[:2]


#: The QR check-in's read of its activity, compiled once per shape of the user's scope (``core.statements``).
_VISIBLE_ACTIVITY = Statement(_visible_activity, optional=VIEWER_OPTIONAL, hot=True)


def _unchanged_visible_activity(pk, organization_id, organization_path, starts_at, ends_at, open_to, kind,
                                rules_version, **scope):
    """The activity ``pk`` (its id alone) if it is still as a process copied it for a QR check-in
    (``services.check_in_from_copy``): held by the same organization at the same path, at the same times, open to
    the same people, of the same kind, not cancelled, with no sign-up required; if it is ``visible_to`` the user
    ``scope`` describes (``viewer_scope``); and while the point rules' version is still ``rules_version``."""
    from gongzhi.points import rules

    return (Activity.objects.visible_to(stand_in_participant(**scope)).alias(rules_version=rules.version())
            .filter(pk=pk, organization_id=organization_id, organization__path=organization_path,
                    starts_at=starts_at, ends_at=ends_at, open_to=open_to, kind=kind, cancelled_at__isnull=True,
                    requires_signup=False, rules_version=rules_version)
            .values_list("pk"))


#: The condition of a check-in from a copy (``Statement.bound``: read by the check-in's own statement).
UNCHANGED_VISIBLE_ACTIVITY = Statement(_unchanged_visible_activity, optional=VIEWER_OPTIONAL)


def visible_activity_or_404(user, pk: int, participant=None) -> Activity:
    """``get_visible_or_404(Activity.objects.select_related("organization").with_check_in_of(participant),
    user, pk=pk)`` (without ``with_check_in_of`` for no participant), from a statement compiled once per shape
    of the user's scope: the same activity, the same 404 for a missing and a foreign one."""
    kind = None if participant is None else next(iter(participant_filter(participant)))
    viewer = viewer_scope(user) if getattr(user, "is_authenticated", False) else None
    return get_visible_by_statement_or_404(
        _VISIBLE_ACTIVITY, user, viewer=viewer, pk=pk, participant_kind=Fixed(kind),
        participant_id=participant.pk if participant is not None else None)
