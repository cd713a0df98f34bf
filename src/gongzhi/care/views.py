"""Care visits: pairings with their last visit and overdue flag, a resident's care page, tagging, pairing,
logging visits. Care tags are sensitive: only staff in scope and the paired member see them."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.accounts.models import RoleKind
from gongzhi.core import audit
from gongzhi.core.scoping import get_visible_or_404, scope_paths, subtree_q
from gongzhi.members.models import Member, Resident

from .forms import PairingForm, TagForm, VisitForm
from .models import CareTag, Pairing, Visit
from .permissions import can_log_visit, can_manage_care, can_use_care


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _staff_residents(user):
    return Resident.objects.filter(subtree_q("community__path", scope_paths(user, RoleKind.staff_kinds())))


def index(request):
    _require(can_use_care(request.user))
    today = timezone.localdate()
    pairings = list(Pairing.objects.visible_to(request.user).filter(ended_on__isnull=True)
                    .select_related("member", "resident").annotate(last_visit=Max("visits__visited_on"))
                    .order_by("resident__name", "id")[:500])
    for p in pairings:
        p.due = p.next_due(p.last_visit)
        p.overdue = p.due < today
    if request.GET.get("overdue"):
        pairings = [p for p in pairings if p.overdue]
    residents = _staff_residents(request.user)
    form = None
    if residents.exists():
        form = PairingForm(residents=residents, members=Member.objects.filter(
            subtree_q("community__path", scope_paths(request.user, RoleKind.staff_kinds()))))
    return render(request, "care/index.html", {"pairings": pairings, "form": form,
                                               "overdue": request.GET.get("overdue")})


def _resident(request, pk):
    """Staff in scope, or the member paired with the resident; everyone else 404."""
    resident = Resident.objects.filter(pk=pk).select_related("community").first()
    if resident is None:
        raise Http404
    paired = Pairing.objects.filter(resident=resident, member__user=request.user, ended_on__isnull=True).exists()
    _require(paired or can_manage_care(request.user, resident.community))
    return resident


def resident(request, pk):
    res = _resident(request, pk)
    tags = CareTag.objects.visible_to(request.user).filter(resident=res)
    pairings = Pairing.objects.visible_to(request.user).filter(resident=res).select_related("member")
    visits = Visit.objects.filter(pairing__in=[p.pk for p in pairings]).select_related("pairing__member")[:50]
    manage = can_manage_care(request.user, res.community)
    pairings = list(pairings)
    for p in pairings:
        p.visit_form = VisitForm(initial={"visited_on": timezone.localdate()}, auto_id=f"id_p{p.pk}_%s")
    return render(request, "care/resident.html", {
        "resident": res, "tags": tags, "pairings": pairings, "visits": visits,
        "tag_form": TagForm() if manage else None,
    })


@require_POST
def tag_add(request, pk):
    res = _resident(request, pk)
    _require(can_manage_care(request.user, res.community))
    form = TagForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                tag = CareTag.objects.create(resident=res, created_by=request.user, **form.cleaned_data)
                audit.record(actor=request.user, action="care.tag", obj=tag, organization=res.community)
        except IntegrityError:
            messages.error(request, _("The resident already has this tag."))
        else:
            messages.success(request, _("Tag added."))
    else:
        messages.error(request, _("Choose the care need."))
    return redirect("care:resident", pk=res.pk)


@require_POST
def pair(request):
    residents = _staff_residents(request.user)
    _require(residents.exists() and can_use_care(request.user))
    members = Member.objects.filter(subtree_q("community__path", scope_paths(request.user, RoleKind.staff_kinds())))
    form = PairingForm(request.POST, residents=residents, members=members)
    if form.is_valid():
        try:
            with transaction.atomic():
                pairing = Pairing.objects.create(started_on=timezone.localdate(), **form.cleaned_data)
                audit.record(actor=request.user, action="care.pair", obj=pairing)
        except IntegrityError:
            messages.error(request, _("This member is already paired with the resident."))
        else:
            messages.success(request, _("Pairing created."))
    else:
        messages.error(request, " ".join(m for errs in form.errors.values() for m in errs))
    return redirect("care:index")


@require_POST
def visit(request, pk):
    pairing = get_visible_or_404(Pairing.objects.select_related("member", "resident__community"), request.user,
                                 pk=pk)
    _require(can_log_visit(request.user, pairing))
    form = VisitForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["visited_on"] > timezone.localdate():
            messages.error(request, _("A visit cannot be in the future."))
        else:
            Visit.objects.create(pairing=pairing, created_by=request.user, **form.cleaned_data)
            messages.success(request, _("Visit recorded."))
    else:
        messages.error(request, _("Enter the date of the visit."))
    return redirect("care:resident", pk=pairing.resident_id)
