"""The totals trigger again, rounding to the tenth on SQLite (no float noise), and the summary
rebuilt with exact sums."""

from django.db import migrations

from gongzhi.points import totals


def forwards(apps, schema_editor):
    totals.uninstall(schema_editor)
    totals.install(schema_editor)
    totals.rebuild(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('points', '0009_ledger_refuses_truncate'),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
