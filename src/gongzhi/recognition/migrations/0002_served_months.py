"""The summary of who served per month (``ServedMonth``), its triggers on check-ins, care visits, care
pairings and small wishes (``recognition.summary``), and its rows for the records already there."""

import django.db.models.deletion
from django.db import migrations, models

from gongzhi.recognition import summary


def forwards(apps, schema_editor):
    summary.install(schema_editor)
    summary.rebuild(schema_editor.connection)


def backwards(apps, schema_editor):
    summary.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0009_sealed_personal_fields'),
        ('recognition', '0001_initial'),
        ('service', '0005_checkin_checkin_member_time'),
        ('care', '0004_merge_0003_sealed_notes_0003_visit_visit_pairing_day'),
        ('voice', '0005_sealed_contact'),
    ]

    operations = [
        migrations.CreateModel(
            name='ServedMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='The first day of the month.', verbose_name='month')),
                ('checkins', models.IntegerField(default=0, verbose_name='check-ins')),
                ('visits', models.IntegerField(default=0, verbose_name='care visits')),
                ('wishes', models.IntegerField(default=0, verbose_name='small wishes fulfilled')),
                ('member', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='served_months', to='members.member', verbose_name='member')),
            ],
            options={
                'verbose_name': 'served month',
                'verbose_name_plural': 'served months',
                'indexes': [models.Index(fields=['month', 'member'], name='served_month_period')],
                'constraints': [models.UniqueConstraint(fields=('member', 'month'), name='served_month_unique')],
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
