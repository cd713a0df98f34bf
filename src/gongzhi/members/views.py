"""Member roster, member record (masked, with an audited reveal), export, roster import,
dual reporting and member statistics. Thin: parse, authorise, call a service or selector."""

from __future__ import annotations

from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from gongzhi.accounts.permissions import can_manage_org
from gongzhi.core import audit, imports
from gongzhi.core.edge import messages_of, require
from gongzhi.core.fields import lookup
from gongzhi.core.personal import mask_from_last4
from gongzhi.core.ratelimit import rate_limited
from gongzhi.core.rows import RowMarkup, RowUrl, choice_labels
from gongzhi.core.scoping import get_visible_or_404, parse_id
from gongzhi.orgs.models import COMMUNITY_LEVEL, Organization

from . import reporting as reporting_services
from . import roster, selectors
from . import services as member_services
from . import transfers as transfer_services
from .export import roster_workbook
from .forms import (
    DecisionForm,
    ImportForm,
    MemberFilterForm,
    MemberForm,
    PostForm,
    ReportingForm,
    ResidentFilterForm,
    ResidentForm,
    SelfReportForm,
    TransferForm,
    TransferInForm,
    TransferOutForm,
)
from .models import (
    JobCodeTable,
    Member,
    Post,
    Reporting,
    ReportingStatus,
    Resident,
    Standing,
    Transfer,
    TransferStatus,
    own_resident_remembered,
)
from .permissions import (
    ASSIGN_POST,
    REGISTER_MEMBERS,
    REGISTER_REPORTING,
    REGISTER_RESIDENTS,
    TRANSFER_MEMBERS,
    can_accept_transfer,
    can_edit_member,
    can_edit_resident,
    can_handle_reporting,
    can_import_roster,
    can_list_members,
    can_list_residents,
    can_register_members,
    can_request_transfer,
    can_reveal_member,
    can_see_reported,
    can_see_stats,
    can_use_import,
    can_use_transfers,
)

PAGE_SIZE = 25




def _filtered(request):
    form = MemberFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data, selectors.filtered_members(request.user, data, timezone.localdate())


SEALED_MEMBER_FIELDS = ("id_number", "mobile", "address", "mobile_destination")
LIST_COLUMNS = ("id", "name", "home_org", "home_org_name", "category", "is_mobile_member", "standing", "status",
                "id_number_last4", "home_org__name")


def member_list(request):
    require(can_list_members(request.user))
    form, data, qs = _filtered(request)
    # Only the columns the list shows: ID numbers are masked from their last four characters, nothing is
    # decrypted. Each row's link, branch and mask are prepared once per page (core.rows).
    page = Paginator(qs.select_related(None).select_related("home_org").only(*LIST_COLUMNS),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    detail_url = RowUrl("members:detail")
    for m in page.object_list:
        m.url, m.id_masked = detail_url(m.pk), mask_from_last4(m.id_number_last4, "id")
        m.branch = m.home_org.name if m.home_org_id else m.home_org_name
    return render(request, "members/list.html", {"form": form, "page": page, "members": page.object_list,
                                                 "can_register": can_register_members(request.user)})


def export(request):
    require(can_list_members(request.user))
    form, data, qs = _filtered(request)
    filters = {key: (value.pk if hasattr(value, "pk") else value) for key, value in data.items()
               if value and key != "q"}
    if data.get("q"):
        filters["search"] = True  # the search text may be a name or ID digits: not logged
    with transaction.atomic():
        content, rows = roster_workbook(qs)
        audit.record(actor=request.user, action="members.roster.export", request=request,
                     detail={"filters": filters, "rows": rows, "masked": True})
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="members.xlsx"'
    return response


def _detail_context(request, member, revealed=False):
    history = member.history.select_related("by")
    reportings = member.reportings.select_related("community", "serving_org")
    member_posts = member.posts.current().select_related("organization")
    return {"member": member, "history": history, "reportings": reportings, "revealed": revealed,
            "posts": member_posts, "can_edit": can_edit_member(request.user, member),
            "resident": getattr(member, "resident", None),
            "can_transfer_out": can_request_transfer(request.user, member)
            and member.standing != Standing.TRANSFERRED_OUT,
            "own": member.user_id is not None and member.user_id == request.user.pk,
            "can_reveal": can_reveal_member(request.user, member),
            "today": timezone.localdate()}


def _member(request, pk):
    qs = Member.objects.select_related("home_org", "community", "grid", "building", "household", "serving_org",
                                       "job_code", "resident__household__building")
    return get_visible_or_404(qs, request.user, pk=pk)


def detail(request, pk: int):
    member = _member(request, pk)
    return render(request, "members/detail.html", _detail_context(request, member))


@require_POST
def reveal(request, pk: int):
    member = _member(request, pk)
    require(can_reveal_member(request.user, member))
    with transaction.atomic():
        audit.record(actor=request.user, action="members.member.reveal", obj=member, subject_user=member.user,
                     request=request)
    response = render(request, "members/detail.html", _detail_context(request, member, revealed=True))
    response["Cache-Control"] = "no-store"
    return response


def stats(request, pk: int):
    org = get_visible_or_404(Organization, request.user, pk=pk)
    require(can_see_stats(request.user, org))
    data = selectors.member_stats(org, timezone.localdate())
    titles = {"status": _("Status"), "category": pgettext("member", "Category"), "sex": _("Sex"), "age": _("Age"),
              "education": _("Education"), "branch": _("Branch"), "party_status": _("Party membership status"),
              "away": _("Away")}
    return render(request, "members/stats.html", {"org": org, "stats": data, "titles": titles})


# ---------------------------------------------------------------------------------------------
# Roster import: upload → preview (``core.imports.PendingImports`` keeps the file) → confirm, and the
# report of the file with a reason beside each refused row

PENDING = imports.PendingImports("members.roster")
PREVIEW_ROWS = 200


def _pending_plan(request, token=None, *, lock=False):
    """The organization, code table and re-checked plan of the user's pending roster, or None."""
    found = PENDING.get(request, token)
    if found is None:
        return None
    path, meta = found
    organization = get_visible_or_404(Organization, request.user, pk=meta.get("org"))
    require(can_import_roster(request.user, organization))
    table = JobCodeTable.objects.filter(pk=meta.get("table")).first()
    try:
        plan = roster.read_roster(path, organization, table=table, lock=lock)
    except (imports.FileRefused, OSError):
        plan = None
    return organization, plan, meta


def import_roster(request):
    require(can_use_import(request.user))
    organizations = roster.importable_orgs(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, organizations=organizations)
    context = {"form": form, "preview_rows": PREVIEW_ROWS}
    if request.method == "POST" and form.is_valid():
        organization, table = form.cleaned_data["organization"], form.cleaned_data["table"]
        require(can_import_roster(request.user, organization))
        try:
            path = PENDING.store(request, form.cleaned_data["file"], org=organization.pk, table=table.pk)
            imports.check_upload(path)
            plan = roster.read_roster(path, organization, table=table)
        except imports.FileRefused as exc:
            PENDING.discard(request)
            form.add_error("file", str(exc))
            return render(request, "members/import.html", context, status=400)
        PENDING.mark(request, ok=plan.ok)
        context.update(plan=plan, organization=organization, table=table, summary=plan.summary(),
                       token=PENDING.get(request)[1]["token"])
    return render(request, "members/import.html", context)


@require_POST
def import_confirm(request):
    require(can_use_import(request.user))
    with transaction.atomic():
        found = _pending_plan(request, request.POST.get("token", ""), lock=True)
        if found is None:
            messages.error(request, _("This import has expired or was already done. Upload the file again."))
            return redirect("members:import")
        organization, plan, meta = found
        if plan is None or not plan.ok:
            messages.error(request, _("The roster no longer passes the checks. Upload the file again."))
        else:
            try:
                member_services.import_roster(plan=plan, by=request.user, request=request, source=meta["name"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                plan = None
            else:
                messages.success(request, _("Imported into %(org)s: %(new)s new, %(updated)s updated, "
                                            "%(unchanged)s unchanged.") % {
                    "org": organization.name, "new": len(plan.new), "updated": len(plan.updated),
                    "unchanged": len(plan.unchanged)})
    PENDING.discard(request)
    return redirect("members:list" if plan is not None and plan.ok else "members:import")


def import_report(request):
    """The uploaded roster back as .xlsx, row for row, with the problems and notices beside each row
    (the office's own data returned to the person who uploaded it, logged like any export)."""
    require(can_use_import(request.user))
    found = _pending_plan(request)
    if found is None or found[1] is None:
        messages.error(request, _("There is no checked roster to report on. Upload the file again."))
        return redirect("members:import")
    organization, plan, meta = found
    content = imports.report_workbook(plan.sheet, plan.header, plan, sheet_name=_("Roster report"))
    audit.record(actor=request.user, action="members.import.report", organization=organization, request=request,
                 detail={"rows": len(plan.rows) + len({p.row for p in plan.problems}),
                         "problems": len(plan.problems), "notices": len(plan.notices)})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="roster-report.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


def job_codes(request):
    """The job-position code tables an import reads 工作岗位 through, with the category of each entry."""
    require(can_use_import(request.user))
    tables = JobCodeTable.objects.prefetch_related("codes")
    return render(request, "members/job_codes.html", {"tables": tables})


# ---------------------------------------------------------------------------------------------
# Dual reporting


def _staff_communities(user):
    """Communities and villages where the user registers dual reporting."""
    return Organization.objects.where_user_can(user, REGISTER_REPORTING).filter(is_active=True).order_by("path")


def reported(request):
    require(can_see_reported(request.user))
    items = (Reporting.objects.visible_to(request.user)
             .select_related("member", "member__home_org", "community", "serving_org", "decided_by"))
    status = request.GET.get("status", "")
    if status in ReportingStatus.values:
        items = items.filter(status=status)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    communities = _staff_communities(request.user)
    form = None
    if communities.exists():
        form = ReportingForm(members=Member.objects.visible_to(request.user).current(), communities=communities)
    decisions, orgs_by_community = {}, {}
    for item in page.object_list:
        if item.status == ReportingStatus.SUBMITTED and can_handle_reporting(request.user, item.community):
            if item.community_id not in orgs_by_community:
                orgs_by_community[item.community_id] = list(reporting_services.serving_orgs(item.community))
            decisions[item.pk] = orgs_by_community[item.community_id]
    rows = [(item, decisions.get(item.pk)) for item in page.object_list]
    return render(request, "members/reported.html", {"page": page, "rows": rows, "form": form,
                                                     "status": status, "statuses": ReportingStatus.choices,
                                                     "qr_communities": list(communities[:20])})


@require_POST
def report(request):
    communities = _staff_communities(request.user)
    require(communities.exists())
    form = ReportingForm(request.POST, members=Member.objects.visible_to(request.user).current(),
                         communities=communities)
    if form.is_valid():
        try:
            reporting_services.register(by=request.user, request=request, **form.cleaned_data)
            messages.success(request, _("The reporting has been registered."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    else:
        messages.error(request, _("Choose a member and a community."))
    return redirect("members:reported")


@require_POST
def decide(request, pk: int):
    item = get_visible_or_404(Reporting.objects.select_related("community"), request.user, pk=pk)
    require(can_handle_reporting(request.user, item.community))
    form = DecisionForm(request.POST, serving_orgs=reporting_services.serving_orgs(item.community),
                        prefix=f"r{item.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return redirect("members:reported")
    try:
        reporting_services.decide(item, accept=form.cleaned_data["decision"] == "accept",
                                  serving_org=form.cleaned_data["serving_org"], note=form.cleaned_data["note"],
                                  by=request.user, request=request)
        messages.success(request, _("Decision recorded."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("members:reported")


# ---------------------------------------------------------------------------------------------
# Transfers inside the platform


def _transferable(user):
    return Member.objects.current().where_user_can(user, TRANSFER_MEMBERS).order_by("name_initials")


def transfers(request):
    require(can_use_transfers(request.user))
    items = Transfer.objects.visible_to(request.user).select_related("member", "from_org", "to_org", "decided_by")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(t, t.status == TransferStatus.PENDING and can_accept_transfer(request.user, t))
            for t in page.object_list]
    members = _transferable(request.user)
    form = TransferForm(members=members) if members.exists() else None
    return render(request, "members/transfers.html", {"page": page, "rows": rows, "form": form,
                                                      "can_transfer_in": can_register_members(request.user)})


@require_POST
def transfer_new(request):
    require(can_use_transfers(request.user))
    form = TransferForm(request.POST, members=_transferable(request.user))
    if form.is_valid() and can_request_transfer(request.user, form.cleaned_data["member"]):
        try:
            transfer_services.request_transfer(by=request.user, request=request, **form.cleaned_data)
            messages.success(request, _("The transfer has been sent to the receiving branch."))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    else:
        messages.error(request, _("Choose a member of your branch and a receiving branch."))
    return redirect("members:transfers")


@require_POST
def transfer_decide(request, pk: int):
    transfer = get_visible_or_404(Transfer.objects.select_related("to_org"), request.user, pk=pk)
    require(can_accept_transfer(request.user, transfer))
    accept = request.POST.get("decision") == "accept"
    try:
        transfer_services.decide_transfer(transfer, accept=accept, by=request.user, request=request)
        messages.success(request, _("Transfer accepted.") if accept else _("Transfer rejected."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("members:transfers")


# ---------------------------------------------------------------------------------------------
# Posts (设岗定责)


def _post_orgs(user):
    return Organization.objects.where_user_can(user, ASSIGN_POST).filter(is_active=True).order_by("path")


def posts(request):
    require(can_use_transfers(request.user))
    items = Post.objects.visible_to(request.user).current().select_related("organization", "member")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    organizations = _post_orgs(request.user)
    form = None
    if organizations.exists():
        form = PostForm(organizations=organizations, members=_transferable(request.user))
    rows = [(p, can_manage_org(request.user, p.organization)) for p in page.object_list]
    return render(request, "members/posts.html", {"page": page, "rows": rows, "form": form})


@require_POST
def post_new(request):
    require(can_use_transfers(request.user))
    form = PostForm(request.POST, organizations=_post_orgs(request.user), members=_transferable(request.user))
    if form.is_valid():
        try:
            member_services.assign_post(by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, messages_of(exc))
        else:
            messages.success(request, _("The post has been assigned."))
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect("members:posts")


@require_POST
def post_end(request, pk: int):
    item = get_visible_or_404(Post.objects.select_related("organization"), request.user, pk=pk)
    require(can_manage_org(request.user, item.organization))
    today = timezone.localdate()
    if item.ends_on is None or item.ends_on > today:  # ends_on is the first day without the post
        member_services.end_post(post=item, by=request.user, request=request, on=today)
        messages.success(request, _("The post has ended."))
    return redirect("members:posts")


# ---------------------------------------------------------------------------------------------
# Registering and correcting member records; transfers out of and into the platform


def _form_choices(user) -> dict:
    from gongzhi.orgs.models import COMMUNITY_LEVEL, Building, Grid, OrgKind

    orgs = Organization.objects.where_user_can(user, REGISTER_MEMBERS).filter(is_active=True).order_by("path")
    return {
        "branches": orgs.filter(kind=OrgKind.BRANCH),
        "communities": orgs.filter(kind__in=COMMUNITY_LEVEL),
        "grids": Grid.objects.where_user_can(user, REGISTER_MEMBERS).order_by("community__path", "name"),
        "buildings": Building.objects.where_user_can(user, REGISTER_MEMBERS).select_related("grid")
        .order_by("grid__name", "name"),
    }


def _duplicate_context(user, exc) -> dict:
    existing = exc.existing
    visible = Member.objects.visible_to(user).filter(pk=existing.pk).exists()
    return {"duplicate": existing if visible else None, "duplicate_hidden": not visible}


def _member_form_page(request, form, member=None, status=200, **extra):
    return render(request, "members/member_form.html", {"form": form, "member": member, **extra}, status=status)


def member_new(request):
    require(can_register_members(request.user))
    form = MemberForm(request.POST or None, **_form_choices(request.user))
    if request.method == "POST":
        if form.is_valid():
            new = form.save(commit=False)
            new.standing = form.standing(new.standing)
            try:
                member = member_services.register_member(member=new, by=request.user, request=request)
            except member_services.DuplicateMember as exc:
                form.add_error("id_number", exc.messages[0])
                return _member_form_page(request, form, status=400, **_duplicate_context(request.user, exc))
            messages.success(request, _("The member record is registered."))
            for warning in form.id_info.warnings:
                messages.warning(request, warning)
            return redirect("members:detail", member.pk)
        return _member_form_page(request, form, status=400)
    return _member_form_page(request, form)


def member_edit(request, pk: int):
    member = _member(request, pk)
    require(can_edit_member(request.user, member))
    form = MemberForm(request.POST or None, instance=Member.objects.get(pk=member.pk), **_form_choices(request.user))
    if request.method == "POST":
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
            if form.standing(member.standing) != member.standing:
                changes["standing"] = form.standing(member.standing)
            try:
                member_services.update_member(member=member, changes=changes, by=request.user, request=request)
            except member_services.DuplicateMember as exc:
                form.add_error("id_number", exc.messages[0])
                return _member_form_page(request, form, member, status=400, **_duplicate_context(request.user, exc))
            messages.success(request, _("The member record is updated."))
            for warning in form.id_info.warnings:
                messages.warning(request, warning)
            return redirect("members:detail", member.pk)
        return _member_form_page(request, form, member, status=400)
    # The form shows the ID number, phone and address in full: opening it is a recorded viewing.
    audit.record(actor=request.user, action="members.member.reveal", obj=member, subject_user=member.user,
                 request=request, detail={"for": "edit"})
    response = _member_form_page(request, form, member)
    response["Cache-Control"] = "no-store"
    return response


def transfer_out(request, pk: int):
    member = _member(request, pk)
    require(can_request_transfer(request.user, member) and member.standing != Standing.TRANSFERRED_OUT)
    form = TransferOutForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            member_services.transfer_out(member=member, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The membership is transferred out of the platform."))
            return redirect("members:detail", member.pk)
    return render(request, "members/transfer_out.html", {"form": form, "member": member},
                  status=400 if request.method == "POST" else 200)


def transfer_in(request):
    """A membership arriving with a letter of introduction: a returning record is reactivated,
    anyone else is registered with the full record."""
    require(can_register_members(request.user))
    from gongzhi.core.idnumber import normalise

    choices = _form_choices(request.user)
    letter = TransferInForm(request.POST or None, initial={"on": timezone.localdate()})
    form = MemberForm(request.POST or None, **choices)
    form.fields["home_org"].label = _("Receiving branch")
    context = {"letter": letter, "form": form}
    if request.method != "POST":
        return render(request, "members/transfer_in.html", context)
    number = normalise(request.POST.get("id_number", ""))
    returning = (Member.objects.filter(lookup(Member, "id_number", number), standing=Standing.TRANSFERRED_OUT).first()
                 if number else None)
    to_org = None
    if returning is not None:
        home_org = parse_id(request.POST.get("home_org"))
        to_org = choices["branches"].filter(pk=home_org).first() if home_org else None
        if to_org is None:
            form.is_valid()
    elif form.is_valid():
        to_org = form.cleaned_data["home_org"]
    if letter.is_valid() and to_org is not None:
        try:
            transfer = member_services.transfer_in(
                member=returning or form.save(commit=False), to_org=to_org, by=request.user, request=request,
                **letter.cleaned_data)
        except member_services.DuplicateMember as exc:
            form.add_error("id_number", _("This person's membership is held by a branch of the platform: "
                                          "ask that branch for a transfer."))
            context.update(_duplicate_context(request.user, exc))
        except ValidationError as exc:
            letter.add_error(None, exc)
        else:
            messages.success(request, _("The membership is transferred into the platform."))
            return redirect("members:detail", transfer.member_id)
    return render(request, "members/transfer_in.html", context, status=400)


# ---------------------------------------------------------------------------------------------
# Residents


def _registering_communities(user):
    """The active communities where the user registers residents."""
    return Organization.objects.where_user_can(user, REGISTER_RESIDENTS).filter(is_active=True).order_by("path")


def _resident_choices(user) -> dict:
    from gongzhi.orgs.models import Building

    return {
        "communities": _registering_communities(user),
        "buildings": Building.objects.where_user_can(user, REGISTER_RESIDENTS).select_related("grid")
        .order_by("grid__name", "name"),
    }


class ResidentRow(NamedTuple):
    """One resident of the list, read as values: the columns the list shows (no sealed field: the masks come from
    the last four characters kept beside them; the linked member's id is enough for the link), without a model
    instance per resident, community, household and building."""

    id: int
    community_id: int
    member_id: int | None
    name: str
    relation: str
    birth_year: int
    political_status: str
    phone_last4: str
    id_number_last4: str | None
    community_name: str
    household_id: int | None
    building_name: str | None
    entrance: int | None
    door: str | None

    model = Resident  # the record a row stands for (the access matrix looks it up)

    @property
    def pk(self) -> int:
        return self.id


RESIDENT_FIELDS = ("id", "community_id", "member_id", "name", "relation", "birth_year", "political_status",
                   "phone_last4", "id_number_last4", "community__name", "household_id", "household__building__name",
                   "household__entrance", "household__number")


def residents(request):
    require(can_list_residents(request.user))
    from gongzhi.orgs.models import Grid

    grids = Grid.objects.visible_to(request.user).order_by("community__path", "name").values_list("pk", "name")
    form = ResidentFilterForm(request.GET or None, grids=grids)
    data = form.cleaned_data if form.is_valid() else {}
    with own_resident_remembered(request.user):  # one's own record read once for both scopes
        paginator = Paginator(selectors.residents_for(request.user, data).values_list(*RESIDENT_FIELDS), PAGE_SIZE)
        # Counted with the communities' ids in the query: the index on the community serves it beside one's own
        # record (a street holds 200,000 residents); the list keeps its subquery, whose plan its order needs.
        paginator.count = selectors.residents_for(request.user, data, inline=True).count()
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = [ResidentRow._make(row) for row in page.object_list]
    editable = set(_registering_communities(request.user).values_list("pk", flat=True))
    return render(request, "members/residents.html", {"form": form, "page": page, "editable": editable,
                                                      "rows": _resident_rows(page, editable)})


_RESIDENT_ROW = RowMarkup("""<tr data-resident="{pk}">
<td>{name}</td>
<td>{where}</td><td>{relation}</td><td>{birth_year}</td>
<td>{political_status}{member}</td>
<td class="text-nowrap">{phone}</td><td class="text-nowrap">{id_number}</td></tr>
""")


def _resident_rows(page, editable) -> str:
    """The list's rows (``ResidentRow``), as the template wrote them, each prepared once per page (core.rows): the
    links from one reversal each, the labels translated once, the masks from the last four characters."""
    edit_url, member_url = RowUrl("members:resident_edit"), RowUrl("members:detail")
    relations, statuses = choice_labels(Resident, "relation"), choice_labels(Resident, "political_status")
    member_record = _("member record")
    rows = []
    for r in page:
        rows.append({
            "pk": str(r.id),
            "name": format_html('<a href="{}">{}</a>', edit_url(r.id), r.name) if r.community_id in editable
            else r.name,
            "where": f"{r.building_name} {r.entrance}-{r.door}" if r.household_id else r.community_name,
            "relation": relations.get(r.relation, r.relation), "birth_year": str(r.birth_year),
            "political_status": statuses.get(r.political_status, r.political_status),
            "member": format_html(' · <a href="{}">{}</a>', member_url(r.member_id), member_record) if r.member_id
            else "",
            "phone": mask_from_last4(r.phone_last4, "phone"), "id_number": mask_from_last4(r.id_number_last4, "id"),
        })
    return _RESIDENT_ROW.join(rows)


def _resident_form_page(request, form, resident=None, status=200):
    return render(request, "members/resident_form.html", {"form": form, "resident": resident}, status=status)


def _save_resident(request, form, resident=None):
    instance = form.save(commit=False)
    instance.household = form.household
    try:
        saved = member_services.save_resident(resident=instance, by=request.user, request=request,
                                              member_id_number=form.cleaned_data.get("member_id_number", ""))
    except ValidationError as exc:
        form.add_error(None, exc)
        return _resident_form_page(request, form, resident, status=400)
    messages.success(request, _("The resident record is saved."))
    return redirect(f"{reverse('members:residents')}?q={saved.name}")


def resident_new(request):
    choices = _resident_choices(request.user)
    require(choices["communities"].exists())
    form = ResidentForm(request.POST or None, **choices)
    if request.method == "POST":
        if form.is_valid():
            return _save_resident(request, form)
        return _resident_form_page(request, form, status=400)
    return _resident_form_page(request, form)


def resident_edit(request, pk: int):
    resident = get_visible_or_404(Resident.objects.select_related("community", "household", "member"),
                                  request.user, pk=pk)
    require(can_edit_resident(request.user, resident))
    form = ResidentForm(request.POST or None, instance=resident, **_resident_choices(request.user))
    if request.method == "POST":
        if form.is_valid():
            return _save_resident(request, form, resident)
        return _resident_form_page(request, form, resident, status=400)
    audit.record(actor=request.user, action="members.resident.reveal", obj=resident, subject_user=resident.user,
                 request=request, detail={"for": "edit"})
    response = _resident_form_page(request, form, resident)
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------
# Dual reporting by the member himself: the public form and the community's QR poster


def _public_community(code: str):
    community = Organization.objects.filter(code=code, is_active=True,
                                            kind__in=COMMUNITY_LEVEL).first()
    if community is None:
        raise Http404
    return community


@login_not_required
@rate_limited("public_form")
def report_self(request, code: str):
    community = _public_community(code)
    form = SelfReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reporting_services.self_register(
                community=community, id_info=form.id_info, name=data["name"], mobile=data["mobile"],
                joined_on=data["joined_on"], home_org_name=data["home_org_name"], employer=data["employer"],
                skills=data["skills"], services=data["services"],
                user=request.user if request.user.is_authenticated else None,
                request=request)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "members/report_self.html", {"community": community, "done": True})
    return render(request, "members/report_self.html", {"community": community, "form": form},
                  status=400 if request.method == "POST" else 200)


def report_qr(request, pk: int):
    import segno

    community = get_visible_or_404(Organization, request.user, pk=pk)
    require(can_handle_reporting(request.user, community) and community.kind in ("community", "village"))
    url = request.build_absolute_uri(reverse("members:report_self", kwargs={"code": community.code}))
    svg = segno.make(url, error="m").svg_inline(scale=6, title=url)
    return render(request, "members/report_qr.html", {"community": community, "url": url, "svg": svg})
