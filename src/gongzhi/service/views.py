"""Activity pages: upcoming list, detail with sign-up, organiser roster, QR check-in."""

from __future__ import annotations

from decimal import Decimal

import segno
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core.scoping import get_visible_or_404
from gongzhi.members.models import Member

from . import services
from .forms import ActivityForm, ManualCheckForm
from .models import Activity, CheckIn, SignUp, SignUpStatus
from .permissions import can_organise, can_publish, can_use_service, can_view_roster, publishing_orgs


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def own_member(user):
    return Member.objects.filter(user=user).select_related("home_org", "community").first()


def upcoming(request):
    _require(can_use_service(request.user))
    activities = (Activity.objects.visible_to(request.user).upcoming(timezone.now())
                  .select_related("organization")
                  .annotate(taken=Count("signups", filter=Q(signups__status=SignUpStatus.SIGNED_UP)))[:100])
    member = own_member(request.user)
    mine = {}
    if member is not None:
        mine = dict(SignUp.objects.filter(member=member, activity__in=[a.pk for a in activities])
                    .values_list("activity_id", "status"))
    return render(request, "service/upcoming.html", {
        "activities": activities, "mine": mine, "can_publish": can_publish(request.user),
    })


def create(request):
    orgs = publishing_orgs(request.user)
    _require(bool(orgs))
    form = ActivityForm(request.POST or None, organizations=orgs)
    if request.method == "POST" and form.is_valid():
        activity = form.save(commit=False)
        activity.created_by = request.user
        activity.save()
        messages.success(request, _("Activity published."))
        return redirect("service:detail", pk=activity.pk)
    return render(request, "service/create.html", {"form": form}, status=400 if form.errors else 200)


def _qr_svg(request, activity) -> str:
    url = request.build_absolute_uri(reverse("service:scan", args=[services.checkin_token(activity)]))
    return segno.make(url, error="m").svg_inline(scale=4, title=_("Check-in code"))


def detail(request, pk):
    activity = get_visible_or_404(Activity.objects.select_related("organization"), request.user, pk=pk)
    member = own_member(request.user)
    signup = checkin = None
    if member is not None:
        signup = SignUp.objects.filter(activity=activity, member=member).first()
        checkin = CheckIn.objects.filter(activity=activity, member=member).first()
    organiser = can_organise(request.user, activity)
    taken = SignUp.objects.filter(activity=activity, status=SignUpStatus.SIGNED_UP).count()
    return render(request, "service/detail.html", {
        "activity": activity, "member": member, "signup": signup, "checkin": checkin,
        "started": timezone.now() >= activity.starts_at, "taken": taken,
        "organiser": organiser, "can_roster": can_view_roster(request.user, activity),
        "qr": _qr_svg(request, activity) if organiser else "",
    })


def _member_action(request, pk, action):
    activity = get_visible_or_404(Activity, request.user, pk=pk)
    member = own_member(request.user)
    _require(member is not None)
    try:
        result = action(activity, member)
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    else:
        if result is not None and result.status == SignUpStatus.WAITING:
            messages.info(request, _("The activity is full: you are on the waiting list."))
        elif result is not None and result.status == SignUpStatus.SIGNED_UP:
            messages.success(request, _("You are signed up."))
        else:
            messages.success(request, _("Sign-up cancelled."))
    return redirect("service:detail", pk=activity.pk)


@require_POST
def signup(request, pk):
    return _member_action(request, pk, services.sign_up)


@require_POST
def cancel(request, pk):
    return _member_action(request, pk, services.cancel)


def roster(request, pk):
    activity = get_visible_or_404(Activity.objects.select_related("organization"), request.user, pk=pk)
    _require(can_view_roster(request.user, activity))
    signups = list(SignUp.objects.filter(activity=activity).select_related("member").order_by("status", "created_at"))
    checkins = {c.member_id: c for c in CheckIn.objects.filter(activity=activity)}
    rows = [(s, checkins.pop(s.member_id, None)) for s in signups]
    walk_ins = list(CheckIn.objects.filter(pk__in=[c.pk for c in checkins.values()]).select_related("member"))
    return render(request, "service/roster.html", {
        "activity": activity, "rows": rows, "walk_ins": walk_ins,
        "organiser": can_organise(request.user, activity),
        "present": sum(1 for _s, c in rows if c) + len(walk_ins),
    })


@require_POST
def manual_check(request, pk):
    activity = get_visible_or_404(Activity, request.user, pk=pk)
    _require(can_organise(request.user, activity))
    form = ManualCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for recording by hand."))
        return redirect("service:roster", pk=activity.pk)
    member = Member.objects.visible_to(request.user).filter(pk=form.cleaned_data["member"]).first()
    if member is None or not (SignUp.objects.filter(activity=activity, member=member).exists()
                              or CheckIn.objects.filter(activity=activity, member=member).exists()):
        raise Http404
    reason = form.cleaned_data["reason"]
    try:
        if form.cleaned_data["action"] == "in":
            _c, created = services.check_in(activity, member, by=request.user, reason=reason)
            if not created:
                messages.info(request, _("%(name)s was already checked in.") % {"name": member.name})
        else:
            checkin = CheckIn.objects.filter(activity=activity, member=member).first()
            if checkin is None:
                raise services.ServiceError(_("%(name)s has not checked in.") % {"name": member.name})
            services.check_out(checkin, by=request.user, reason=reason)
    except services.ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("service:roster", pk=activity.pk)


def scan(request, token):
    """The page a member's phone opens from the QR code: confirm to check in, later to check out."""
    try:
        activity_id, day = services.read_token(token)
    except services.ServiceError as exc:
        return render(request, "service/scan.html", {"error": str(exc)}, status=400)
    activity = get_visible_or_404(Activity.objects.select_related("organization"), request.user, pk=activity_id)
    member = own_member(request.user)
    checkin = CheckIn.objects.filter(activity=activity, member=member).first() if member else None
    error = ""
    try:
        services.check_token(activity, day)
        if member is None:
            raise services.ServiceError(_("Only party members with an account can check in."))
    except services.ServiceError as exc:
        error = str(exc)
    if request.method == "POST" and not error:
        try:
            if checkin is None:
                checkin, created = services.check_in(activity, member, by=request.user)
                messages.success(request, _("Checked in. Scan the same code again when you leave."))
            elif checkin.checked_out_at is None:
                checkin, _changed = services.check_out(checkin, by=request.user)
                messages.success(request, _("Checked out: %(hours)s hours of service.") % {"hours": checkin.hours})
            else:
                messages.info(request, _("You have already checked out of this activity."))
        except services.ServiceError as exc:
            messages.error(request, str(exc))
        return redirect("service:scan", token=token)
    return render(request, "service/scan.html", {"activity": activity, "checkin": checkin, "error": error})


def mine(request):
    """A member's own service: hours and points this year, and the history."""
    from django.db.models import Sum

    from gongzhi.points import selectors
    from gongzhi.points.models import PointEntry
    from gongzhi.points.services import balance

    member = own_member(request.user)
    _require(member is not None)
    year = timezone.localdate().year
    checkins = CheckIn.objects.filter(member=member, checked_in_at__year=year)
    hours = Decimal(checkins.aggregate(total=Sum("hours"))["total"] or 0).quantize(Decimal("0.01"))
    history = (CheckIn.objects.filter(member=member).select_related("activity__organization")
               .order_by("-checked_in_at")[:50])
    entries = PointEntry.objects.filter(member=member).order_by("-occurred_on", "-id")[:50]
    rank = None
    if member.community is not None and selectors.rankings_visible(member):
        start, end = selectors.period_bounds("year", timezone.localdate())
        rank = selectors.member_rank(member, member.community, start, end)
    return render(request, "service/mine.html", {
        "rank": rank, "community": member.community,
        "member": member, "year": year, "hours": hours, "points": balance(member, year),
        "total": balance(member), "history": history, "entries": entries,
    })


def unit_certificate(request, pk):
    """Download a co-building unit's service certificate for a year (?year=); ``pk`` is the
    unit's party organization (so the organization page can link to it)."""
    from django.http import HttpResponse

    from gongzhi.core import audit
    from gongzhi.core.scoping import role_organizations
    from gongzhi.orgs.models import CoBuildingUnit

    from .certificate import certificate_docx, unit_service

    unit = get_visible_or_404(CoBuildingUnit.objects.select_related("organization"), request.user,
                              organization_id=pk)
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    issuers = role_organizations(request.user)
    issuer = issuers[0].name if issuers else unit.organization.name
    content = certificate_docx(unit, year, unit_service(unit, year), issuer)
    audit.record(actor=request.user, action="service.certificate", obj=unit, organization=unit.organization,
                 request=request, detail={"year": year})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument."
                                                  "wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="certificate-{unit.pk}-{year}.docx"'
    return response
