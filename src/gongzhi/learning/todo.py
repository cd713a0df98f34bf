"""Learning's to-dos (待办): study materials published for the member this month that he or she has not
studied yet; for a party group leader, the materials published to the group (by it or an organization above it)
this month that some of the group's members have not studied. Nothing counts study time (no "formalism at the
fingertips"): it is a reading list."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.models import RoleKind
from gongzhi.accounts.permissions import has_any_role
from gongzhi.core.registries import TodoItem, TodoSource
from gongzhi.core.scoping import ancestor_paths, role_organizations
from gongzhi.members.models import Member
from gongzhi.orgs.models import STEP, OrgKind

from .models import Material, StudyRecord
from .permissions import has_member_record

RECENT = 30  # days: materials published within a month


def _unstudied(user):
    studied = StudyRecord.objects.filter(material=OuterRef("pk"), member__user=user)
    return (Material.objects.visible_to(user)
            .filter(withdrawn_on__isnull=True, published_on__gte=timezone.localdate() - timedelta(days=RECENT))
            .exclude(Exists(studied)))


def _items(user, limit: int) -> list[TodoItem]:
    return [TodoItem(title=m.title, url=reverse("learning:material", args=[m.pk]), detail=m.organization.name)
            for m in _unstudied(user).select_related("organization").order_by("-published_on", "-id")[:limit]]


def _group(user):
    """The first party group the user leads (a leader of several sees the first here)."""
    groups = [o for o in role_organizations(user, {RoleKind.GROUP_LEADER}) if o.kind == OrgKind.GROUP]
    return groups[0] if groups else None


def _group_members(group):
    """The group's members: held in it or serving there, and the branch's members of its buildings (as its
    meetings' roll)."""
    return Member.objects.current().filter(Q(home_org=group) | Q(serving_org=group)
                                           | Q(home_org_id=group.parent_id, building__group=group))


def _group_unstudied(user):
    """Recent materials reaching the group that at least one of its members has not studied."""
    group = _group(user)
    if group is None:
        return Material.objects.none()
    missing = _group_members(group).exclude(Exists(StudyRecord.objects.filter(material=OuterRef(OuterRef("pk")),
                                                                              member=OuterRef("pk"))))
    return (Material.objects.filter(organization__path__in=ancestor_paths(group.path, STEP), withdrawn_on__isnull=True,
                                    published_on__gte=timezone.localdate() - timedelta(days=RECENT),
                                    published_on__lte=timezone.localdate())
            .filter(Exists(missing)))


def _group_items(user, limit: int) -> list[TodoItem]:
    group = _group(user)
    materials = list(_group_unstudied(user).select_related("organization").order_by("-published_on", "-id")[:limit])
    if not materials:
        return []
    members = _group_members(group)
    everyone = members.count()
    studied = dict(StudyRecord.objects.filter(material__in=materials, member__in=members).values_list("material")
                   .annotate(n=Count("member", distinct=True)).order_by())
    return [TodoItem(title=m.title, url=reverse("learning:material", args=[m.pk]),
                     detail=_("%(group)s: %(missing)d of %(everyone)d members have not studied it") % {
                         "group": group.name, "missing": everyone - studied.get(m.pk, 0), "everyone": everyone})
            for m in materials]


SOURCES = [
    TodoSource(key="learning.study", label=_("New study materials"), icon="book", url_name="learning:my_study",
               applies=has_member_record, count=lambda user: _unstudied(user).count(), items=_items, order=16),
    TodoSource(key="learning.group_study", label=_("Study for your party group"), icon="journal-check",
               url_name="learning:materials", applies=lambda user: has_any_role(user, {RoleKind.GROUP_LEADER}),
               count=lambda user: _group_unstudied(user).count(), items=_group_items, order=17),
]
