"""Dual reporting (双报到): register, accept (assigning where the member serves) or return."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.fields import lookup
from gongzhi.orgs.models import Organization, OrgKind

from .models import Member, MembershipEvent, MembershipEventKind, Reporting, ReportingStatus


def serving_orgs(community):
    """Grid branches and building groups of the community, where a reported member may serve."""
    return Organization.objects.filter(path__startswith=community.path, kind__in=[OrgKind.BRANCH, OrgKind.GROUP],
                                       is_active=True).order_by("path")


@transaction.atomic
def register(*, member: Member, community, skills="", services="", by=None, request=None) -> Reporting:
    if Reporting.objects.filter(member=member, community=community,
                                status__in=[ReportingStatus.SUBMITTED, ReportingStatus.ACCEPTED]).exists():
        raise ValidationError(_("This member has already reported to this community."))
    reporting = Reporting.objects.create(member=member, community=community, skills=skills, services=services,
                                         created_by=by)
    audit.record(actor=by, action="members.reporting.register", obj=reporting, request=request)
    return reporting


@transaction.atomic
def decide(reporting: Reporting, *, accept: bool, serving_org=None, note="", by=None, request=None) -> Reporting:
    reporting = Reporting.objects.select_for_update().select_related("member", "community").get(pk=reporting.pk)
    if reporting.status != ReportingStatus.SUBMITTED:
        raise ValidationError(_("This reporting has already been decided."))
    reporting.decided_by = by
    reporting.decided_at = timezone.now()
    reporting.note = note
    if accept:
        if serving_org is None or not serving_orgs(reporting.community).filter(pk=serving_org.pk).exists():
            raise ValidationError(_("Choose the grid branch or building group where the member serves."))
        member = reporting.member
        before = member.serving_org.name if member.serving_org_id else ""
        member.community = reporting.community
        member.serving_org = serving_org
        member.save(update_fields=["community", "serving_org", "updated_at"])
        reporting.status = ReportingStatus.ACCEPTED
        reporting.serving_org = serving_org
        MembershipEvent.objects.create(member=member, kind=MembershipEventKind.RESIDENCE, from_value=before,
                                       to_value=f"{reporting.community.name} / {serving_org.name}",
                                       effective_on=timezone.localdate(), note=_("Dual reporting accepted"), by=by)
    else:
        reporting.status = ReportingStatus.RETURNED
    reporting.save()
    audit.record(actor=by, action=f"members.reporting.{'accept' if accept else 'return'}", obj=reporting,
                 subject_user=reporting.member.user, request=request)
    return reporting


SELF_REGISTRATIONS_PER_HOUR = 5


def check_self_registration_rate(request, now=None) -> None:
    """At most a few self-registrations an hour from one network address."""
    from datetime import timedelta

    from gongzhi.core.audit import client_ip
    from gongzhi.core.models import AuditEvent

    now = now or timezone.now()
    ip = client_ip(request) if request is not None else None
    recent = AuditEvent.objects.filter(action="members.reporting.self_register", ip_address=ip,
                                       created_at__gte=now - timedelta(hours=1))
    if ip and recent.count() >= SELF_REGISTRATIONS_PER_HOUR:
        raise ValidationError(_("Too many registrations from this network in the past hour. Please try again "
                                "later or call the community office."))


@transaction.atomic
def self_register(*, community, id_info, name: str, mobile: str, joined_on, home_org_name: str, employer: str = "",
                  skills: str = "", services: str = "", user=None, request=None) -> Reporting:
    """An in-service member reports to the community by the public form (the QR code the community
    shows). A member already on the platform is matched by ID number; anyone else gets a record held
    by the named organization outside the platform. A second submission changes nothing; the answer
    never tells whether an ID number was known. ``user`` (when logged in) is recorded as the submitter;
    no account is ever linked to a record from this form."""
    from .models import MemberCategory

    check_self_registration_rate(request)
    member = Member.objects.select_for_update().filter(lookup(Member, "id_number", id_info.number)).first()
    if member is None:
        member = Member(name=name, sex=id_info.sex, birth_date=id_info.birth_date, id_number=id_info.number,
                        joined_on=joined_on, category=MemberCategory.IN_SERVICE, employer=employer, mobile=mobile,
                        home_org_name=home_org_name, community=community)
        member.full_clean(exclude=["photo"])
        member.save()
        MembershipEvent.objects.create(member=member, kind=MembershipEventKind.CREATED, to_value=home_org_name,
                                       note=_("Self-registration for dual reporting"))
    reporting = Reporting.objects.filter(member=member, community=community,
                                         status__in=[ReportingStatus.SUBMITTED, ReportingStatus.ACCEPTED]).first()
    if reporting is None:
        reporting = Reporting.objects.create(member=member, community=community, skills=skills[:200],
                                             services=services[:200], created_by=user,
                                             note=_("Registered by the member"))
    audit.record(actor=user, action="members.reporting.self_register", obj=reporting, organization=community,
                 request=request)
    return reporting
