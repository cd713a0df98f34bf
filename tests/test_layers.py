"""The layers point down (pyproject.toml's import-linter contract, docs/architecture.md): core,
accounts and orgs → members → the points ledger → the domain apps → recognition, dashboards and
reports. A new upward import, and so a new cycle between layers, fails here and in `make lint`."""

import tomllib
from pathlib import Path

from django.conf import settings
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["id"] == "layers")


def _layer_apps(layer: str) -> set[str]:
    return {name.strip().strip("()") for name in layer.replace("|", ":").split(":")}


def test_every_app_has_its_place_in_the_layers():
    placed = set().union(*(_layer_apps(layer) for layer in _contract()["layers"]))
    apps = {app.removeprefix("gongzhi.") for app in settings.GONGZHI_APPS}
    assert apps - placed == set(), "add the new app to a layer of the import contract in pyproject.toml"


def test_the_ledger_lies_below_the_domain_apps_and_recognition_above_them():
    layers = [_layer_apps(layer) for layer in _contract()["layers"]]
    position = {app: n for n, apps in enumerate(layers) for app in apps}  # 0: the highest
    assert position["recognition"] < position["service"] < position["points"] < position["members"] \
        < position["core"]
    assert position["meetings"] == position["voice"] == position["care"] == position["service"]


def test_no_module_imports_from_a_layer_above_its_own(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True) == 0


def test_no_import_is_excused():
    """A lower layer that needs something from above gets it registered at start-up
    (``orgs.people.register``, ``points.titles.register``), never through an excused import."""
    assert _contract().get("ignore_imports", []) == []
