"""``points_post_award()`` on PostgreSQL: a rule's award posted inside the database, for a caller that writes its
source in the same statement (``points.award_statement``; the QR check-in). Nothing on SQLite."""

from django.db import migrations

from gongzhi.core.migration_operations import RunSchemaPython
from gongzhi.points import award_statement


def forwards(apps, schema_editor):
    award_statement.install(schema_editor)


def backwards(apps, schema_editor):
    award_statement.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('points', '0018_ledger_indexes_led_by_composites'),
    ]

    operations = [
        RunSchemaPython(forwards, backwards),
    ]
