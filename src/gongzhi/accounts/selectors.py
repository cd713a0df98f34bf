"""Everything the platform holds about the person logged in (PIPL right of access)."""

from __future__ import annotations

from django.apps import apps

from gongzhi.core.audit import action_label
from gongzhi.core.models import AuditEvent
from gongzhi.core.mydata import registered_actions, sections_for
from gongzhi.core.scoping import active_roles

PERSON_FIELDS = {
    "members.member": ["name", "sex", "ethnicity", "id_number", "birth_date", "education", "joined_on",
                       "full_member_on", "status", "probation_ends_on", "category", "employer", "job_post",
                       "mobile", "address", "standing", "home_org", "home_org_name", "community", "grid",
                       "building", "household", "serving_org"],
    "members.resident": ["name", "sex", "birth_year", "id_number", "phone", "relation", "political_status",
                         "community", "household"],
}


def _record(instance, fields: list[str]) -> list[tuple[str, str]]:
    rows = []
    for name in fields:
        field = instance._meta.get_field(name)
        if field.choices:
            value = getattr(instance, f"get_{name}_display")()
        else:
            value = getattr(instance, name)
        rows.append((str(field.verbose_name), "" if value in (None, "") else str(value)))
    return rows


def my_data(user) -> dict:
    records = []
    for label, fields in PERSON_FIELDS.items():
        model = apps.get_model(label)
        related = [f for f in fields if model._meta.get_field(f).is_relation]
        for instance in model.objects.filter(user=user).select_related(*related):
            records.append({"title": str(model._meta.verbose_name), "rows": _record(instance, fields)})
    accesses = (
        AuditEvent.objects.filter(subject_user=user).select_related("actor").order_by("-created_at")[:200]
    )
    return {
        "account": [("username", user.username), ("display_name", user.display_name),
                    ("mobile", user.mobile or "")],
        "roles": active_roles(user),
        "records": records,
        "sections": sections_for(user),
        "accesses": accesses,
        "actions": registered_actions(),
    }


#: Reveals listed in the download: the latest this many (a person's data is revealed a few times a year).
REVEALS_LIMIT = 1000


def reveals_of(user):
    """Who revealed the person's personal data in full, and when: the reveal audit rows about the person."""
    return (AuditEvent.objects.filter(subject_user=user, action__endswith=".reveal")
            .select_related("actor").order_by("-created_at")[:REVEALS_LIMIT])


def my_data_export(user) -> dict:
    data = my_data(user)
    return {
        "account": dict(data["account"]),
        "roles": [{"organization": r.organization.name, "role": r.kind, "from": str(r.starts_on),
                   "until": str(r.ends_on or "")} for r in data["roles"]],
        "records": [{"record": r["title"], "fields": dict(r["rows"])} for r in data["records"]],
        "activity": [{"section": s["title"], "rows": [dict(zip(s["columns"], row, strict=True)) for row in s["rows"]]}
                     for s in data["sections"]],
        "accesses": [{"when": e.created_at.isoformat(), "who": str(e.actor or ""), "action": action_label(e.action),
                      "object": e.object_repr} for e in data["accesses"]],
        "reveals": [{"when": e.created_at.isoformat(), "who": str(e.actor or ""), "action": e.action,
                     "object": e.object_repr, "fields": e.detail.get("fields", e.detail.get("field", ""))}
                    for e in reveals_of(user)],
    }
