
import django.db.models.deletion
from django.db import migrations, models

from gongzhi.points import totals


def forwards(apps, schema_editor):
    totals.install(schema_editor)
    totals.rebuild(schema_editor.connection)


def backwards(apps, schema_editor):
    totals.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0005_external_transfers'),
        ('points', '0006_manual_awards'),
    ]

    operations = [
        migrations.CreateModel(
            name='PointTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.SmallIntegerField(verbose_name='year')),
                ('month', models.SmallIntegerField(help_text='0: the whole year.', verbose_name='month')),
                ('points', models.DecimalField(decimal_places=1, max_digits=10, verbose_name='points')),
                ('entries', models.IntegerField(verbose_name='entries')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='point_totals', to='members.member', verbose_name='member')),
            ],
            options={
                'verbose_name': 'points total',
                'verbose_name_plural': 'points totals',
                'indexes': [models.Index(fields=['year', 'month', 'member'], name='point_total_period')],
                'constraints': [models.UniqueConstraint(fields=('member', 'year', 'month'), name='point_total_unique')],
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
