"""Migration operations of our own, which spare a fresh ``migrate`` most of its rendering of model states:
``RunSchemaPython``, for database code that needs no model, and ``CreateModels``, an app's new models at once.

Django's ``RunPython`` hands its function the historical models (``apps``). Once a migration has altered a
field (Django's own ``auth`` migrations do, before ours), every ``RunPython`` renders all the models of the
project state again from scratch for that: about a second of CPU each on a fresh database. Installing
triggers, functions and partitions only executes SQL through the schema editor, so it needs no model: this
operation calls its function with ``apps=None`` and renders nothing. Data migrations keep ``RunPython``.
"""

from __future__ import annotations

from django.db import router
from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.models import CreateModel
from django.db.migrations.operations.special import RunPython


class RunSchemaPython(RunPython):
    """``RunPython`` whose functions use only ``schema_editor`` (their ``apps`` argument is ``None``)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if router.allow_migrate(schema_editor.connection.alias, app_label, **self.hints):
            self.code(None, schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self.reverse_code is None:
            raise NotImplementedError(f"You cannot reverse this operation: {self.describe()}")
        if router.allow_migrate(schema_editor.connection.alias, app_label, **self.hints):
            self.reverse_code(None, schema_editor)


class CreateModels(Operation):
    """Django's ``CreateModel`` operations of one app, their states added together.

    Once the executor has rendered the models (it does before the first migration), each ``CreateModel``
    renders its new model again with every model related to it, recursively: nearly the whole project for
    a model with a foreign key to the user or the organization, once per model. Here the new states are
    added first and rendered in one pass (``reload_models``, the same set of models a ``CreateModel`` at a
    time would render, once); the tables are then created by each ``CreateModel`` in order."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, operations):
        self.operations = list(operations)
        if not all(isinstance(operation, CreateModel) for operation in self.operations):
            raise TypeError("CreateModels takes CreateModel operations only")
        super().__init__()

    def deconstruct(self):
        return self.__class__.__qualname__, [self.operations], {}

    def state_forwards(self, app_label, state):
        rendered = state.__dict__.pop("apps", None)  # no render per model
        for operation in self.operations:
            operation.state_forwards(app_label, state)
        if rendered is not None:
            state.apps = rendered
            state.reload_models([(app_label, operation.name_lower) for operation in self.operations], delay=False)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for operation in self.operations:
            operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for operation in reversed(self.operations):
            operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Create models {', '.join(operation.name for operation in self.operations)}"

    @property
    def migration_name_fragment(self):
        return "_".join(operation.migration_name_fragment for operation in self.operations[:3])
