"""Pages of the privacy app: one's own requests about one's data; the staff's queue and decisions; residents
who moved away. Thin: parse, authorise, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongzhi.core.edge import add_to_form, messages_of, require
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.members.models import Resident

from . import selectors, services
from .forms import AskForm, DecisionForm, DepartureForm
from .models import DataRequest, RequestStatus, Subject
from .permissions import can_decide, can_record_departure, can_use_departures, can_use_queue
from .services import ARCHIVE_REASON


def _rows(page, user, today):
    return [{"request": r, "field": selectors.field_label(r), "overdue": r.is_overdue(today),
             "value": selectors.shown_value(r, own=r.person_id == user.pk)} for r in page]


@sensitive_post_parameters("proposed_value")
def mine(request):
    """My requests about my data, and the form to ask for a correction or an erasure."""
    records = services.records_of(request.user)
    form = AskForm(request.POST or None, subjects=list(records), initial={"subject": next(iter(records), "")})
    if request.method == "POST" and records and form.is_valid():
        try:
            services.ask(person=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Your request was sent. You will have an answer within 30 days."))
            return redirect("privacy:mine")
    page = Paginator(selectors.own_requests(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "privacy/mine.html", {
        "form": form, "records": records, "page": page, "rows": _rows(page, request.user, timezone.localdate())})


def queue(request):
    require(can_use_queue(request.user))
    status = request.GET.get("status", RequestStatus.OPEN)
    status = status if status in RequestStatus.values else RequestStatus.OPEN
    page = Paginator(selectors.queue(request.user, status), 25).get_page(request.GET.get("page"))
    return render(request, "privacy/queue.html", {
        "page": page, "rows": _rows(page, request.user, timezone.localdate()), "status": status,
        "statuses": RequestStatus.choices})


def detail(request, pk):
    data_request = get_visible_or_404(DataRequest.objects.select_related(
        "organization", "person", "member", "resident", "decided_by"), request.user, pk=pk)
    return _detail(request, data_request, DecisionForm(initial=_initial(data_request)))


def _initial(data_request: DataRequest) -> dict:
    record = data_request.member if data_request.subject == Subject.MEMBER else data_request.resident
    if data_request.kind == "erasure" and (data_request.subject == Subject.MEMBER or record.member_id):
        return {"decision": "refuse", "reason": str(ARCHIVE_REASON)}
    return {}


def _detail(request, data_request, form, status=200):
    own = data_request.person_id == request.user.pk
    return render(request, "privacy/request.html", {
        "data_request": data_request, "form": form, "own": own, "today": timezone.localdate(),
        "field": selectors.field_label(data_request), "value": selectors.shown_value(data_request, own=own),
        "may_decide": data_request.status == RequestStatus.OPEN and can_decide(request.user, data_request),
    }, status=status)


@require_POST
def decide(request, pk):
    data_request = get_visible_or_404(DataRequest.objects.select_related(
        "organization", "person", "member", "resident", "decided_by"), request.user, pk=pk)
    require(can_decide(request.user, data_request))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(data_request=data_request, accept=form.cleaned_data["decision"] == "accept",
                            reason=form.cleaned_data["reason"], by=request.user, request=request)
        except ValidationError as error:
            messages.error(request, messages_of(error))
        else:
            messages.success(request, _("The decision is recorded and the person notified."))
            return redirect("privacy:queue")
    return _detail(request, data_request, form, status=200)


def departures(request):
    require(can_use_departures(request.user))
    text = request.GET.get("q", "")
    page = Paginator(selectors.departures(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "privacy/departures.html", {
        "page": page, "q": text[:50], "found": selectors.residents_found(request.user, text),
        "form": DepartureForm(initial={"moved_on": timezone.localdate()})})


@require_POST
def record_departure(request, pk):
    resident = get_visible_or_404(Resident.objects.select_related("community"), request.user, pk=pk)
    require(can_record_departure(request.user, resident))
    form = DepartureForm(request.POST)
    if form.is_valid():
        try:
            services.record_departure(resident=resident, moved_on=form.cleaned_data["moved_on"], by=request.user,
                                      request=request)
        except ValidationError as error:
            messages.error(request, messages_of(error))
        else:
            messages.success(request, _("Recorded: the retention period counts from the day of moving."))
    else:
        messages.error(request, _("Enter the day the resident moved away."))
    return redirect("privacy:departures")
