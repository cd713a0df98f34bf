"""Translation catalogs: one per app (``src/gongzhi/<app>/locale``) plus one for the shared
templates and settings (``src/gongzhi/locale``), so that apps never share a .po file.

    python scripts/messages.py update    # extract new strings into every catalog
    python scripts/messages.py check     # fail if any string is missing, untranslated or fuzzy
    python scripts/messages.py compile   # build the .mo files
    python scripts/messages.py todo APP  # print the untranslated msgids of one catalog
    python scripts/messages.py fill APP FILE.json  # set msgstr from {"msgid": "译文"} (plural: a list)

APP is an app folder name (``members``) or ``project`` for the shared catalog. In FILE.json a msgid
with a context (pgettext, ``{% translate "..." context "..." %}``) is keyed ``"context\u0004msgid"``,
as in a compiled catalog; a plain key never fills an entry that has a context.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "gongzhi"
LANGUAGE = "zh_Hans"


def app_dirs(package: Path) -> list[Path]:
    return sorted(p for p in package.iterdir() if p.is_dir() and (p / "apps.py").exists())


def _makemessages(cwd: Path, ignore: list[str]) -> None:
    (cwd / "locale").mkdir(exist_ok=True)
    for domain in ("django", "djangojs"):
        if domain == "djangojs" and not any(cwd.rglob("*.js")):
            continue
        args = [sys.executable, "-P", "-m", "django", "makemessages", "-l", LANGUAGE, "-d", domain,
                "--no-obsolete", "--add-location=never"]
        for pattern in ignore:
            args += ["-i", pattern]
        subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, "DJANGO_SETTINGS_MODULE": ""})


def update(package: Path) -> None:
    apps = app_dirs(package)
    for app in apps:
        _makemessages(app, ["static/vendor/*"])
    _makemessages(package, [f"{a.name}/*" for a in apps] + ["static/vendor/*", "locale/*"])


def catalogs(package: Path) -> list[Path]:
    return sorted(package.glob(f"**/locale/{LANGUAGE}/LC_MESSAGES/*.po"))


def check() -> int:
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "gongzhi"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("vendor", "__pycache__", "*.mo"))
        update(copy)
        for po_path in catalogs(copy):
            relative = po_path.relative_to(copy)
            committed = PACKAGE / relative
            extracted = polib.pofile(str(po_path))
            if not committed.exists():
                problems.append(f"{relative}: catalog missing (run scripts/messages.py update)")
                continue
            known = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(committed))}
            for entry in extracted:
                mine = known.get((entry.msgctxt, entry.msgid))
                if mine is None:
                    problems.append(f"{relative}: not extracted yet: {entry.msgid!r}")
                elif "fuzzy" in mine.flags:
                    problems.append(f"{relative}: fuzzy: {entry.msgid!r}")
                elif not (mine.msgstr or all(mine.msgstr_plural.values()) if mine.msgid_plural else mine.msgstr):
                    problems.append(f"{relative}: untranslated: {entry.msgid!r}")
    problems += conflicts(PACKAGE)
    for line in problems:
        print(line)
    print(f"translations: {len(problems)} problem(s)")
    return 1 if problems else 0


def conflicts(package: Path) -> list[str]:
    """Django merges every app's catalog into one, so a msgid translated differently in two catalogs
    shows one app's wording on the other's pages: tell them apart with a context (pgettext)."""
    seen: dict[tuple, tuple[str, Path]] = {}
    problems = []
    for po_path in catalogs(package):
        for entry in polib.pofile(str(po_path)):
            text = (tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)) if entry.msgid_plural
                    else entry.msgstr)
            if entry.obsolete or not any(text if entry.msgid_plural else [text]):
                continue
            key = (po_path.name, entry.msgctxt, entry.msgid, entry.msgid_plural)
            if key in seen and seen[key][0] != text:
                other = seen[key][1].relative_to(package)
                problems.append(f"{po_path.relative_to(package)}: {entry.msgid!r} is {text!r} here "
                                f"but {seen[key][0]!r} in {other} (add a context)")
            seen.setdefault(key, (text, po_path))
    return problems


def compile_all() -> None:
    for po_path in catalogs(PACKAGE):
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))


def _app_catalogs(app: str):
    base = PACKAGE if app == "project" else PACKAGE / app
    return base.glob(f"locale/{LANGUAGE}/LC_MESSAGES/*.po")


def fill(app: str, json_path: str) -> None:
    import json

    translations = json.loads(Path(json_path).read_text(encoding="utf-8"))
    for po_path in _app_catalogs(app):
        po = polib.pofile(str(po_path))
        for entry in po:
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid
            if key in translations:
                value = translations[key]
                if entry.msgid_plural:
                    values = value if isinstance(value, list) else [value]
                    entry.msgstr_plural = {0: values[0]}
                else:
                    entry.msgstr = value
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
                    entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        po.save()


def todo(app: str) -> None:
    for po_path in _app_catalogs(app):
        po = polib.pofile(str(po_path))
        for entry in po.untranslated_entries() + po.fuzzy_entries():
            print(repr(f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update(PACKAGE)
    elif command == "compile":
        compile_all()
    elif command == "todo":
        todo(sys.argv[2])
    elif command == "fill":
        fill(sys.argv[2], sys.argv[3])
    else:
        sys.exit(check())
