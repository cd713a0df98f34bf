"""The triggers that replace an account's ``scope_version`` when its own records change where it belongs
(``members.scope_triggers``), on both databases."""

from django.db import migrations

from gongzhi.core.migration_operations import RunSchemaPython
from gongzhi.members import scope_triggers


def forwards(apps, schema_editor):
    scope_triggers.install(schema_editor)


def backwards(apps, schema_editor):
    scope_triggers.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('accounts', '0006_scope_version'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
    ]

    operations = [
        RunSchemaPython(forwards, backwards),
    ]
