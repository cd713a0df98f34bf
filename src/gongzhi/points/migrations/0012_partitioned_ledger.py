"""The ledger partitioned by year on PostgreSQL (``core.partitions``), its unique keys moved to
``PointEntryKey`` (``points.keys``).

PostgreSQL refuses a unique constraint on a partitioned table without the partition key, so the
ledger's ``idempotency_key`` and ``reverses`` lose their unique constraints here and the foreign keys
to the ledger (redemptions, manual awards, reversals) lose their database constraints; the key
table, filled from the ledger and then by a trigger, carries the uniqueness and the foreign keys
instead. Then, on PostgreSQL only, the ledger becomes partitioned (rows, ids and sequence kept) with
its triggers (append-only on every partition, the totals, the keys).

On SQLite, altering the ledger's fields rebuilds the table, which drops its triggers: they are
installed again here.
"""

import django.db.models.deletion
from django.db import migrations, models

from gongzhi.core import partitions, triggers
from gongzhi.points import keys, totals


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    keys.fill(connection)
    if connection.vendor == "postgresql":
        partitions.convert(schema_editor, "points_pointentry", "occurred_on")
        triggers.install_partitioned_append_only(schema_editor, "points_pointentry")
    else:
        for sql in triggers.append_only_statements("sqlite", "points_pointentry"):
            schema_editor.execute(sql)
    totals.install(schema_editor)
    keys.install(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_partitioned_audit'),
        ('points', '0011_badge_to_recognition'),
    ]

    operations = [
        migrations.AlterField(
            model_name='manualaward',
            name='entry',
            field=models.OneToOneField(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='points.pointentry'),
        ),
        migrations.AlterField(
            model_name='pointentry',
            name='idempotency_key',
            field=models.CharField(db_index=True, max_length=160),
        ),
        migrations.AlterField(
            model_name='pointentry',
            name='reverses',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='points.pointentry', verbose_name='reverses'),
        ),
        migrations.AlterField(
            model_name='redemption',
            name='entry',
            field=models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='redemption', to='points.pointentry'),
        ),
        migrations.CreateModel(
            name='PointEntryKey',
            fields=[
                ('entry', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='key', serialize=False, to='points.pointentry')),
                ('idempotency_key', models.CharField(max_length=160, unique=True)),
                ('reverses', models.OneToOneField(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='points.pointentry')),
            ],
            options={
                'verbose_name': 'points entry key',
                'verbose_name_plural': 'points entry keys',
            },
        ),
        migrations.RunPython(forwards, elidable=False),
    ]
