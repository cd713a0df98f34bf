"""Which code reaches a declared ``Capability``: the introspection behind tests/core/test_capability_checks.py.

A function *reaches a capability* when its source names a ``Capability`` object, calls ``can`` / ``can_any`` /
``anywhere`` of ``core.capabilities``, or calls (directly or through other functions of ``gongzhi``, methods
of QuerySets included) a function that does. Names are resolved as Python would: through the function's module
globals, imports inside the function, attribute chains (``selectors.managed(user)``,
``Complaint.objects.handled_by(user)``) and, for a method, its class.

A function *checks roles by hand* when its body (or a helper of its own module that it calls and that is not
itself a ``can_*`` predicate) reads role or organization kinds itself: ``has_any_role``, ``covers``,
``active_roles``, ``role_organizations``, ``scope_paths``, ``RoleKind``, ``OrgKind``, the named sets of
organization kinds (``COMMUNITY_LEVEL``…) or ``is_superuser``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
import types

from gongzhi.core import capabilities
from gongzhi.core.capabilities import Capability

PRIMITIVES = (capabilities.can, capabilities.can_any, capabilities.anywhere)
#: Methods that take or are a capability: ``Model.objects.where_user_can(user, CAP)``, ``cap.anywhere(user)``.
CAPABILITY_METHODS = frozenset({"where_user_can", "anywhere", "reaches"})
#: Names and attributes that read roles or organization kinds by hand.
HAND_ROLLED_NAMES = frozenset({"has_any_role", "covers", "active_roles", "role_organizations", "scope_paths",
                               "RoleKind", "OrgKind", "UPPER_LEVEL", "COMMUNITY_LEVEL", "BRANCH_LEVEL",
                               "GROUP_LEVEL", "UNIT_LEVEL", "MEETING_LEVEL"})
HAND_ROLLED_ATTRIBUTES = frozenset({"is_superuser"})
MAX_DEPTH = 6


def _unwrap(obj):
    while hasattr(obj, "__wrapped__"):
        obj = obj.__wrapped__
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if inspect.ismethod(obj):
        obj = obj.__func__
    return obj


def _tree(func) -> ast.AST | None:
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return None
    return ast.parse(textwrap.dedent(source))


def _local_imports(tree, func) -> dict[str, object]:
    """``from X import Y`` inside the function, resolved (``from .models import Y`` too)."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            package = func.__module__.rsplit(".", node.level)[0] if node.level else ""
            name = ".".join(part for part in (package, node.module) if part)
            module = importlib.import_module(name)
            for alias in node.names:
                found[alias.asname or alias.name] = getattr(module, alias.name, None)
    return found


def _chains(tree):
    """Every name and attribute chain the function reads: ``a.b.c(x)`` gives ``[a, b, c]`` (calls
    in between are skipped: ``A.objects.filter(x).handled_by`` gives ``[A, objects, filter, handled_by]``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            names, inner = [], node
            while True:
                if isinstance(inner, ast.Attribute):
                    names.append(inner.attr)
                    inner = inner.value
                elif isinstance(inner, ast.Call):
                    inner = inner.func
                else:
                    if isinstance(inner, ast.Name):
                        names.append(inner.id)
                        yield names[::-1]
                    break
        elif isinstance(node, ast.Name):
            yield [node.id]


def _namespace(func) -> dict:
    namespace = dict(getattr(func, "__globals__", {}))
    qualname = getattr(func, "__qualname__", "")
    if "." in qualname and "<locals>" not in qualname:  # a method: its class's attributes too
        owner = namespace.get(qualname.split(".")[0])
        if inspect.isclass(owner):
            namespace.update({name: getattr(owner, name, None) for name in dir(owner) if not name.startswith("__")})
    return namespace


def _resolve(chain, namespace):
    """The objects along ``chain`` as far as they resolve (each one is a candidate)."""
    obj = namespace.get(chain[0])
    yield obj
    for name in chain[1:]:
        if obj is None:
            return
        if not (isinstance(obj, types.ModuleType) or inspect.isclass(obj) or _is_gongzhi(obj)):
            return
        try:  # a model's manager, then a QuerySet method through it (``Complaint.objects.handled_by``)
            obj = getattr(obj, name)
        except AttributeError:
            if not isinstance(obj, types.ModuleType) or not hasattr(obj, "__path__"):
                return
            try:  # a submodule not imported yet: the answer must not depend on what ran before
                obj = importlib.import_module(f"{obj.__name__}.{name}")
            except ImportError:
                return
        except Exception:  # noqa: BLE001 - a descriptor that needs an instance
            return
        yield obj


def _is_gongzhi(obj) -> bool:
    module = getattr(obj, "__module__", None) or getattr(type(obj), "__module__", "")
    return isinstance(module, str) and module.startswith("gongzhi.")


def _callees(func):
    """The functions of ``gongzhi`` that ``func`` names, and whether it names a capability itself."""
    tree = _tree(func)
    if tree is None:
        return False, []
    namespace = _namespace(func)
    namespace.update(_local_imports(tree, func))
    direct, callees = False, []
    for chain in _chains(tree):
        if len(chain) > 1 and chain[-1] in CAPABILITY_METHODS:
            direct = True
        for obj in _resolve(chain, namespace):
            if isinstance(obj, Capability) or any(obj is p for p in PRIMITIVES):
                direct = True
            else:
                obj = _unwrap(obj) if obj is not None else None
                if inspect.isfunction(obj) and obj.__module__.startswith(("gongzhi.", "tests.")):
                    callees.append(obj)
    return direct, callees


_REACHES: set = set()  # functions known to reach a capability
_FAILS: dict = {}  # function → the largest depth budget within which it is known not to


def reaches_capability(func, _budget=MAX_DEPTH, _path=()) -> bool:
    """Whether ``func`` reaches a capability within ``MAX_DEPTH`` calls (the same answer whatever was asked
    before: results are kept per depth budget)."""
    func = _unwrap(func)
    if func in _REACHES:
        return True
    if _budget < 0 or func in _path or _FAILS.get(func, -1) >= _budget:
        return False
    direct, callees = _callees(func)
    if direct or any(reaches_capability(callee, _budget - 1, (*_path, func)) for callee in callees):
        _REACHES.add(func)
        return True
    if not any(callee in _path for callee in callees):  # a cycle cut short decides nothing for later
        _FAILS[func] = max(_FAILS.get(func, -1), _budget)
    return False


def hand_rolled(func) -> list[str]:
    """What ``func`` (and the helpers of its own module it calls that are no ``can_*``) read by hand."""
    found, seen, todo = [], set(), [_unwrap(func)]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        tree = _tree(current)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id in HAND_ROLLED_NAMES:
                found.append(f"{current.__name__}: {node.id}")
            elif isinstance(node, ast.Attribute) and node.attr in HAND_ROLLED_ATTRIBUTES:
                found.append(f"{current.__name__}: .{node.attr}")
        namespace = current.__globals__
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                callee = namespace.get(node.func.id)
                if (inspect.isfunction(callee) and callee.__module__ == current.__module__
                        and not callee.__name__.startswith("can_")):
                    todo.append(callee)
    return sorted(set(found))
