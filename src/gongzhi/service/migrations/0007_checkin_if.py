"""``service_check_in_if()`` on PostgreSQL: the QR check-in written only when a condition read in the same statement
holds (``service.checkin_statement``; the check-in from the process's copy of the activity). Nothing on SQLite."""

from django.db import migrations

from gongzhi.core.migration_operations import RunSchemaPython
from gongzhi.service import checkin_statement


def forwards(apps, schema_editor):
    checkin_statement.GUARDED_SET.install(schema_editor)


def backwards(apps, schema_editor):
    checkin_statement.GUARDED_SET.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('service', '0006_checkin_in_one_statement'),
    ]

    operations = [
        RunSchemaPython(forwards, backwards),
    ]
