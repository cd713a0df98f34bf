"""Every audit action code is ``app.object.verb`` (issue 13): the app's label, the object, the verb.

The check reads the source of every module of ``gongzhi`` (migrations aside) for the codes it writes: the
``action=`` of any call (``audit.record``, ``record_many``, the helpers that pass it on), and what is assigned
to a variable named ``action``. An f-string counts with each placeholder as one word, so
``f"members.reporting.{'accept' if … else 'return'}"`` passes and ``f"members.{verb}"`` does not. Rows written
before the convention keep their codes (the audit table is append-only); ``core.audit.RENAMED`` maps them to
the current ones, which the audit log and its export show.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

import gongzhi
from gongzhi.core.audit import RENAMED, action_label

PACKAGE = Path(gongzhi.__file__).resolve().parent
#: Calls whose ``action=`` is no audit code: argparse, and the audit log's own filter.
NOT_CODES = {"add_argument", "audit_events"}
PLACEHOLDER = "x"


def _labels() -> set[str]:
    return {apps.get_app_config(app.rsplit(".", 1)[-1]).label for app in settings.GONGZHI_APPS}


def _pattern(labels) -> re.Pattern:
    return re.compile(rf"^({'|'.join(sorted(labels))})\.[a-z][a-z_]*\.[a-z][a-z_]*$")


def _strings(node) -> list[str]:
    """The codes an expression may give: constants, f-strings (placeholders as one word), both sides of
    ``a if c else b``, the values of a dict, the items of a tuple."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(part.value if isinstance(part, ast.Constant) else PLACEHOLDER for part in node.values)]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    if isinstance(node, ast.Dict):
        return [s for value in node.values for s in _strings(value)]
    if isinstance(node, (ast.Tuple, ast.List)):
        return [s for item in node.elts for s in _strings(item)]
    return []


def codes_in(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in NOT_CODES:
                continue
            found += [(node.lineno, s) for k in node.keywords if k.arg == "action" for s in _strings(k.value)]
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "action" for t in node.targets):
            found += [(node.lineno, s) for s in _strings(node.value)]
    return sorted(found, key=lambda item: item[0])


def _used_codes() -> list[tuple[str, str]]:
    return [(f"{path.relative_to(PACKAGE)}:{line}", code)
            for path in sorted(PACKAGE.rglob("*.py")) if "migrations" not in path.parts
            for line, code in codes_in(path.read_text())]


def test_every_audit_code_in_the_source_is_app_object_verb():
    used = _used_codes()
    assert len(used) > 150
    pattern = _pattern(_labels())
    wrong = [f"{where} {code}" for where, code in used if not pattern.match(code)]
    assert wrong == [], "name audit codes app.object.verb (the app's label first)"


def test_the_check_catches_a_two_part_code_and_a_foreign_app():
    sample = ('audit.record(actor=by, action="points.redeem")\n'
              'audit.record(actor=by, action=f"members.transfer.{verb}")\n'
              'action = "appraisal.open" if first else "meetings.appraisal.open"\n'
              'parser.add_argument("--x", action="store_true")\n')
    pattern = _pattern(_labels())
    assert [(code, bool(pattern.match(code))) for _line, code in codes_in(sample)] == [
        ("points.redeem", False), ("members.transfer.x", True), ("appraisal.open", False),
        ("meetings.appraisal.open", True)]


def test_every_old_code_maps_to_a_code_in_use():
    pattern = _pattern(_labels())
    current = {code for _where, code in _used_codes()}
    for old, new in RENAMED.items():
        assert not pattern.match(old) and pattern.match(new), (old, new)
        assert new in current or any(re.fullmatch(c.replace(PLACEHOLDER, "[a-z_]+"), new)
                                     for c in current if PLACEHOLDER in c), new


def test_the_log_shows_old_and_new_codes_alike():
    assert action_label("points.redeem") == action_label("points.reward.redeem") == "points.reward.redeem"
    assert action_label("appraisal.vote") == "meetings.appraisal.vote"
    assert action_label("something.else.entirely") == "something.else.entirely"


def test_the_audit_log_and_its_export_show_and_find_old_rows_under_the_current_code(world, client_for):
    from io import BytesIO

    from django.urls import reverse
    from openpyxl import load_workbook

    from gongzhi.core import audit

    staff = world.users["community_staff"]
    audit.record(actor=staff, action="points.redeem", organization=world.community_a)  # written before the rename
    audit.record(actor=staff, action="points.reward.redeem", organization=world.community_a)
    audit.record(actor=staff, action="points.rule.add", organization=world.community_a)
    client = client_for("auditor")
    page = client.get(reverse("supervision:audit"), {"action": "points.reward"})
    assert [action_label(e.action) for e in page.context["page"]] == ["points.reward.redeem"] * 2
    assert page.content.decode().count("points.reward.redeem") >= 2 and ">points.redeem<" not in page.content.decode()
    export = client.get(reverse("supervision:audit_export"), {"action": "points.reward"})
    sheet = load_workbook(BytesIO(export.content)).active
    assert sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["points.reward.redeem"] * 2
