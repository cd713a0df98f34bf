"""Migration operations of our own: ``RunSchemaPython``, for database code that needs no model.

Django's ``RunPython`` hands its function the historical models (``apps``). Once a migration has altered a
field (Django's own ``auth`` migrations do, before ours), every ``RunPython`` renders all the models of the
project state again from scratch for that: about a second of CPU each on a fresh database. Installing
triggers, functions and partitions only executes SQL through the schema editor, so it needs no model: this
operation calls its function with ``apps=None`` and renders nothing. Data migrations keep ``RunPython``.
"""

from __future__ import annotations

from django.db import router
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
