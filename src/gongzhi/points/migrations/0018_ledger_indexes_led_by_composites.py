"""The ledger's indexes that a composite index already serves, dropped: every insert maintained them (the QR
check-in inserts one entry per member). The member's and the organization's own indexes (the indexes on
(member, day) and (organization, day) lead with them), the day's (the index on (day, id) leads with it) and, on
PostgreSQL, the ``varchar_pattern_ops`` copies of the idempotency key in the ledger and in the key table (no query
looks a key up by a pattern: the plain index and the unique constraint serve the equality).

The indexes are dropped by name rather than by altering the fields: on SQLite, altering a field of the ledger
rebuilds the table and loses its triggers. On PostgreSQL, dropping a partitioned index drops every partition's.
"""

import django.db.models.deletion
from django.db import migrations, models

LEDGER = "points_pointentry"
KEYS = "points_pointentrykey"
#: (table, index, its definition) on both databases.
COMMON = [
    (LEDGER, "points_pointentry_member_id_c304bc74", "(member_id)"),
    (LEDGER, "points_pointentry_organization_id_4c0f85e3", "(organization_id)"),
    (LEDGER, "points_pointentry_occurred_on_ae15f78c", "(occurred_on)"),
]
#: PostgreSQL only: the pattern copies Django adds beside a text column's index.
PATTERN = [
    (LEDGER, "points_pointentry_idempotency_key_8fe047f2_like", "(idempotency_key varchar_pattern_ops)"),
    (KEYS, "points_pointentrykey_idempotency_key_c1b1524d_like", "(idempotency_key varchar_pattern_ops)"),
]


def _indexes(schema_editor):
    return COMMON + (PATTERN if schema_editor.connection.vendor == "postgresql" else [])


def forwards(apps, schema_editor):
    for _table, name, _definition in _indexes(schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def backwards(apps, schema_editor):
    for table, name, definition in _indexes(schema_editor):
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {definition}")


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        ('points', '0017_rule_group_totals'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='pointentry',
                    name='member',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='point_entries', to='members.member', verbose_name='member'),
                ),
                migrations.AlterField(
                    model_name='pointentry',
                    name='occurred_on',
                    field=models.DateField(verbose_name='date'),
                ),
                migrations.AlterField(
                    model_name='pointentry',
                    name='organization',
                    field=models.ForeignKey(db_index=False, help_text='The organization the points were earned in (for scoping and rankings).', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organization'),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
