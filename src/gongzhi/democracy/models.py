"""Resolutions and their votes, conversions of probationary members, and village matters under 四议两公开.

A resolution freezes its voter roll (``Elector``: the full members entitled on the day, each present or
not) when it is put to the vote. A secret ballot is anonymous: ``VoteCast`` records *that* an elector voted
(one per elector, a unique constraint), ``SecretBallot`` *what* was chosen, with a random key and no link to
the voter or the time; both are append-only at the database.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.scoping import ScopedQuerySet
from gongzhi.core.uploads import unguessable_path

from .quorum import QuorumRule


class ResolutionKind(models.TextChoices):
    GENERAL = "general", _("Resolution")
    CONVERSION = "conversion", _("Conversion of a probationary member")
    FOUR_TWO = "four_two", _("Review of a village matter (四议两公开)")


class VotingMethod(models.TextChoices):
    HANDS = "hands", _("Show of hands")
    SECRET = "secret", _("Secret ballot")


class ResolutionStatus(models.TextChoices):
    OPEN = "open", _("Voting open")
    DECIDED = "decided", _("Decided")


class Choice(models.TextChoices):
    FOR = "for", _("In favour")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class ConversionProposal(models.TextChoices):
    CONVERT = "convert", _("Convert to full member")
    EXTEND = "extend", _("Extend the probation")


class ResolutionQuerySet(ScopedQuerySet):
    needs_distinct = True

    def own_q(self, user):
        # A member sees the votes he or she is entitled to take part in.
        return Q(electors__member__user=user)


class Resolution(models.Model):
    """A question put to the vote of a branch general meeting, a branch committee meeting, or the party
    members' meeting of a village (四议两公开)."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="resolutions",
                                     verbose_name=_("organization"))
    meeting = models.ForeignKey("meetings.Meeting", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="votes", verbose_name=_("meeting"))
    kind = models.CharField(_("kind"), max_length=16, choices=ResolutionKind, default=ResolutionKind.GENERAL)
    title = models.CharField(_("matter put to the vote"), max_length=200)
    text = models.TextField(_("text"), blank=True, max_length=5000)
    method = models.CharField(_("voting method"), max_length=8, choices=VotingMethod, default=VotingMethod.HANDS)
    quorum_rule = models.CharField(_("quorum"), max_length=12, choices=QuorumRule, default=QuorumRule.HALF)
    held_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=8, choices=ResolutionStatus, default=ResolutionStatus.OPEN)
    entitled = models.PositiveIntegerField(_("entitled to vote"))
    present = models.PositiveIntegerField(_("present"))
    in_favour = models.PositiveIntegerField(_("in favour"), null=True, blank=True)
    against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstained = models.PositiveIntegerField(_("abstained"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    subject = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("probationary member"))
    proposal = models.CharField(_("proposal"), max_length=8, choices=ConversionProposal, blank=True)
    extend_months = models.PositiveSmallIntegerField(_("extension (months)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [
            models.CheckConstraint(condition=Q(present__lte=models.F("entitled")),
                                   name="democracy_present_le_entitled"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(in_favour__isnull=False, against__isnull=False, abstained__isnull=False,
                                               passed__isnull=False),
                name="democracy_decided_has_counts"),
            models.CheckConstraint(
                condition=Q(in_favour__isnull=True)
                | Q(present__gte=models.F("in_favour") + models.F("against") + models.F("abstained")),
                name="democracy_votes_le_present"),
            models.CheckConstraint(condition=~Q(kind="conversion") | Q(subject__isnull=False) & ~Q(proposal=""),
                                   name="democracy_conversion_has_subject"),
            models.CheckConstraint(condition=Q(extend_months__isnull=True)
                                   | Q(extend_months__gte=1, extend_months__lte=12),
                                   name="democracy_extension_at_most_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @property
    def audit_organization(self):
        return self.organization

    @property
    def is_open(self) -> bool:
        return self.status == ResolutionStatus.OPEN

    def outcome(self):
        from .quorum import Outcome

        return Outcome(entitled=self.entitled, present=self.present, in_favour=self.in_favour or 0,
                       rule=self.quorum_rule)


class Elector(models.Model):
    """One member entitled to vote on a resolution (the roll frozen when the vote is put), present or not."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="electors")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("member"))
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        ordering = ["resolution", "member__name_initials", "id"]
        verbose_name = _("elector")
        verbose_name_plural = _("electors")
        constraints = [models.UniqueConstraint(fields=["resolution", "member"], name="democracy_one_elector")]

    def __str__(self) -> str:
        return f"{self.resolution}: {self.member}"


class VoteCast(models.Model):
    """That an elector has voted in a secret ballot: nothing about how."""

    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="+")
    elector = models.ForeignKey(Elector, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("vote", "has voted")
        verbose_name_plural = pgettext_lazy("vote", "has voted")
        constraints = [models.UniqueConstraint(fields=["elector"], name="democracy_one_vote_per_elector")]

    def __str__(self) -> str:
        return str(self.resolution)


class SecretBallot(models.Model):
    """One anonymous ballot: a random key, the resolution and the choice; no voter, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="ballots")
    choice = models.CharField(max_length=8, choices=Choice)

    class Meta:
        verbose_name = pgettext_lazy("vote", "ballot")
        verbose_name_plural = pgettext_lazy("vote", "ballots")

    def __str__(self) -> str:
        return str(self.resolution)


# ---------------------------------------------------------------------------------------------
# Conversion of probationary members (转正)


class ConversionStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting the upper organization's approval")
    APPROVED = "approved", pgettext_lazy("conversion", "Approved")
    REFUSED = "refused", _("Not approved")


class ConversionQuerySet(ScopedQuerySet):
    scope_path = "branch__path"

    def own_q(self, user):
        return Q(member__user=user)

    def awaiting(self):
        return self.filter(status=ConversionStatus.AWAITING)


class Conversion(models.Model):
    """The branch general meeting's decision on a probationary member (convert, or extend the probation
    once by up to a year), and the upper organization's approval; only the approval changes the member."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="conversions",
                               verbose_name=_("member"))
    branch = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    resolution = models.OneToOneField(Resolution, on_delete=models.PROTECT, related_name="conversion",
                                      verbose_name=_("vote"))
    proposal = models.CharField(_("decision"), max_length=8, choices=ConversionProposal)
    extend_months = models.PositiveSmallIntegerField(_("extension (months)"), null=True, blank=True)
    probation_ended_on = models.DateField(_("probation ends"))
    status = models.CharField(_("status"), max_length=10, choices=ConversionStatus, default=ConversionStatus.AWAITING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("approved by"))
    decided_on = models.DateField(_("approved on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConversionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("conversion")
        verbose_name_plural = _("conversions")
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(status="awaiting"),
                                    name="democracy_one_pending_conversion"),
            models.CheckConstraint(condition=~Q(proposal="extend")
                                   | Q(extend_months__gte=1, extend_months__lte=12),
                                   name="democracy_conversion_extension_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_proposal_display()}"

    @property
    def audit_organization(self):
        return self.branch


# ---------------------------------------------------------------------------------------------
# 四议两公开


class FourTwoStep(models.IntegerChoices):
    PROPOSAL = 1, _("The branch committee proposes")
    JOINT = 2, _("The joint meeting of the two committees discusses")
    MEMBERS = 3, _("The party members' meeting reviews")
    VILLAGERS = 4, _("The villagers' (representatives') meeting decides")
    DECISION_PUBLIC = 5, _("The decision is made public")
    RESULTS_PUBLIC = 6, _("The results are made public")


class MatterStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", pgettext_lazy("matter", "In progress")
    REJECTED = "rejected", _("Not adopted")
    IMPLEMENTED = "implemented", _("Implemented, results public")


class VillagersBody(models.TextChoices):
    ASSEMBLY = "assembly", _("Villagers' meeting")
    REPRESENTATIVES = "representatives", _("Villagers' representatives' meeting")


class MatterQuerySet(ScopedQuerySet):
    pass


class Matter(models.Model):
    """A village matter decided under 四议两公开 (four deliberations, two disclosures)."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("village"))
    title = models.CharField(_("matter"), max_length=120)
    description = models.TextField(_("description"), max_length=5000)
    status = models.CharField(_("status"), max_length=12, choices=MatterStatus, default=MatterStatus.IN_PROGRESS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MatterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("village matter")
        verbose_name_plural = _("village matters")

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organization(self):
        return self.organization


class MatterStep(models.Model):
    """One of the six steps of a matter, with its date, minutes and what it produced."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("step"), choices=FourTwoStep)
    held_on = models.DateField(_("date"))
    minutes = models.TextField(_("minutes"), max_length=10000)
    resolution = models.OneToOneField(Resolution, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("vote"))
    body = models.CharField(_("deciding body"), max_length=16, choices=VillagersBody, blank=True)
    attendees = models.PositiveIntegerField(_("present"), null=True, blank=True)
    in_favour = models.PositiveIntegerField(_("in favour"), null=True, blank=True)
    against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstained = models.PositiveIntegerField(_("abstained"), null=True, blank=True)
    publicity_item = models.ForeignKey("publicity.Item", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("board item"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["matter", "number"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["matter", "number"], name="democracy_one_step_each"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=6), name="democracy_six_steps"),
        ]

    def __str__(self) -> str:
        return f"{self.matter} {self.number}"


def _step_file_path(instance, filename: str) -> str:
    return unguessable_path(f"democracy/{instance.step.matter_id}", instance.content_type)


class StepAttachment(models.Model):
    step = models.ForeignKey(MatterStep, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_step_file_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


# ---------------------------------------------------------------------------------------------
# Committee terms (换届)


class TermQuerySet(ScopedQuerySet):
    def current(self):
        return self.filter(closed_on__isnull=True)


class Term(models.Model):
    """An organization committee's term of office: it ends ``years`` after it starts (5 for community and village
    organizations, 3 for others, by default); a postponement approved by the upper organization delays the
    election by at most a year."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organization"))
    starts_on = models.DateField(_("term starts"))
    years = models.PositiveSmallIntegerField(_("years"))
    ends_on = models.DateField(_("term ends"))
    postponed_until = models.DateField(_("election postponed until"), null=True, blank=True)
    postponement_reason = models.CharField(_("reason for the postponement"), max_length=300, blank=True)
    postponement_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                 on_delete=models.SET_NULL, related_name="+",
                                                 verbose_name=_("postponement approved by"))
    closed_on = models.DateField(_("replaced on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["ends_on", "id"]
        verbose_name = _("term of office")
        verbose_name_plural = _("terms of office")
        constraints = [
            models.UniqueConstraint(fields=["organization"], condition=Q(closed_on__isnull=True),
                                    name="democracy_one_current_term"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="democracy_term_ordered"),
            models.CheckConstraint(condition=Q(postponed_until__isnull=True)
                                   | Q(postponed_until__gt=models.F("ends_on")), name="democracy_postponed_after_end"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.starts_on:%Y}–{self.ends_on:%Y}"

    @property
    def audit_organization(self):
        return self.organization

    @property
    def election_due_on(self):
        return self.postponed_until or self.ends_on


# ---------------------------------------------------------------------------------------------
# Elections (换届选举)


class ElectionStatus(models.TextChoices):
    PREPARING = "preparing", _("Candidates being prepared")
    SUBMITTED = "submitted", _("Candidate list awaiting the upper organization's approval")
    APPROVED = "approved", _("Candidate list approved")
    VOTING = "voting", _("Voting")
    ELECTED = "elected", _("Committee elected")
    INSTALLED = "installed", _("New committee in office")


class MonitorDuty(models.TextChoices):
    SCRUTINEER = "scrutineer", _("Vote monitor (监票人)")
    TELLER = "teller", _("Teller (计票人)")


class Mark(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class ElectionQuerySet(ScopedQuerySet):
    needs_distinct = True

    def own_q(self, user):
        # A member sees the elections he or she is an elector of.
        return Q(rounds__electors__member__user=user)


class Election(models.Model):
    """The election of an organization's committee at the end of its term (差额选举: more candidates than seats, at
    least 20% more, rounded up), voted by secret ballot at the organization's general meeting."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organization"))
    term = models.ForeignKey(Term, null=True, blank=True, on_delete=models.PROTECT, related_name="elections",
                             verbose_name=_("expiring term"))
    seats = models.PositiveSmallIntegerField(_("seats on the committee"))
    status = models.CharField(_("status"), max_length=10, choices=ElectionStatus, default=ElectionStatus.PREPARING)
    submitted_on = models.DateField(_("list submitted on"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("list approved by"))
    approved_on = models.DateField(_("list approved on"), null=True, blank=True)
    returned_note = models.CharField(_("returned with the note"), max_length=300, blank=True)
    held_on = models.DateField(_("election held on"), null=True, blank=True)
    #: The candidates of the next round (a re-vote) once a round left seats unfilled.
    next_round_candidates = models.JSONField(default=list, blank=True)
    secretary = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("secretary"))
    deputy = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("deputy secretary"))
    new_term = models.OneToOneField(Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("new term"))
    publicity_item = models.ForeignKey("publicity.Item", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("board item"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = [
            models.UniqueConstraint(fields=["organization"], condition=~Q(status="installed"),
                                    name="democracy_one_election_under_way"),
            models.CheckConstraint(condition=Q(seats__gte=1, seats__lte=15), name="democracy_election_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.created_at:%Y}" if self.created_at else str(self.organization)

    @property
    def audit_organization(self):
        return self.organization

    @property
    def candidates_needed(self) -> int:
        from .quorum import candidates_needed

        return candidates_needed(self.seats)


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("candidate"))
    elected_in_round = models.PositiveSmallIntegerField(_("elected in round"), null=True, blank=True)
    votes = models.PositiveIntegerField(_("votes for"), null=True, blank=True)

    class Meta:
        ordering = ["election", "member__name_initials", "id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="democracy_one_candidacy")]

    def __str__(self) -> str:
        return str(self.member)


class Monitor(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="monitors")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("member"))
    duty = models.CharField(_("duty"), max_length=10, choices=MonitorDuty)

    class Meta:
        ordering = ["election", "duty", "id"]
        verbose_name = _("vote monitor")
        verbose_name_plural = _("vote monitors")
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="democracy_one_monitor_duty")]

    def __str__(self) -> str:
        return f"{self.member} {self.get_duty_display()}"


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Voting open")
    COUNTED = "counted", _("Ballots counted")


class ElectionRound(models.Model):
    """One round of secret ballots at a general meeting: the first for every seat, later ones (re-votes) for the
    seats left unfilled, among the remaining candidates."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("meeting"))
    seats = models.PositiveSmallIntegerField(_("seats to fill"))
    candidates = models.ManyToManyField(Candidate, related_name="rounds", verbose_name=_("candidates"))
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus, default=RoundStatus.OPEN)
    entitled = models.PositiveIntegerField(_("entitled to vote"))
    present = models.PositiveIntegerField(_("present"))
    cast = models.PositiveIntegerField(_("ballots cast"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    counted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["election", "number"]
        verbose_name = _("round of voting")
        verbose_name_plural = _("rounds of voting")
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="democracy_round_number"),
            models.UniqueConstraint(fields=["election"], condition=Q(status="open"),
                                    name="democracy_one_open_round"),
            models.CheckConstraint(condition=Q(present__lte=models.F("entitled")),
                                   name="democracy_round_present_le_entitled"),
        ]

    def __str__(self) -> str:
        return f"{self.election} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class RoundElector(models.Model):
    """A full member entitled to vote in a round (the meeting's roll frozen when the round opens)."""

    round = models.ForeignKey(ElectionRound, on_delete=models.PROTECT, related_name="electors")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("member"))
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        ordering = ["round", "member__name_initials", "id"]
        verbose_name = _("elector")
        verbose_name_plural = _("electors")
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="democracy_one_round_elector")]

    def __str__(self) -> str:
        return f"{self.round}: {self.member}"


class RoundVoteCast(models.Model):
    """That an elector has voted in a round: nothing about how."""

    round = models.ForeignKey(ElectionRound, on_delete=models.PROTECT, related_name="+")
    elector = models.ForeignKey(RoundElector, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("vote", "has voted")
        verbose_name_plural = pgettext_lazy("vote", "has voted")
        constraints = [models.UniqueConstraint(fields=["elector"], name="democracy_one_election_vote")]

    def __str__(self) -> str:
        return str(self.round)


class ElectionBallot(models.Model):
    """One anonymous ballot of a round: a random key and the round; no voter, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ElectionRound, on_delete=models.PROTECT, related_name="ballots")

    class Meta:
        verbose_name = _("election ballot")
        verbose_name_plural = _("election ballots")

    def __str__(self) -> str:
        return str(self.round)


class BallotMark(models.Model):
    """The mark a ballot gives one candidate (for, against, abstain). A random key, as the ballot's: a counter
    would give the order in which ballots were cast, which the audit log's times could match to the voters."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(ElectionBallot, on_delete=models.PROTECT, related_name="marks")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    mark = models.CharField(max_length=8, choices=Mark)

    class Meta:
        verbose_name = _("mark")
        verbose_name_plural = _("marks")
        constraints = [models.UniqueConstraint(fields=["ballot", "candidate"], name="democracy_one_mark")]

    def __str__(self) -> str:
        return self.mark


class RoundResult(models.Model):
    """A candidate's count in a round, written when the round is counted."""

    round = models.ForeignKey(ElectionRound, on_delete=models.PROTECT, related_name="results")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="results")
    votes_for = models.PositiveIntegerField(_("for"))
    votes_against = models.PositiveIntegerField(_("against"))
    abstained = models.PositiveIntegerField(_("abstained"))
    elected = models.BooleanField(_("elected"), default=False)

    class Meta:
        ordering = ["round", "-votes_for", "id"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [models.UniqueConstraint(fields=["round", "candidate"], name="democracy_one_result")]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.votes_for}"
