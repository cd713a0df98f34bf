"""The QR check-in in one statement on PostgreSQL: ``service_check_in()`` (``service.checkin_statement``), which
posts the activity points through ``points_post_award()``. And the check-in's own indexes of the member and the
resident dropped: the unique constraints on (member, activity) and (resident, activity) lead with them, and every
check-in maintained both.

The indexes are dropped by name rather than by altering the fields: on SQLite, altering a field of the check-ins
rebuilds the table and loses the triggers recognition keeps on it (as points 0018 does for the ledger).
"""

import django.db.models.deletion
from django.db import migrations, models

from gongzhi.core.migration_operations import RunSchemaPython
from gongzhi.service import checkin_statement

TABLE = "service_checkin"
#: (index, column) on both databases.
INDEXES = [("service_checkin_member_id_312e7ac8", "member_id"), ("service_checkin_resident_id_7276ec7e", "resident_id")]


def drop_indexes(apps, schema_editor):
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create_indexes(apps, schema_editor):
    for name, column in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} ({column})")


def install(apps, schema_editor):
    checkin_statement.install(schema_editor)


def uninstall(apps, schema_editor):
    checkin_statement.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('points', '0019_post_award_function'),
        ('service', '0001_squashed_0005_checkin_checkin_member_time'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='checkin',
                    name='member',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='checkins', to='members.member', verbose_name='member'),
                ),
                migrations.AlterField(
                    model_name='checkin',
                    name='resident',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='checkins', to='members.resident', verbose_name='resident'),
                ),
            ],
            database_operations=[RunSchemaPython(drop_indexes, create_indexes)],
        ),
        RunSchemaPython(install, uninstall),
    ]
