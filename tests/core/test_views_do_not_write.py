"""Views and API operations never write to the database themselves: every write goes through a
service, with its audit row in the same transaction (STYLE.md, issue 13). The check reads the
source of every app's ``views.py`` and ``api.py``."""

import ast
from pathlib import Path

import gongzhi

PACKAGE = Path(gongzhi.__file__).resolve().parent
ALWAYS = {"save", "delete"}  # on a model instance (``form.save(commit=False)`` only builds one)
ON_MANAGERS = {"create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}


def _chain(node) -> list[str]:
    """Names along an attribute chain, calls included: ``A.objects.filter(x).update`` →
    ``[A, objects, filter, update]``."""
    names = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            if isinstance(node, ast.Name):
                names.append(node.id)
            return names[::-1]


def _writes(path: Path, root: Path = PACKAGE) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, chain = node.func.attr, _chain(node.func)
        builds_only = any(k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
                          for k in node.keywords)
        if (method in ALWAYS and not builds_only) or (method in ON_MANAGERS and "objects" in chain):
            found.append(f"{path.relative_to(root)}:{node.lineno} {'.'.join(chain)}()")
    return found


def _edge_modules() -> list[Path]:
    return sorted(p for name in ("views.py", "api.py") for p in PACKAGE.glob(f"*/{name}"))


def test_no_view_or_api_module_writes_to_a_model():
    modules = _edge_modules()
    assert len(modules) > 20
    found = [write for path in modules for write in _writes(path)]
    assert found == [], "move these writes into the app's services.py (with their audit rows)"


def test_the_check_finds_a_write(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("def view(request):\n    Post.objects.filter(pk=1).update(x=1)\n    item.save()\n"
                      "    form.save(commit=False)\n    context.update(a=1)\n")
    assert [w.split(" ")[1] for w in _writes(sample, tmp_path)] == ["Post.objects.filter.update()", "item.save()"]

