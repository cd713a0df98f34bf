"""The audit log's export: the rows the page shows (same scope, same filters), masked, written through
``core.spreadsheets``, and itself logged (who, which filters, how many rows)."""

from __future__ import annotations

import io
import re

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import audit
from gongzhi.core.edge import require
from gongzhi.core.personal import mask_id_number, mask_phone
from gongzhi.core.spreadsheets import write_row, xlsx_book
from gongzhi.orgs.models import Organization

from . import selectors
from .forms import AuditFilterForm
from .permissions import READ_AUDIT_LOG, can_read_audit_log

EXPORT_LIMIT = 50_000
_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)1\d{10}(?!\d)")


def mask_ip(value: str | None) -> str:
    """192.0.2.* / 2001:db8:*: the network, not the machine."""
    if not value:
        return ""
    if ":" in value:
        return ":".join(value.split(":")[:2]) + ":*"
    return ".".join(value.split(".")[:3]) + ".*"


def mask_free_text(value: str) -> str:
    """An object's name as logged, with any ID number or mobile number in it masked."""
    return _PHONE.sub(lambda m: mask_phone(m.group()), _ID.sub(lambda m: mask_id_number(m.group()), value or ""))


def audit_export(request):
    require(can_read_audit_log(request.user))
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    org_id = request.GET.get("org", "")
    organization = None
    if org_id.isdigit():
        organization = Organization.objects.filter(READ_AUDIT_LOG.q(request.user, "path", None),
                                                   pk=int(org_id)).first()
        require(organization is not None)
    rows = selectors.audit_events(request.user, organization=organization, action=filters.get("action", ""),
                                  start=filters.get("start"), end=filters.get("end"))[:EXPORT_LIMIT]
    buffer = io.BytesIO()
    book = xlsx_book(buffer)
    sheet = book.add_worksheet(_("Audit log"))
    write_row(sheet, 0, [_("Time"), _("Who"), _("Action"), _("Object type"), _("Object id"), _("Object"),
                         _("Organization"), _("Address"), _("Result")])
    count = 0
    for count, event in enumerate(rows, start=1):
        write_row(sheet, count, [
            timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"), str(event.actor or ""),
            audit.action_label(event.action),
            event.object_type, event.object_id, mask_free_text(event.object_repr),
            event.organization.name if event.organization else "", mask_ip(event.ip_address),
            _("success") if event.success else _("refused")])
    sheet.set_column(0, 8, 18)
    book.close()
    audit.record(actor=request.user, action="supervision.audit.export", organization=organization, request=request,
                 detail={"rows": count, "action": filters.get("action", ""),
                         "start": str(filters.get("start") or ""), "end": str(filters.get("end") or "")})
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="audit-log.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
