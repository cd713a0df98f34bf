"""The set-up import pages: upload the organization tree or the places → preview with every problem by row,
column and reason → confirm (all or nothing) → the report as .xlsx; and the template files."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongzhi.core import audit, imports
from gongzhi.core.edge import require

from . import services
from .admin_forms import bootstrap
from .permissions import IMPORT_SETUP
from .setup_import import KINDS, preview, read_setup, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING = imports.PendingImports("orgs.setup")
PREVIEW_ROWS = 200


class SetupImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=[
        ("tree", gettext_lazy("The organization tree")), ("places", gettext_lazy("Grids, buildings and households"))])
    file = forms.FileField(label=gettext_lazy("Spreadsheet (.xlsx, .xls or .ods)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


def _may(user) -> bool:
    return IMPORT_SETUP.anywhere(user)


def _pending_plan(request, token=None):
    found = PENDING.get(request, token)
    if found is None:
        return None
    path, meta = found
    if meta.get("kind") not in KINDS:
        return None
    try:
        return read_setup(path, meta["kind"], request.user), meta
    except (imports.FileRefused, OSError):
        return None


def setup_import(request):
    require(_may(request.user))
    form = SetupImportForm(request.POST or None, request.FILES or None,
                           initial={"kind": request.GET.get("kind") if request.GET.get("kind") in KINDS else "tree"})
    context = {"form": form, "preview_rows": PREVIEW_ROWS}
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            path = PENDING.store(request, form.cleaned_data["file"], kind=kind)
            imports.check_upload(path)
            plan = read_setup(path, kind, request.user)
        except imports.FileRefused as exc:
            PENDING.discard(request)
            form.add_error("file", str(exc))
            return render(request, "orgs/setup_import.html", context, status=400)
        PENDING.mark(request, ok=plan.ok)
        context.update(plan=plan, summary=plan.summary(), token=PENDING.get(request)[1]["token"],
                       rows=preview(plan, PREVIEW_ROWS))
    return render(request, "orgs/setup_import.html", context)


@require_POST
def setup_import_confirm(request):
    require(_may(request.user))
    with transaction.atomic():
        found = _pending_plan(request, request.POST.get("token", ""))
        if found is None:
            messages.error(request, _("This import has expired or was already done. Upload the file again."))
            return redirect("orgs:setup_import")
        plan, meta = found
        if not plan.ok:
            messages.error(request, _("The file no longer passes the checks. Upload it again."))
            PENDING.discard(request)
            return redirect("orgs:setup_import")
        try:
            summary = services.import_setup(plan=plan, by=request.user, request=request, source=meta.get("name", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("orgs:setup_import")
    PENDING.discard(request)
    messages.success(request, _("Imported: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.") % summary)
    return redirect("orgs:tree")


def setup_import_report(request):
    """The uploaded sheet back as .xlsx, row for row, with the problems and notices beside each row."""
    require(_may(request.user))
    found = _pending_plan(request)
    if found is None:
        messages.error(request, _("There is no checked file to report on. Upload the file again."))
        return redirect("orgs:setup_import")
    plan, meta = found
    content = imports.report_workbook(plan.sheet, plan.header, plan, sheet_name=_("Set-up report"))
    audit.record(actor=request.user, action="orgs.import.report", request=request,
                 detail={"kind": plan.kind, "problems": len(plan.problems), "notices": len(plan.notices)})
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{plan.kind}-report.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


def setup_template(request, kind):
    """A template file with the header and one example row."""
    require(_may(request.user) and kind in KINDS)
    response = HttpResponse(template_workbook(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="gongzhi-{kind}-template.xlsx"'
    return response
