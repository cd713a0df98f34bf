"""Resident requests (接诉即办): public submission and tracking, resident and staff entry, the handler queue."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from gongzhi.accounts.models import RoleKind
from gongzhi.core.edge import require
from gongzhi.core.ratelimit import rate_limited
from gongzhi.core.rows import RowMarkup, RowUrl, choice_labels, escaped, local_clock, truncated
from gongzhi.core.scoping import (
    VIEWER_OPTIONAL,
    get_visible_or_404,
    role_organizations,
    stand_in_viewer,
    viewer_values,
)
from gongzhi.core.statements import Counted, Statement
from gongzhi.members.models import Resident
from gongzhi.orgs.models import COMMUNITY_LEVEL, Organization, OrgKind

from . import services
from .forms import NoteForm, RateForm, RequestForm, StaffEntryForm, TrackForm, TransferForm
from .models import OPEN_STATUSES, Category, Channel, EventKind, Request, Status, overdue
from .permissions import (
    MANAGE_COMMUNITY_VOICE,
    can_enter_requests,
    can_handle,
    can_manage_community,
    can_see_contact,
    can_see_queue,
    can_submit_as_resident,
    can_use_consultations,
    can_use_wishes,
    resident_in_place,
)

PUBLIC_EVENT_NOTES = {EventKind.ANSWERED, EventKind.RESOLVED}




def _add_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _public_community(code: str) -> Organization:
    return get_object_or_404(Organization, code=code, kind__in=COMMUNITY_LEVEL, is_active=True)


def _submitted(request, req):
    return render(request, "voice/submitted.html", {"req": req})


# --- submission ------------------------------------------------------------------------------------

@login_not_required
@rate_limited("public_form")
def public_new(request, code):
    community = _public_community(code)
    form = RequestForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = services.submit(community=community, category=data["category"], text=data["text"],
                                  channel=Channel.QR, grid=data["grid"], building=data["building"],
                                  address=data["address"], anonymous=data["anonymous"],
                                  contact_phone=data["contact_phone"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _submitted(request, req)
    return render(request, "voice/new.html", {"form": form, "community": community, "public": True})


def resident_new(request):
    require(can_submit_as_resident(request.user))
    resident = Resident.objects.filter(user=request.user).select_related("community").first()
    community = resident.community if resident else role_organizations(request.user, {RoleKind.RESIDENT})[0]
    initial = {"contact_phone": resident.phone} if resident else {}
    form = RequestForm(request.POST or None, community=community, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = services.submit(community=community, category=data["category"], text=data["text"],
                                  channel=Channel.ONLINE, grid=data["grid"], building=data["building"],
                                  address=data["address"], anonymous=data["anonymous"],
                                  contact_phone=data["contact_phone"], resident=resident, by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _submitted(request, req)
    return render(request, "voice/new.html", {"form": form, "community": community})


def _staff_communities(user):
    return (Organization.objects.where_user_can(user, MANAGE_COMMUNITY_VOICE).filter(is_active=True)
            .order_by("path"))


def staff_entry(request):
    require(can_enter_requests(request.user))
    form = StaffEntryForm(request.POST or None, communities=_staff_communities(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = services.submit(community=data["community"], category=data["category"], text=data["text"],
                                  channel=data["channel"], grid=data["grid"], building=data["building"],
                                  address=data["address"], anonymous=data["anonymous"],
                                  contact_phone=data["contact_phone"], by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Request recorded. Tracking number: %(n)s") % {"n": req.tracking_number})
            return redirect("voice:detail", pk=req.pk)
    return render(request, "voice/entry.html", {"form": form})


def qr(request, pk):
    import segno

    community = get_visible_or_404(Organization.objects.filter(kind__in=COMMUNITY_LEVEL), request.user, pk=pk)
    require(can_manage_community(request.user, community))
    url = request.build_absolute_uri(reverse("voice:public_new", kwargs={"code": community.code}))
    svg = segno.make(url, error="m").svg_inline(scale=6, title=url)
    return render(request, "voice/qr.html", {"community": community, "url": url, "svg": svg})


# --- tracking and rating (public) ------------------------------------------------------------------

def _public_timeline(req):
    from .selectors import anonymise

    return [{"kind": e.get_kind_display(), "at": e.created_at,
             "organization": e.organization.name if e.organization else "",
             "note": anonymise(e.note) if e.kind in PUBLIC_EVENT_NOTES else ""}
            for e in req.events.select_related("organization")]


@login_not_required
@rate_limited("public_lookup", methods={"GET"})
def track(request):
    form = TrackForm(request.GET or None)
    req = None
    if form.is_bound and form.is_valid():
        req = (Request.objects.select_related("community", "handler")
               .filter(tracking_number=form.cleaned_data["number"].strip()).first())
        if req is None:
            form.add_error("number", _("No request has this tracking number. Check the number and try again."))
    ctx = {"form": form, "req": req}
    if req is not None:
        ctx["timeline"] = _public_timeline(req)
        if req.status == Status.RESOLVED:
            ctx["rate_form"] = RateForm(initial={"number": req.tracking_number})
    return render(request, "voice/track.html", ctx)


@login_not_required
@require_POST
@rate_limited("public_form")
def rate(request):
    form = RateForm(request.POST)
    number = request.POST.get("number", "")
    req = Request.objects.filter(tracking_number=number).first() if number else None
    if req is None:
        raise Http404
    if form.is_valid():
        try:
            services.rate(req, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you for your rating."))
    else:
        messages.error(request, _("Choose a rating."))
    return redirect(f"{reverse('voice:track')}?number={req.tracking_number}")


# --- handler queue ----------------------------------------------------------------------------------

class QueueRow(NamedTuple):
    """One request of the queue, read as values: the columns the queue shows (no sealed address or phone), without
    a model instance per request, community and handler."""

    id: int
    category: str
    status: str
    text: str
    created_at: datetime
    first_answer_due: datetime
    resolution_due: date
    community_name: str
    handler_name: str | None

    model = Request  # the record a row stands for (the access matrix looks it up)

    @property
    def pk(self) -> int:
        return self.id


QUEUE_FIELDS = ("id", "category", "status", "text", "created_at", "first_answer_due", "resolution_due",
                "community__name", "handler__name")


def _queue_of(**viewer):
    return Request.objects.in_scope_of(stand_in_viewer(**viewer))


def _queue_rows_of(**viewer):
    return _queue_of(**viewer).values_list(*QUEUE_FIELDS).order_by("-created_at", "-id")


#: The unfiltered queue's count and pages, and the communities one enters requests for, compiled once
#: (core.statements). The count reads no name: a request's community is required and its handler LEFT JOINed, so
#: their rows change no count.
_QUEUE = Counted(_queue_rows_of, optional=VIEWER_OPTIONAL, counted=_queue_of)
_ENTRY_COMMUNITIES = Statement(lambda **viewer: _staff_communities(stand_in_viewer(**viewer)).only("id", "name"),
                               optional=VIEWER_OPTIONAL)


def queue(request):
    require(can_see_queue(request.user))
    status, category, late = request.GET.get("status", ""), request.GET.get("category", ""), request.GET.get("overdue")
    now = timezone.now()
    if status in Status.values or category in Category.values or late:
        qs = Request.objects.in_scope_of(request.user)
        if status in Status.values:
            qs = qs.filter(status=status)
        if category in Category.values:
            qs = qs.filter(category=category)
        if late:
            qs = qs.filter(Q(status__in=[Status.RECEIVED, Status.ACCEPTED], first_answer_due__lt=now)
                           | Q(status__in=OPEN_STATUSES, resolution_due__lt=timezone.localdate()))
        rows = qs.values_list(*QUEUE_FIELDS).order_by("-created_at", "-id")
    else:
        rows = _QUEUE.bind(**viewer_values(request.user))
    # Only the columns the queue shows; each row's link and time are prepared here, once per page (core.rows).
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    page.object_list = [QueueRow._make(row) for row in page.object_list]
    can_enter = can_enter_requests(request.user)
    return render(request, "voice/queue.html", {
        "page": page, "rows": _queue_rows(page, now), "statuses": Status.choices, "categories": Category.choices,
        "status": status, "category": category, "overdue": late, "can_enter": can_enter,
        "entry_links": _entry_links(_ENTRY_COMMUNITIES.instances(**viewer_values(request.user))) if can_enter else ""})


_QUEUE_ROW = RowMarkup("""
  <a class="list-group-item list-group-item-action" href="{url}" data-request="{pk}">
    <div class="d-flex justify-content-between flex-wrap gap-1"><strong>{category}</strong>
      <span>{late}<span class="badge text-bg-secondary">{status}</span></span></div>
    <div class="text-truncate">{text}</div>
    <div class="small text-body-secondary">{received} · {community} · {handler}</div>
  </a>
""")


def _queue_rows(page, now) -> str:
    """The queue's rows; each row's link, time, labels and whether it is late are prepared once per page
    (core.rows)."""
    detail_url, clock = RowUrl("voice:detail"), local_clock()
    categories, statuses = choice_labels(Request, "category"), choice_labels(Request, "status")
    late = format_html('<span class="badge text-bg-danger">{}</span> ', pgettext("voice request", "Overdue"))
    return _QUEUE_ROW.join([{
        "url": detail_url(req.id), "pk": str(req.id), "category": categories.get(req.category, req.category),
        "late": late if overdue(req.status, req.first_answer_due, req.resolution_due, now) else "",
        "status": statuses.get(req.status, req.status), "text": truncated(req.text, 80),
        "received": clock(req.created_at), "community": req.community_name, "handler": req.handler_name or "",
    } for req in page])


_ENTRY_LINKS = RowMarkup("""<a class="btn btn-sm btn-outline-secondary" href="{qr_url}"><i class="bi bi-qr-code" aria-hidden="true"></i> {qr}</a>
  <a class="btn btn-sm btn-outline-secondary" href="{rules_url}"><i class="bi bi-signpost-split" aria-hidden="true"></i> {rules}</a>""")  # noqa: E501 (the markup as the template wrote it)


def _entry_links(communities) -> str:
    """Each community's QR code and routing links on the queue, their URLs and labels prepared once (core.rows)."""
    qr_url, rules_url = RowUrl("voice:qr"), RowUrl("voice:rules")
    qr, rules = _("QR code: %(name)s"), _("Routing and time limits: %(name)s")
    return _ENTRY_LINKS.join([{
        "qr_url": qr_url(c.pk), "rules_url": rules_url(c.pk),
        "qr": SafeString(qr % {"name": escaped(c.name)}), "rules": SafeString(rules % {"name": escaped(c.name)}),
    } for c in communities])


def _transfer_targets(req):
    community = req.community
    units = Organization.objects.filter(unit__agreements__community=community)
    return (Organization.objects.filter(Q(path__startswith=community.path, is_active=True) | Q(pk__in=units)
                                        | Q(pk=community.parent_id))
            .exclude(pk=req.handler_id).exclude(kind=OrgKind.GROUP).distinct().order_by("path"))


def detail(request, pk):
    req = get_visible_or_404(Request.objects.select_related("community", "handler", "grid", "building",
                                                             "resident"), request.user, pk=pk)
    handle = can_handle(request.user, req)
    return render(request, "voice/detail.html", {
        "req": req, "events": req.events.select_related("organization", "actor"),
        "show_contact": can_see_contact(request.user, req) or (req.resident and req.resident.user_id ==
                                                                request.user.pk),
        "can_handle": handle, "note_form": NoteForm(), "late": req.is_overdue(timezone.now()),
        "transfer_form": TransferForm(targets=_transfer_targets(req)) if handle else None,
        "open": req.status in OPEN_STATUSES})


def _handled(request, pk):
    req = get_visible_or_404(Request.objects.select_related("community", "handler"), request.user, pk=pk)
    require(can_handle(request.user, req))
    return req


def _step(request, pk, action, success):
    req = _handled(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        action(req, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("voice:detail", pk=req.pk)


@require_POST
def accept(request, pk):
    return _step(request, pk, services.accept, _("Request accepted."))


@require_POST
def reply(request, pk):
    return _step(request, pk, services.reply, _("Answer recorded."))


@require_POST
def resolve(request, pk):
    return _step(request, pk, services.resolve, _("Request marked resolved."))


@require_POST
def transfer(request, pk):
    req = _handled(request, pk)
    form = TransferForm(request.POST, targets=_transfer_targets(req))
    if form.is_valid():
        try:
            services.transfer(req, by=request.user, to=form.cleaned_data["to"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Request transferred."))
    else:
        messages.error(request, _("Choose where to transfer and give the reason."))
    return redirect("voice:detail", pk=req.pk)


# --- public figures --------------------------------------------------------------------------------

@login_not_required
def public_figures(request, code):
    from . import selectors

    community = _public_community(code)
    qs = Request.objects.filter(community=community)
    return render(request, "voice/public.html", {
        "community": community, "total": selectors.figures(qs), "by_category": selectors.figures(qs, "category"),
        "resolved": selectors.public_resolved(community)})


def figures(request):
    from . import selectors

    require(can_see_queue(request.user))
    qs = Request.objects.in_scope_of(request.user)
    by = request.GET.get("by", "category")
    by = by if by in selectors.GROUPS else "category"
    return render(request, "voice/figures.html", {"total": selectors.figures(qs), "rows": selectors.figures(qs, by),
                                                  "by": by})


# --- small wishes -----------------------------------------------------------------------------------

def wishes(request):
    from .forms import WishForm
    from .models import Wish
    from .wishes import can_claim, can_confirm, can_fulfil

    require(can_use_wishes(request.user))
    items = list(Wish.objects.visible_to(request.user)
                 .select_related("community", "claimed_by", "resident").order_by("status", "-created_at")[:100])
    for wish in items:
        wish.may_claim = can_claim(request.user, wish)
        wish.may_fulfil = can_fulfil(request.user, wish)
        wish.may_confirm = can_confirm(request.user, wish)
    communities = _staff_communities(request.user)
    form = WishForm(communities=communities) if communities.exists() else None
    return render(request, "voice/wishes.html", {"wishes": items, "form": form})


@require_POST
def wish_new(request):
    from . import wishes as svc
    from .forms import WishForm

    communities = _staff_communities(request.user)
    require(communities.exists())
    form = WishForm(request.POST, communities=communities)
    if form.is_valid():
        try:
            svc.create(community=form.cleaned_data["community"], text=form.cleaned_data["text"],
                       resident=form.cleaned_data["resident"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Wish recorded."))
    else:
        messages.error(request, " ".join(m for errs in form.errors.values() for m in errs))
    return redirect("voice:wishes")


def _wish(request, pk):
    from .models import Wish

    return get_visible_or_404(Wish.objects.select_related("community", "claimed_by", "resident"), request.user,
                              pk=pk)


@require_POST
def wish_claim(request, pk):
    from . import wishes as svc

    wish = _wish(request, pk)
    require(svc.member_of(request.user, wish) is not None)
    try:
        svc.claim(wish, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have claimed this wish."))
    return redirect("voice:wishes")


@require_POST
def wish_fulfil(request, pk):
    from . import wishes as svc

    wish = _wish(request, pk)
    require(wish.claimed_by is not None and wish.claimed_by.user_id == request.user.pk)
    photo = request.FILES.get("photo")
    if photo is None:
        messages.error(request, _("Upload a photo (JPEG, PNG or WebP)."))
        return HttpResponseBadRequest(_("Upload a photo (JPEG, PNG or WebP)."))
    try:
        svc.fulfil(wish, by=request.user, photo=photo)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: the wish is reported fulfilled."))
    return redirect("voice:wishes")


@require_POST
def wish_confirm(request, pk):
    from . import wishes as svc

    wish = _wish(request, pk)
    own = wish.resident is not None and wish.resident.user_id == request.user.pk
    require(own or can_manage_community(request.user, wish.community))
    try:
        svc.confirm(wish, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Wish confirmed."))
    return redirect("voice:wishes")


def wish_photo(request, pk):
    wish = _wish(request, pk)
    if not wish.photo:
        raise Http404
    return FileResponse(wish.photo.open("rb"), content_type=wish.photo_type or "application/octet-stream")


def export(request):
    """The queue (with its filters) as CSV: masked phones, nothing personal for anonymous requests,
    no cell a spreadsheet would take for a formula."""
    from django.http import HttpResponse

    from gongzhi.core.spreadsheets import csv_writer

    from .selectors import contact_of, queue_for

    require(can_see_queue(request.user))
    qs = queue_for(request.user).select_related("community", "handler", "resident").order_by("-created_at")
    status, category = request.GET.get("status", ""), request.GET.get("category", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    if category in Category.values:
        qs = qs.filter(category=category)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="requests.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow([_("Received"), _("Community"), _("Category"), _("Status"), _("Handled by"), _("Request"),
                     _("Resident"), _("Contact phone")])
    for req in qs.iterator(chunk_size=500):
        name, phone = contact_of(request.user, req)
        writer.writerow([timezone.localtime(req.created_at).strftime("%Y-%m-%d %H:%M"), req.community.name,
                         req.get_category_display(), req.get_status_display(),
                         req.handler.name if req.handler else "", req.text, name, phone])
    return response


# --- routing table and time limits (community staff) -----------------------------------------------


def rules_page(request, pk):
    from gongzhi.orgs.models import Grid

    from . import rules
    from .forms import DeadlineForm, RouteForm
    from .models import RoutingRule

    community = get_visible_or_404(Organization.objects.filter(kind__in=COMMUNITY_LEVEL), request.user, pk=pk)
    require(can_manage_community(request.user, community))
    grids = Grid.objects.filter(community=community).order_by("name")
    handlers = rules.handler_choices(community)
    route_form = RouteForm(grids=grids, handlers=handlers)
    deadline_form = DeadlineForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "route":
                route_form = RouteForm(request.POST, grids=grids, handlers=handlers)
                if not route_form.is_valid():
                    raise ValidationError(_("Choose a category and who handles it."))
                rules.set_route(community=community, by=request.user, request=request, **route_form.cleaned_data)
                messages.success(request, _("Routing rule saved; it applies to requests received from now on."))
            elif action == "delete_route":
                rule = RoutingRule.objects.filter(community=community, pk=request.POST.get("rule") or 0).first()
                if rule is None:
                    raise ValidationError(_("This rule no longer exists."))
                rules.delete_route(rule=rule, by=request.user, request=request)
                messages.success(request, _("Routing rule removed."))
            elif action == "deadline":
                deadline_form = DeadlineForm(request.POST)
                if not deadline_form.is_valid():
                    raise ValidationError(" ".join(m for errs in deadline_form.errors.values() for m in errs))
                rules.set_deadline(organization=community, by=request.user, request=request,
                                   **deadline_form.cleaned_data)
                messages.success(request, _("Time limits saved; they apply to requests received from now on."))
            elif action == "reset_deadline":
                category = request.POST.get("category", "")
                rules.reset_deadline(organization=community, category=category, by=request.user, request=request)
                messages.success(request, _("The community now follows the limits set above it."))
            else:
                raise ValidationError(_("The request could not be understood."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return render(request, "voice/rules.html", _rules_context(community, route_form, deadline_form),
                          status=400)
        return redirect("voice:rules", pk=community.pk)
    return render(request, "voice/rules.html", _rules_context(community, route_form, deadline_form))


def _rules_context(community, route_form, deadline_form) -> dict:
    from . import rules
    from .models import RoutingRule

    routes = RoutingRule.objects.filter(community=community).select_related("grid", "handler").order_by(
        "category", "grid__name")
    return {"community": community, "routes": routes, "deadlines": rules.deadline_table(community),
            "route_form": route_form, "deadline_form": deadline_form}


# --- consultations (议事协商) -------------------------------------------------------------------------


def _consultation(request, pk):
    from .models import Consultation

    return get_visible_or_404(Consultation.objects.select_related("community", "grid", "building"), request.user,
                              pk=pk)


def consultations(request):
    from .models import Consultation

    require(can_use_consultations(request.user))
    items = (Consultation.objects.visible_to(request.user).select_related("community", "grid", "building")
             .annotate(opinion_count=Count("opinions")).order_by("-opens_on", "-id"))
    status = request.GET.get("status", "")
    if status:
        items = items.filter(status=status)
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    communities = _staff_communities(request.user)
    from .models import ConsultationStatus

    return render(request, "voice/consultations.html", {
        "page": page, "may_create": communities.exists(), "status": status,
        "statuses": ConsultationStatus.choices})


def _consultation_form_page(request, form, consultation=None, status=200):
    return render(request, "voice/consultation_form.html", {"form": form, "consultation": consultation},
                  status=status)


def consultation_new(request):
    from . import consultations as service
    from .forms import ConsultationForm

    communities = _staff_communities(request.user)
    require(communities.exists())
    today = timezone.localdate()
    form = ConsultationForm(request.POST or None, communities=communities,
                            initial={"opens_on": today, "closes_on": today + timedelta(days=14)})
    if request.method == "POST":
        if form.is_valid():
            consultation = form.save(commit=False)
            consultation.created_by = request.user
            try:
                service.save_draft(consultation=consultation, options=form.cleaned_data["options"].splitlines(),
                                   by=request.user, request=request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The topic is saved as a draft. Open it when it is ready."))
                return redirect("voice:consultation", pk=consultation.pk)
        return _consultation_form_page(request, form, status=400)
    return _consultation_form_page(request, form)


def consultation_edit(request, pk):
    from . import consultations as service
    from .forms import ConsultationForm

    consultation = _consultation(request, pk)
    require(can_manage_community(request.user, consultation.community))
    form = ConsultationForm(request.POST or None, instance=consultation,
                            communities=_staff_communities(request.user))
    if request.method == "POST":
        if form.is_valid():
            try:
                service.save_draft(consultation=form.save(commit=False),
                                   options=form.cleaned_data["options"].splitlines(), by=request.user,
                                   request=request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("voice:consultation", pk=consultation.pk)
        return _consultation_form_page(request, form, consultation, status=400)
    return _consultation_form_page(request, form, consultation)


def consultation_detail(request, pk):
    from . import consultations as service
    from .forms import OpinionForm, OutcomeForm
    from .models import ConsultationStatus
    from .selectors import anonymise, community_names

    consultation = _consultation(request, pk)
    manage = can_manage_community(request.user, consultation.community)
    resident = None if manage else resident_in_place(request.user, consultation)
    opinions = list(consultation.opinions.select_related("option", "resident").order_by("created_at", "id")[:200])
    names = community_names(consultation.community) if opinions and not manage else None
    for opinion in opinions:
        # Staff see who said what; residents read each other's opinions without names.
        opinion.shown_text = opinion.text if manage else anonymise(opinion.text, names)
    mine = next((o for o in opinions if resident is not None and o.resident_id == resident.pk), None)
    may_give = (resident is not None and mine is None and consultation.status == ConsultationStatus.OPEN
                and consultation.opens_on <= timezone.localdate() <= consultation.closes_on)
    return render(request, "voice/consultation.html", {
        "c": consultation, "manage": manage, "tally": service.tally(consultation), "opinions": opinions,
        "opinion_count": len(opinions), "mine": mine, "events": consultation.events.select_related("actor"),
        "opinion_form": OpinionForm(consultation=consultation) if may_give else None,
        "outcome_form": OutcomeForm(initial={"meeting_on": consultation.meeting_on or timezone.localdate(),
                                             "meeting_note": consultation.meeting_note,
                                             "outcome": consultation.outcome}),
        "show_outcome": manage or consultation.status == ConsultationStatus.PUBLISHED,
    })


@require_POST
def consultation_step(request, pk):
    from . import consultations as service

    consultation = _consultation(request, pk)
    require(can_manage_community(request.user, consultation.community))
    steps = {"open": service.open_consultation, "close": service.close_consultation, "publish": service.publish}
    action = request.POST.get("action", "")
    try:
        if action == "outcome":
            from .forms import OutcomeForm

            form = OutcomeForm(request.POST)
            if not form.is_valid():
                raise ValidationError(" ".join(m for errs in form.errors.values() for m in errs))
            service.record_outcome(consultation=consultation, by=request.user, request=request, **form.cleaned_data)
        elif action in steps:
            steps[action](consultation=consultation, by=request.user, request=request)
        else:
            raise ValidationError(_("The request could not be understood."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Done."))
    return redirect("voice:consultation", pk=consultation.pk)


@require_POST
def consultation_opinion(request, pk):
    from . import consultations as service
    from .forms import OpinionForm

    consultation = _consultation(request, pk)
    resident = resident_in_place(request.user, consultation)
    require(resident is not None)
    form = OpinionForm(request.POST, consultation=consultation)
    if not form.is_valid():
        messages.error(request, " ".join(m for errs in form.errors.values() for m in errs))
    else:
        try:
            service.give_opinion(consultation=consultation, resident=resident, text=form.cleaned_data["text"],
                                 option_id=form.cleaned_data["option"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Thank you: your opinion is recorded."))
    return redirect("voice:consultation", pk=consultation.pk)
