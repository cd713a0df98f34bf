"""What each app holds about a person, for the "my data" page and download (PIPL right of access).

An app lists, in its optional ``mydata.py``, ``SECTIONS``: the records whose subject is the
person (a ledger entry about the member, a visit to the resident), never records about other
people the person handled. Each section is one query, so the page costs a bounded number of
queries however many apps contribute. ``ACTIONS`` (optional): links the page offers, such as
asking for a correction or an erasure (PIPL arts. 46–47).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.db.models import Model, Q
from django.utils.module_loading import module_has_submodule

LIMIT = 500


@dataclass(frozen=True)
class Section:
    title: str
    model: str  # "app_label.ModelName"
    owner: str | tuple[str, ...]  # lookup(s) from the model to the user, e.g. "member__user"; several: any
    fields: tuple[str | tuple[str, str], ...]  # field names ("a__b" follows a relation), or (name, label)
    order_by: tuple[str, ...] = ("-pk",)

    def columns(self) -> list[tuple[str, str | None]]:
        return [(f, None) if isinstance(f, str) else f for f in self.fields]


@dataclass(frozen=True)
class Action:
    label: str
    url_name: str
    icon: str


def _modules():
    for config in apps.get_app_configs():
        if config.name.startswith("gongzhi.") and config.label != "core" \
                and module_has_submodule(config.module, "mydata"):
            yield import_module(f"{config.name}.mydata")


def registered_actions() -> list[Action]:
    return [action for module in _modules() for action in getattr(module, "ACTIONS", [])]


def registered_sections() -> list[Section]:
    return [section for module in _modules() for section in getattr(module, "SECTIONS", [])]


def _field(model: type[Model], path: str):
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def _value(instance: Model, path: str) -> str:
    *relations, name = path.split("__")
    for relation in relations:
        instance = getattr(instance, relation)
        if instance is None:
            return ""
    field = instance._meta.get_field(name)
    value = getattr(instance, f"get_{name}_display")() if field.choices else getattr(instance, name)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return "" if value in (None, "") else str(value)


def _select_related(model: type[Model], paths: list[str]) -> list[str]:
    related = set()
    for path in paths:
        parts = path.split("__")
        for end in range(1, len(parts) + 1):
            prefix = "__".join(parts[:end])
            if _field(model, prefix).is_relation:
                related.add(prefix)
    return sorted(related)


def _owner_q(owner: str | tuple[str, ...], user) -> Q:
    lookups = (owner,) if isinstance(owner, str) else owner
    query = Q(**{lookups[0]: user})
    for lookup in lookups[1:]:
        query |= Q(**{lookup: user})
    return query


def sections_for(user) -> list[dict]:
    """Every registered section that holds at least one record of the user: title, columns, rows."""
    result = []
    for section in registered_sections():
        model = apps.get_model(section.model)
        columns = section.columns()
        paths = [path for path, _label in columns]
        rows = list(
            model.objects.filter(_owner_q(section.owner, user))
            .select_related(*_select_related(model, paths))
            .order_by(*section.order_by)[:LIMIT]
        )
        if rows:
            result.append({
                "title": str(section.title),
                "columns": [str(label or _field(model, path).verbose_name) for path, label in columns],
                "rows": [[_value(row, path) for path in paths] for row in rows],
                "truncated": len(rows) == LIMIT,
            })
    return result
