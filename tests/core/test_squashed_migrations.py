"""The squashed migrations: one per app (two for accounts, whose tables and orgs' point at each other).

A new database applies only them; a database migrated with the old chains (all of it, or any part) is
served by the chains: nothing to apply once they all are, the rest of a chain when part of it is. The
squashes leave the models' state the chains left. What they build in the database is compared with what
the chains built by ``scripts/compare_databases.py`` (docs/architecture.md, "Migrations").
"""

from __future__ import annotations

from unittest import mock

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

OURS = {label.rsplit(".", 1)[-1] for label in settings.GONGZHI_APPS}


def _chains() -> MigrationLoader:
    return MigrationLoader(None, replace_migrations=False)


def _squashes() -> MigrationLoader:
    return MigrationLoader(None)


def _loader_over(applied: set[tuple[str, str]]) -> MigrationLoader:
    """The loader of a database on which ``applied`` are recorded (no query: the recorder is stood in for)."""
    with mock.patch.object(MigrationRecorder, "applied_migrations",
                           return_value={key: None for key in applied}):
        return MigrationLoader(connection)


def _to_apply(loader: MigrationLoader) -> list[tuple[str, str]]:
    plan: list[tuple[str, str]] = []
    for leaf in loader.graph.leaf_nodes():
        plan += [key for key in loader.graph.forwards_plan(leaf) if key not in loader.applied_migrations
                 and key not in plan]
    return plan


def _chain_nodes() -> set[tuple[str, str]]:
    """What a database migrated on the commit before the squashes has recorded (its own squashes of the
    initial migrations included: they stay recorded though their files are gone)."""
    squashes = _squashes().replacements
    nodes = {key for key in _chains().graph.nodes if key not in squashes}
    return nodes | {(app, "0001_squashed_0001_initial") for app, _name in nodes if (app, "0001_initial") in nodes}


def test_a_new_database_applies_the_squashes_and_nothing_they_replace():
    loader = _squashes()
    replaced = {key for migration in loader.replacements.values() for key in migration.replaces}
    ours = [key for key in loader.graph.nodes if key[0] in OURS]
    assert not replaced & set(ours)
    assert {key[0] for key in loader.replacements} == OURS - {"recognition"}
    assert sorted(key for key in ours if key not in loader.replacements) == [
        ("accounts", "0001_initial"), ("accounts", "0006_scope_version"), ("members", "0010_scope_triggers"),
        ("points", "0016_rules_version"), ("points", "0017_rule_group_totals"),
        ("points", "0018_ledger_indexes_led_by_composites"), ("points", "0019_post_award_function"),
        ("recognition", "0001_initial"), ("recognition", "0002_served_months"),
        ("service", "0006_checkin_in_one_statement"), ("service", "0007_checkin_if")]


def test_each_squash_replaces_every_migration_of_its_chain():
    chains, loader = _chains(), _squashes()
    for (app, name), squash in loader.replacements.items():
        chain = [key for key in chains.graph.nodes if key[0] == app and key not in loader.replacements]
        kept = {key for key in loader.graph.nodes if key[0] == app} - {(app, name)}
        assert set(squash.replaces) == set(chain) - kept, app
        assert [key for key in chains.graph.forwards_plan(squash.replaces[-1]) if key[0] == app][-len(
            squash.replaces):] == squash.replaces, f"{app}: replaces in the chain's order"


def _described(state) -> dict:
    """Each model's state, with what decides its table: the columns in order (many-to-many fields have none)."""
    described = {}
    for key, model in state.models.items():
        options = dict(model.options)
        for option in ("indexes", "constraints"):  # a chain may list one twice (its state, not its table)
            options[option] = sorted({repr(item.deconstruct()) for item in options.get(option, [])})
        described[key] = {
            "columns": [(name, field.deconstruct()[1:]) for name, field in model.fields.items()
                        if not field.many_to_many],
            "many_to_many": sorted((name, repr(field.deconstruct()[1:])) for name, field in model.fields.items()
                                   if field.many_to_many),
            "options": repr(sorted(options.items())), "bases": model.bases,
            "managers": [(name, manager.deconstruct()) for name, manager in model.managers],
        }
    return described


def test_the_squashes_leave_the_state_the_chains_left():
    chains, squashes = _described(_chains().project_state()), _described(_squashes().project_state())
    assert chains.keys() == squashes.keys()
    assert [key for key in chains if chains[key] != squashes[key]] == []


def test_a_database_migrated_with_the_chains_has_nothing_to_apply():
    loader = _loader_over(_chain_nodes())
    assert _to_apply(loader) == []
    assert set(loader.replacements) <= set(loader.applied_migrations)  # recorded as applied by migrate


def test_a_database_part_way_through_the_chains_applies_the_rest_of_them():
    chains = _chains()
    applied = {key for key in _chain_nodes() if key in set(chains.graph.forwards_plan(("points", "0010_exact_totals")))}
    plan = _to_apply(_loader_over(applied))
    for app, last in (("points", "0015_total_year_rows_index"), ("members", "0009_sealed_personal_fields")):
        rest = [key for key in chains.graph.forwards_plan((app, last)) if key[0] == app and key not in applied]
        # The chain, not the squash; then what was added after the squash (points' rules version).
        planned = [key for key in plan if key[0] == app]
        assert rest and planned[:len(rest)] == rest and not [key for key in planned if "squashed" in key[1]], app
    assert ("voice", "0001_squashed_0005_sealed_contact") in plan  # an app not begun: its squash
