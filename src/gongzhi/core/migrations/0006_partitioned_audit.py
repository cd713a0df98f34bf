"""PostgreSQL: the audit log becomes a table partitioned by year on its time (``core.partitions``):
the rows, ids and sequence kept, a partition for every year present, this year and next, and a
DEFAULT partition; the append-only triggers on the parent and on every partition. The function
``gongzhi_year_partition`` lets the application role create the partitions ahead. SQLite keeps the
plain table."""

from django.db import migrations

from gongzhi.core import partitions, triggers


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    partitions.install_function(schema_editor)
    partitions.convert(schema_editor, "core_auditevent", "created_at")
    triggers.install_partitioned_append_only(schema_editor, "core_auditevent", delete_after_days=180)


class Migration(migrations.Migration):
    atomic = True

    dependencies = [("core", "0005_audit_refuses_truncate")]

    operations = [migrations.RunPython(forwards, elidable=False)]
