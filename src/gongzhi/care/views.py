"""Care visits: pairings with their last visit and overdue flag, a resident's care page, tagging, pairing,
logging visits. Care tags are sensitive: only staff in scope and the paired member see them."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.edge import messages_of, require
from gongzhi.core.rows import RowMarkup, RowUrl, choice_labels
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.members.models import Member, Resident
from gongzhi.orgs.models import CoBuildingUnit, Organization

from . import selectors, services
from .forms import NeedRequestForm, PairingForm, RegistryFilter, TagForm, VisitForm
from .models import CareTag, Pairing, Visit, by_kind
from .permissions import MANAGE_CARE, can_log_visit, can_manage_care, can_see_registry, can_use_care, is_carer


def _staff_residents(user, *, inline: bool = False):
    return Resident.objects.where_user_can(user, MANAGE_CARE, inline=inline)


PAIRING_COLUMNS = ("id", "resident", "member", "unit", "started_on", "frequency_days", "resident__name")


def index(request):
    """Current pairings, the most urgent visit first, paged in the database; ``?overdue=1`` only
    those whose visit is overdue."""
    require(can_use_care(request.user))
    today = timezone.localdate()
    pairings = selectors.active_pairings(request.user)
    late = selectors.overdue(pairings, today)
    # Only the columns the list shows: no member's or resident's sealed fields are read. Each row's link and
    # days are prepared once per page (core.rows).
    shown = (late if request.GET.get("overdue") else pairings).only(*PAIRING_COLUMNS)
    counts = selectors.pairing_counts(pairings, today)
    paginator = Paginator(shown, 50)
    paginator.count = counts["overdue"] if request.GET.get("overdue") else counts["total"]  # counted just above
    page = paginator.get_page(request.GET.get("page"))
    resident_url = RowUrl("care:resident")
    for p in page:
        p.overdue = p.due < today
        p.url, p.last_day = resident_url(p.resident_id), p.last_visit.isoformat() if p.last_visit else "—"
        p.due_day = p.due.isoformat() if p.due else ""
    # The pairing form (every resident and every carer of the scope as a choice) has a page of its own:
    # the list does not build it.
    return render(request, "care/index.html", {
        "page": page, "pairings": page.object_list, "can_pair": _staff_residents(request.user).exists(),
        "overdue": request.GET.get("overdue"),
        "overdue_count": counts["overdue"], "can_see_registry": can_see_registry(request.user),
    })


def registry(request):
    """The care registry: residents in the user's scope with care needs, by need, grid and whether
    anyone is paired with them; paged, a fixed number of queries; viewing children's records is
    logged, each one."""
    from gongzhi.orgs.models import Grid

    require(can_see_registry(request.user))
    grids = (Grid.objects.where_user_can(request.user, MANAGE_CARE).order_by("community__path", "code")
             .values_list("pk", "name"))
    form = RegistryFilter(request.GET or None, grids=grids)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.registry(request.user, _staff_residents(request.user), kind=data.get("kind") or "",
                              grid_id=data.get("grid"), unpaired=bool(data.get("unpaired")))
    # The needs with the communities' ids written into the query: the planner then knows the scope's residents
    # are many (a street's are all of its 200,000) and hashes the tags, not the residents; the list keeps the
    # join, whose plan its order by community path needs.
    needs, with_needs = selectors.needs_in(list(Organization.objects.where_user_can(request.user, MANAGE_CARE)
                                                .order_by().values_list("pk", flat=True)))
    paginator = Paginator(rows, 50)
    if not (data.get("kind") or data.get("grid") or data.get("unpaired")):
        paginator.count = with_needs  # unfiltered, the registry is every resident with a need, counted just above
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.registry_rows(request.user, page.object_list)
    children = [r for r in page.object_list if services.is_child_record(r.birth_year, r.kinds)]
    if children:
        services.log_child_record_views(residents=children, by=request.user, request=request)
    return render(request, "care/registry.html", {"form": form, "page": page, "needs": needs,
                                                  "rows": _registry_rows(page)})


_REGISTRY_ROW = RowMarkup("""<li class="list-group-item" data-resident="{pk}">
  <a href="{url}">{name}</a>
  <span class="small text-body-secondary">{place}</span>
  <div class="mt-1">{tags}</div>
  <div class="small">{carers}</div>
</li>""")


def _registry_rows(page) -> str:
    """The registry's rows (``selectors.RegistryRow``), as the template wrote them, each prepared once per page
    (core.rows): the link from one reversal, the labels translated once, a resident's needs and carers joined
    here."""
    resident_url, tag = RowUrl("care:resident"), '<span class="badge text-bg-warning me-1">{}</span>'
    labels = {code: format_html(tag, label) for code, label in choice_labels(CareTag, "kind").items()}
    paired, unpaired = escape(_("Paired with")), format_html('<span class="text-danger">{}</span>',
                                                             _("Nobody is paired with this resident yet."))
    rows = []
    for r in page:
        place = r.community_name
        if r.household_id:
            place = f"{place} · {r.grid_name} {r.building_name}"
        rows.append({
            "pk": str(r.id), "url": resident_url(r.id), "name": r.name, "place": place,
            "tags": mark_safe("".join(labels.get(code) or format_html(tag, code) for code in r.kinds)),  # noqa: S308
            "carers": mark_safe(f"{paired}: " + "、".join(escape(name) for name in r.carers))  # noqa: S308
            if r.carers else unpaired,
        })
    return _REGISTRY_ROW.join(rows)


def _carers(user) -> dict:
    # Members living in the communities, and units with an agreement with one of them.
    return {"members": Member.objects.current().filter(MANAGE_CARE.q(user, "community__path", "community__kind")),
            "units": CoBuildingUnit.objects.filter(
                MANAGE_CARE.q(user, "agreements__community__path", "agreements__community__kind")).distinct()}


def _resident(request, pk):
    """Staff in scope, or the carer (member or co-building unit) paired with the resident; everyone else 404."""
    resident = Resident.objects.filter(pk=pk).select_related("community", "household__building").first()
    if resident is None:
        raise Http404
    paired = Pairing.objects.visible_to(request.user).filter(resident=resident, ended_on__isnull=True).exists()
    require(paired or can_manage_care(request.user, resident.community))
    return resident


def resident(request, pk):
    res = _resident(request, pk)
    tags = by_kind(CareTag.objects.visible_to(request.user).filter(resident=res))
    pairings = list(Pairing.objects.visible_to(request.user).filter(resident=res).select_related("member", "unit"))
    visits = list(Visit.objects.filter(pairing__in=[p.pk for p in pairings])
                  .select_related("pairing__member", "pairing__unit", "wish", "request")[:50])
    manage = can_manage_care(request.user, res.community)
    for p in pairings:
        p.visit_form = VisitForm(initial={"visited_on": timezone.localdate(), "key": secrets.token_hex(16)},
                                 auto_id=f"id_p{p.pk}_%s")
    for v in visits:
        v.may_convert = bool(v.need) and (manage or is_carer(request.user, v.pairing))
    # A child's record: every viewing is logged (who, when, which record).
    all_tags = tags if manage else list(CareTag.objects.filter(resident=res))
    if services.is_child_record(res.birth_year, [t.kind for t in all_tags]):
        services.log_child_record_view(resident=res, by=request.user, request=request)
    return render(request, "care/resident.html", {
        "resident": res, "tags": tags, "pairings": pairings, "visits": visits,
        "tag_form": TagForm() if manage else None, "need_form": NeedRequestForm(),
    })


@require_POST
def tag_add(request, pk):
    res = _resident(request, pk)
    require(can_manage_care(request.user, res.community))
    form = TagForm(request.POST)
    if form.is_valid():
        try:
            services.add_tag(resident=res, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
        else:
            messages.success(request, _("Tag added."))
    else:
        messages.error(request, _("Choose the care need."))
    return redirect("care:resident", pk=res.pk)


def pair(request):
    residents = _staff_residents(request.user)
    require(residents.exists() and can_use_care(request.user))
    if request.method != "POST":
        return render(request, "care/pair.html", {"form": PairingForm(residents=residents, **_carers(request.user))})
    form = PairingForm(request.POST, residents=residents, **_carers(request.user))
    if form.is_valid():
        try:
            services.pair(by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Pairing created."))
    else:
        messages.error(request, " ".join(m for errs in form.errors.values() for m in errs))
    return redirect("care:index")


@require_POST
def visit(request, pk):
    pairing = get_visible_or_404(Pairing.objects.select_related("member", "unit__organization", "resident__community"),
                                 request.user, pk=pk)
    require(can_log_visit(request.user, pairing))
    form = VisitForm(request.POST)
    if form.is_valid():
        try:
            services.log_visit(pairing=pairing, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Visit recorded."))
    else:
        messages.error(request, _("Enter the date of the visit."))
    return redirect("care:resident", pk=pairing.resident_id)


def _convertible_visit(request, pk) -> Visit:
    visit = Visit.objects.select_related("pairing__member", "pairing__unit__organization",
                                         "pairing__resident__community").filter(pk=pk).first()
    if visit is None or not Pairing.objects.visible_to(request.user).filter(pk=visit.pairing_id).exists():
        raise Http404
    require(is_carer(request.user, visit.pairing) or can_manage_care(request.user, visit.pairing.resident.community))
    return visit


@require_POST
def need_to_wish(request, pk):
    visit = _convertible_visit(request, pk)
    try:
        services.need_to_wish(visit=visit, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The need is now a small wish that party members can claim."))
    return redirect("care:resident", pk=visit.pairing.resident_id)


@require_POST
def need_to_request(request, pk):
    visit = _convertible_visit(request, pk)
    form = NeedRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the category of the request."))
    else:
        try:
            req = services.need_to_request(visit=visit, category=form.cleaned_data["category"], by=request.user,
                                           request=request)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The need is now request %(n)s, routed to its handler.")
                             % {"n": req.tracking_number})
    return redirect("care:resident", pk=visit.pairing.resident_id)
