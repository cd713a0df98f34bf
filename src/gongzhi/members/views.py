"""Member roster, member record (masked, with an audited reveal), export, roster import,
dual reporting and member statistics. Thin: parse, authorise, call a service or selector."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongzhi.core import audit
from gongzhi.core.scoping import get_visible_or_404
from gongzhi.orgs.models import Organization

from . import selectors
from .export import roster_workbook
from .forms import MemberFilterForm
from .models import Member
from .permissions import can_list_members, can_reveal_member, can_see_stats

PAGE_SIZE = 25


def _require(allowed: bool) -> None:
    # Refusals look like "does not exist" (SECURITY.md).
    if not allowed:
        raise Http404


def _filtered(request):
    form = MemberFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data, selectors.filtered_members(request.user, data, timezone.localdate())


def member_list(request):
    _require(can_list_members(request.user))
    form, data, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/list.html", {"form": form, "page": page, "members": page.object_list})


def export(request):
    _require(can_list_members(request.user))
    form, data, qs = _filtered(request)
    filters = {key: (value.pk if hasattr(value, "pk") else value) for key, value in data.items()
               if value and key != "q"}
    if data.get("q"):
        filters["search"] = True  # the search text may be a name or ID digits: not logged
    with transaction.atomic():
        content, rows = roster_workbook(qs)
        audit.record(actor=request.user, action="members.export", request=request,
                     detail={"filters": filters, "rows": rows, "masked": True})
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="members.xlsx"'
    return response


def _detail_context(request, member, revealed=False):
    history = member.history.select_related("by")
    reportings = member.reportings.select_related("community", "serving_org")
    return {"member": member, "history": history, "reportings": reportings, "revealed": revealed,
            "own": member.user_id is not None and member.user_id == request.user.pk,
            "can_reveal": can_reveal_member(request.user, member),
            "today": timezone.localdate()}


def _member(request, pk):
    qs = Member.objects.select_related("home_org", "community", "grid", "building", "household", "serving_org")
    return get_visible_or_404(qs, request.user, pk=pk)


def detail(request, pk: int):
    member = _member(request, pk)
    return render(request, "members/detail.html", _detail_context(request, member))


@require_POST
def reveal(request, pk: int):
    member = _member(request, pk)
    _require(can_reveal_member(request.user, member))
    with transaction.atomic():
        audit.record(actor=request.user, action="members.reveal", obj=member, subject_user=member.user,
                     request=request)
    response = render(request, "members/detail.html", _detail_context(request, member, revealed=True))
    response["Cache-Control"] = "no-store"
    return response


def stats(request, pk: int):
    org = get_visible_or_404(Organization, request.user, pk=pk)
    _require(can_see_stats(request.user, org))
    data = selectors.member_stats(org, timezone.localdate())
    titles = {"status": _("Status"), "category": _("Category"), "sex": _("Sex"), "age": _("Age"),
              "education": _("Education"), "branch": _("Branch")}
    return render(request, "members/stats.html", {"org": org, "stats": data, "titles": titles})
