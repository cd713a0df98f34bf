"""Party members, their membership history, and residents of households.

A member has two affiliations: ``home_org``, the branch that holds the
membership (or, for an organization outside the platform, its name in
``home_org_name``), and the residence (community, grid, building, household).
Community staff see members whose membership *or* residence lies in their
subtree; a member always sees his or her own record.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import BlindIndexField, EncryptedCharField, LastCharsField, SealedModel
from gongzhi.core.pinyin import initials
from gongzhi.core.scoping import ScopedQuerySet, scope_paths, subtree_in_q, subtree_q
from gongzhi.core.statements import Statement


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school or less")
    JUNIOR = "junior", _("Junior middle school")
    SENIOR = "senior", _("Senior middle school or technical school")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor's degree")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class MemberStatus(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class MemberCategory(models.TextChoices):
    """The member's occupation as the national statistics group it (from 工作岗位 or an office's own
    党员类别 column). Being a mobile member or out of contact is recorded apart: a retiree may be both."""

    IN_SERVICE = "in_service", _("In-service")
    RETIRED = "retired", _("Retired")
    STUDENT = "student", _("Student")
    RURAL = "rural", _("Rural")
    UNEMPLOYED = "unemployed", _("Unemployed")
    OTHER = "other", _("Other occupation")


class PartyStatus(models.TextChoices):
    """党籍状态 in the national party member information system."""

    NORMAL = "normal", pgettext_lazy("party status", "Normal")
    RETAINED = "retained", _("Membership retained")
    SUSPENDED = "suspended", _("Membership suspended")


#: A joining date equal to the full-membership date is valid only in these months (1969-04 to 1977-08:
#: there was no probation then).
NO_PROBATION = (date(1969, 4, 1), date(1977, 8, 31))


def membership_dates_problem(joined: date | None, full_on: date | None) -> str | None:
    """What is wrong with a member's date joined and date made full, in words, or None."""
    if not joined or not full_on:
        return None
    if full_on < joined:
        return str(_("A member is made full after joining."))
    if full_on == joined and not NO_PROBATION[0] <= joined <= NO_PROBATION[1]:
        return str(_("The date joined equals the date made full member, which is only possible between April 1969 "
                     "and August 1977 (there was no probation then). Check both dates."))
    return None


class Standing(models.TextChoices):
    NORMAL = "normal", _("Normal")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    DECEASED = "deceased", _("Deceased")


class MemberQuerySet(ScopedQuerySet):
    # Where the membership is held and where the member lives; and one's own record.
    scope_path = "home_org__path"
    also_scope_paths = ("community__path",)

    def own_q(self, user):
        return Q(user=user)

    def in_subtree(self, organization, *, joined: bool = False):
        """Members held or living in the organization's subtree. By the organizations' ids (``subtree_in_q``): no
        join to the organization table, twice, before the OR. ``joined``: through the two organizations' paths
        (``subtree_q``, two joins), for a sum over each member's ledger entries of a period the summary does not
        cover: with the joins PostgreSQL judges the subtree's size and probes each member's entries by the
        (member, date) index, where the OR of two id lists, misjudged, made it sort every entry of the period
        (a community's week at district scale: 92 ms joined, 373 ms by ids; docs/points.md)."""
        paths = (organization.path,)
        if joined:
            return self.filter(subtree_q("home_org__path", paths) | subtree_q("community__path", paths))
        return self.filter(subtree_in_q(self.model, "home_org__path", paths)
                           | subtree_in_q(self.model, "community__path", paths))

    def held_in(self, organization):
        """Members whose membership is held in the organization's subtree."""
        return self.filter(home_org__path__startswith=organization.path)

    def current(self):
        return self.exclude(standing__in=[Standing.TRANSFERRED_OUT, Standing.DECEASED])

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        from .selectors import sealed_search_q

        query = Q(name__icontains=text) | Q(name_initials__startswith=text.lower())
        # A whole ID number or mobile number through its blind index; four characters: the ID number's last four.
        query |= sealed_search_q(text, phone_field="mobile")
        return self.filter(query)


class Member(SealedModel):
    """A party member with the fields of the national party member information system."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    name_initials = models.CharField(max_length=50, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex)
    ethnicity = models.CharField(_("ethnic group"), max_length=20, default="汉族")
    id_number = EncryptedCharField(_("ID number"), max_length=18)
    id_number_bidx = BlindIndexField(source="id_number", kind="id", unique=True)
    id_number_last4 = LastCharsField(source="id_number", kind="id")
    birth_date = models.DateField(_("date of birth"))
    education = models.CharField(_("education"), max_length=16, choices=Education, blank=True)
    joined_on = models.DateField(_("date joined"))
    full_member_on = models.DateField(_("date made full member"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=MemberStatus, default=MemberStatus.FULL)
    probation_ends_on = models.DateField(_("probation ends"), null=True, blank=True)
    category = models.CharField(pgettext_lazy("member", "category"), max_length=16, choices=MemberCategory)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    job_post = models.CharField(_("post"), max_length=100, blank=True)
    mobile = EncryptedCharField(_("mobile number"), max_length=20, blank=True)
    mobile_bidx = BlindIndexField(source="mobile", kind="phone", db_index=True)
    mobile_last4 = LastCharsField(source="mobile", kind="phone")
    address = EncryptedCharField(_("home address"), max_length=200, blank=True)
    photo = models.FileField(_("photo"), upload_to="members/photos/", blank=True)
    job_code = models.ForeignKey("members.JobCode", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("job position code"),
                                 help_text=_("The entry of the job-position code table the category was read from."))
    standing = models.CharField(_("standing"), max_length=16, choices=Standing, default=Standing.NORMAL)
    party_status = models.CharField(_("party membership status"), max_length=16, choices=PartyStatus,
                                    default=PartyStatus.NORMAL)
    lost_contact_since = models.DateField(_("lost contact since"), null=True, blank=True)
    is_mobile_member = models.BooleanField(_("mobile member"), default=False,
                                           help_text=_("Lives and works away from the branch for a long time."))
    mobile_destination = EncryptedCharField(_("mobile member's destination"), max_length=100, blank=True)

    home_org = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="held_members",
        verbose_name=_("branch holding the membership"),
    )
    home_org_name = models.CharField(
        _("organization outside the platform"), max_length=100, blank=True,
        help_text=_("When the membership is held by an organization outside this platform."),
    )
    community = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="resident_members",
        verbose_name=_("community of residence"),
    )
    grid = models.ForeignKey("orgs.Grid", null=True, blank=True, on_delete=models.SET_NULL, related_name="members",
                             verbose_name=_("grid"))
    building = models.ForeignKey("orgs.Building", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="members", verbose_name=_("building"))
    household = models.ForeignKey("orgs.Household", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="members", verbose_name=_("household"))
    serving_org = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="serving_members",
        verbose_name=_("serves in"), help_text=_("Grid branch or building group where a reported member serves."),
    )
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="member", verbose_name=_("account"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["name_initials", "id"]
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        indexes = [
            models.Index(fields=["home_org", "status"]),
            models.Index(fields=["community", "category"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(home_org__isnull=False) | ~Q(home_org_name=""), name="member_has_home_org"
            ),
            models.CheckConstraint(
                condition=~Q(status="probationary") | Q(probation_ends_on__isnull=False),
                name="probationary_has_end_date",
            ),
            models.CheckConstraint(condition=~Q(standing="lost_contact") | Q(lost_contact_since__isnull=False),
                                   name="lost_contact_has_date"),
            models.CheckConstraint(condition=Q(is_mobile_member=True) | Q(mobile_destination=""),
                                   name="destination_only_for_mobile_members"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = initials(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        problem = membership_dates_problem(self.joined_on, self.full_member_on)
        if problem:
            raise ValidationError({"full_member_on": problem})
        if self.standing == Standing.LOST_CONTACT and not self.lost_contact_since:
            raise ValidationError({"lost_contact_since": _("Give the date contact was lost.")})
        if self.is_mobile_member and not self.mobile_destination.strip():
            raise ValidationError({"mobile_destination": _("Give where the mobile member has gone.")})
        if not self.is_mobile_member and self.mobile_destination:
            raise ValidationError({"mobile_destination": _("Only a mobile member has a destination.")})

    @property
    def audit_organization(self):
        return self.home_org or self.community

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class MembershipEventKind(models.TextChoices):
    CREATED = "created", _("Registered")
    STATUS = "status", _("Status changed")
    CATEGORY = "category", _("Category changed")
    ORGANIZATION = "organization", _("Organization changed")
    RESIDENCE = "residence", _("Residence changed")
    STANDING = "standing", _("Standing changed")
    PARTY_STATUS = "party_status", _("Party membership status changed")
    MOBILE = "mobile", _("Mobile member")
    TRANSFER_IN = "transfer_in", _("Transferred in")
    TRANSFER_OUT = "transfer_out", _("Transferred out")


class MembershipEvent(models.Model):
    """One change in a member's record, kept forever: what changed, from what, to what, when, by whom."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(_("change"), max_length=16, choices=MembershipEventKind)
    from_value = models.CharField(pgettext_lazy("change", "from"), max_length=200, blank=True)
    to_value = models.CharField(_("to"), max_length=200, blank=True)
    effective_on = models.DateField(_("date"), default=date.today)
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")

    def __str__(self) -> str:
        return f"{self.effective_on} {self.get_kind_display()}"


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER = "other", _("Other")


class PoliticalStatus(models.TextChoices):
    MEMBER = "member", _("Party member")
    LEAGUE = "league", _("League member")
    MASSES = "masses", _("Masses")


class ResidentQuerySet(ScopedQuerySet):
    scope_path = "community__path"

    def own_q(self, user):
        """One's own record. For staff it is read first (one lookup by the unique account): when it lies in
        the subtree it adds nothing, and it is left out of the query. An OR with the account column would make
        the list's plan, which walks the communities in path order, read every resident of every other
        community only to find where the last community of the subtree ends."""
        paths = scope_paths(user, self.scope_roles)
        if not paths:
            return Q(user=user)
        own = _own_resident(user)
        if own is None or any(own[1].startswith(path) for path in paths):
            return Q(pk__in=[])
        return Q(pk=own[0])


#: Where a view remembers the user's own resident record (id, community path) while it builds its scopes
#: (``own_resident_remembered``).
OWN_RESIDENT_ATTR = "_gongzhi_own_resident"
_NOT_READ = object()


def _own_resident(user) -> tuple | None:
    """(id, community path) of the user's own resident record, or None: one lookup by the unique account, by a
    statement compiled once (``core.statements``); inside ``own_resident_remembered``, read once."""
    remembered = user.__dict__.get(OWN_RESIDENT_ATTR)
    if remembered is None:
        return _OWN_RESIDENT.first(user_id=user.pk)
    if remembered[0] is _NOT_READ:
        remembered[0] = _OWN_RESIDENT.first(user_id=user.pk)
    return remembered[0]


@contextmanager
def own_resident_remembered(user):
    """Within the block, the user's own resident record is read at most once (a list page builds its scope twice,
    for its rows and for its count); after it, read again at each scope (the record may change)."""
    user.__dict__[OWN_RESIDENT_ATTR] = [_NOT_READ]
    try:
        yield
    finally:
        user.__dict__.pop(OWN_RESIDENT_ATTR, None)


_OWN_RESIDENT = Statement(lambda user_id: Resident._base_manager.filter(user_id=user_id)
                          .values_list("pk", "community__path"))


class Resident(SealedModel):
    """A person living in a household of a community."""

    community = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="residents",
                                  verbose_name=_("community"))
    household = models.ForeignKey("orgs.Household", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="residents", verbose_name=_("household"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    name_initials = models.CharField(max_length=50, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    id_number = EncryptedCharField(_("ID number"), max_length=18, null=True, blank=True)
    id_number_bidx = BlindIndexField(source="id_number", kind="id", unique=True)
    id_number_last4 = LastCharsField(source="id_number", kind="id")
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
    phone_bidx = BlindIndexField(source="phone", kind="phone", db_index=True)
    phone_last4 = LastCharsField(source="phone", kind="phone")
    relation = models.CharField(_("relation to household head"), max_length=16, choices=Relation,
                                default=Relation.HEAD)
    political_status = models.CharField(_("political status"), max_length=16, choices=PoliticalStatus,
                                        default=PoliticalStatus.MASSES)
    member = models.OneToOneField(Member, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="resident", verbose_name=_("party member record"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="resident", verbose_name=_("account"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["household", "id"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = initials(self.name)
        super().save(*args, **kwargs)

    @property
    def audit_organization(self):
        return self.community


class ReportingStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("reporting", "Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class ReportingQuerySet(ScopedQuerySet):
    """The community's staff (residence side) and the unit holding the membership; the member."""

    scope_path = "community__path"
    also_scope_paths = ("member__home_org__path",)

    def own_q(self, user):
        return Q(member__user=user)


class Reporting(models.Model):
    """Dual reporting (双报到): an in-service member reports to the community of residence."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="reportings",
                               verbose_name=_("party member"))
    community = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="reportings",
                                  verbose_name=_("community"))
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    services = models.CharField(_("services offered"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ReportingStatus, default=ReportingStatus.SUBMITTED)
    serving_org = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("serves in"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dual reporting")
        verbose_name_plural = _("dual reportings")

    def __str__(self) -> str:
        return f"{self.member} → {self.community}"

    @property
    def audit_organization(self):
        return self.community


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class TransferDirection(models.TextChoices):
    INTERNAL = "internal", _("Between branches of the platform")
    OUT = "out", _("Out of the platform")
    IN = "in", _("Into the platform")


class TransferQuerySet(ScopedQuerySet):
    """Both ends of a transfer see it: the sending and the receiving organization's subtree roles."""

    scope_path = "from_org__path"
    also_scope_paths = ("to_org__path",)

    def own_q(self, user):
        return Q(member__user=user)


class Transfer(models.Model):
    """Moving a membership: between two branches of the platform (sent by one, accepted by the other),
    or out of / into the platform with a letter of introduction (recorded by the branch concerned)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers",
                               verbose_name=_("party member"))
    direction = models.CharField(_("kind of transfer"), max_length=8, choices=TransferDirection,
                                 default=TransferDirection.INTERNAL)
    from_org = models.ForeignKey("orgs.Organization", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=pgettext_lazy("transfer", "from"))
    to_org = models.ForeignKey("orgs.Organization", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=pgettext_lazy("transfer", "to"))
    external_org_name = models.CharField(_("organization outside the platform"), max_length=100, blank=True)
    letter_number = models.CharField(_("letter of introduction number"), max_length=40, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=TransferStatus, default=TransferStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(status="pending"), name="one_pending_transfer"),
            models.CheckConstraint(
                name="transfer_ends_match_direction",
                condition=(Q(direction="internal", from_org__isnull=False, to_org__isnull=False)
                           | Q(direction="out", from_org__isnull=False, to_org__isnull=True)
                           & ~Q(external_org_name="") & ~Q(letter_number="")
                           | Q(direction="in", from_org__isnull=True, to_org__isnull=False)
                           & ~Q(external_org_name="") & ~Q(letter_number=""))),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.source_name} → {self.destination_name}"

    @property
    def source_name(self) -> str:
        return self.from_org.name if self.from_org else self.external_org_name

    @property
    def destination_name(self) -> str:
        return self.to_org.name if self.to_org else self.external_org_name

    @property
    def audit_organization(self):
        return self.from_org or self.to_org


class PostQuerySet(ScopedQuerySet):
    scope_path = "organization__path"

    def own_q(self, user):
        return Q(member__user=user)

    def current(self, on: date | None = None):
        on = on or date.today()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on), starts_on__lte=on)


class Post(models.Model):
    """设岗定责: a post a member holds in a branch or group, with its duties."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="member_posts",
                                     verbose_name=_("organization"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="posts", verbose_name=_("party member"))
    title = models.CharField(_("post"), max_length=60)
    duties = models.CharField(_("duties"), max_length=300, blank=True)
    starts_on = models.DateField(_("from"), default=date.today)
    ends_on = models.DateField(_("ended on"), null=True, blank=True, help_text=_("The first day without the post."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["organization__path", "title", "id"]
        verbose_name = _("member post")
        verbose_name_plural = _("member posts")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="post_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.member}"

    @property
    def audit_organization(self):
        return self.organization


class JobCodeTable(models.Model):
    """One version of the job-position (工作岗位) code table of the national party member information
    system: versions differ, so an import names the version its file was exported with."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("code table", "name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("job-position code table")
        verbose_name_plural = _("job-position code tables")
        constraints = [models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True),
                                               name="one_default_job_code_table")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def default(cls) -> JobCodeTable | None:
        return cls.objects.filter(is_default=True).first() or cls.objects.order_by("pk").first()


class JobCode(models.Model):
    """A job position of one table version and the category of member it means. Files carry the code,
    the name, or both ("011 公务员"); a longer code not in the table falls under its longest listed prefix."""

    table = models.ForeignKey(JobCodeTable, on_delete=models.CASCADE, related_name="codes",
                              verbose_name=_("code table"))
    code = models.CharField(_("code"), max_length=16, blank=True)
    name = models.CharField(pgettext_lazy("job position", "name"), max_length=120)
    category = models.CharField(pgettext_lazy("member", "category"), max_length=16, choices=MemberCategory)

    class Meta:
        ordering = ["table", "code", "id"]
        verbose_name = _("job position")
        verbose_name_plural = _("job positions")
        constraints = [
            models.UniqueConstraint(fields=["table", "name"], name="job_code_name_unique"),
            models.UniqueConstraint(fields=["table", "code"], condition=~Q(code=""), name="job_code_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()
