"""The core app's migrations 0001_initial … 0006_partitioned_audit in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints, then what the chain ran in SQL and data.
"""

import django.db.models.deletion
import gongzhi.core.migration_operations
import uuid
from django.conf import settings
from django.db import migrations, models

from gongzhi.core import partitions, triggers
from gongzhi.core.migration_operations import RunSchemaPython


def seed_calendar(apps, schema_editor):
    """Seed the holiday table from the chinese-calendar package for every year it knows (each such year is
    complete); later years are entered by administrators on the holiday page."""
    from gongzhi.core.workdays import package_days, package_years

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    known = set(CalendarYear.objects.values_list("year", flat=True))
    for year in package_years():
        if year in known or not 2000 <= year <= 2100:
            continue
        present = set(CalendarDay.objects.filter(day__year=year).values_list("day", flat=True))
        CalendarDay.objects.bulk_create([
            CalendarDay(day=day, kind=kind, festival=festival, name=name, source="package")
            for day, kind, festival, name in package_days(year) if day not in present])
        CalendarYear.objects.create(year=year, source="package")


def audit_append_only(apps, schema_editor):
    """The audit log append-only (rows deletable after 180 days); on PostgreSQL partitioned by year on its
    time, with the function ``gongzhi_year_partition`` the application role creates partitions with."""
    for sql in triggers.append_only_statements(schema_editor.connection.vendor, "core_auditevent",
                                               delete_after_days=180):
        schema_editor.execute(sql)
    if schema_editor.connection.vendor == "postgresql":
        partitions.install_function(schema_editor)
        partitions.convert(schema_editor, "core_auditevent", "created_at")
        triggers.install_partitioned_append_only(schema_editor, "core_auditevent", delete_after_days=180)


class Migration(migrations.Migration):

    replaces = [('core', '0001_initial'), ('core', '0002_audit_append_only'), ('core', '0003_working_day_calendar'), ('core', '0004_seed_calendar'), ('core', '0005_audit_refuses_truncate'), ('core', '0006_partitioned_audit')]

    initial = True

    dependencies = [
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='AuditEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('action', models.CharField(db_index=True, max_length=64, verbose_name='action')),
                    ('object_type', models.CharField(blank=True, max_length=64, verbose_name='object type')),
                    ('object_id', models.CharField(blank=True, max_length=64, verbose_name='object id')),
                    ('object_repr', models.CharField(blank=True, max_length=200, verbose_name='object')),
                    ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP address')),
                    ('success', models.BooleanField(default=True, verbose_name='success')),
                    ('detail', models.JSONField(blank=True, default=dict, verbose_name='detail')),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='time')),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization')),
                    ('subject_user', models.ForeignKey(blank=True, help_text='The person whose data the action concerns, when that person has an account.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'audit event',
                    'verbose_name_plural': 'audit events',
                    'ordering': ['-created_at', '-id'],
                },
            ), migrations.CreateModel(
                name='Job',
                fields=[
                    ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                    ('kind', models.CharField(max_length=64, verbose_name='kind')),
                    ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=16, verbose_name='status')),
                    ('progress', models.PositiveIntegerField(default=0, verbose_name='progress')),
                    ('total', models.PositiveIntegerField(default=0, verbose_name='total')),
                    ('message', models.TextField(blank=True, verbose_name='message')),
                    ('result', models.JSONField(blank=True, default=dict, verbose_name='result')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization')),
                ],
                options={
                    'verbose_name': 'job',
                    'verbose_name_plural': 'jobs',
                    'ordering': ['-created_at'],
                },
            ), migrations.CreateModel(
                name='Notification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('body', models.TextField(blank=True, verbose_name='text')),
                    ('url', models.CharField(blank=True, max_length=300, verbose_name='link')),
                    ('key', models.CharField(blank=True, help_text='Idempotency key: one notification per key and user.', max_length=120)),
                    ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                    ('read_at', models.DateTimeField(blank=True, null=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'notification',
                    'verbose_name_plural': 'notifications',
                    'ordering': ['-created_at'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('key', ''), _negated=True), fields=('user', 'key'), name='notification_once_per_key')],
                },
            ), migrations.CreateModel(
                name='CalendarDay',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('day', models.DateField(unique=True, verbose_name='date')),
                    ('kind', models.CharField(choices=[('holiday', 'Public holiday'), ('workday', 'Make-up working day')], max_length=8, verbose_name='kind')),
                    ('festival', models.CharField(choices=[('new_year', "New Year's Day"), ('spring_festival', 'Spring Festival'), ('qingming', 'Qingming Festival'), ('labour_day', 'Labour Day'), ('dragon_boat', 'Dragon Boat Festival'), ('mid_autumn', 'Mid-Autumn Festival'), ('national_day', 'National Day'), ('other', 'Other')], max_length=16, verbose_name='festival')),
                    ('name', models.CharField(blank=True, help_text='Only for a holiday outside the usual seven, e.g. a commemoration day.', max_length=60, verbose_name='name')),
                    ('source', models.CharField(choices=[('package', 'chinese-calendar package'), ('entered', 'Entered by an administrator')], default='entered', max_length=8, verbose_name='source')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'public holiday or make-up working day',
                    'verbose_name_plural': 'public holidays and make-up working days',
                    'ordering': ['day'],
                    'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('festival', 'other'), _negated=True), models.Q(('name', ''), _negated=True), _connector='OR'), name='calendar_day_other_has_name')],
                },
            ), migrations.CreateModel(
                name='CalendarYear',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(unique=True, verbose_name='year')),
                    ('source', models.CharField(choices=[('package', 'chinese-calendar package'), ('entered', 'Entered by an administrator')], default='entered', max_length=8, verbose_name='source')),
                    ('completed_at', models.DateTimeField(auto_now_add=True, verbose_name='completed at')),
                    ('completed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='completed by')),
                ],
                options={
                    'verbose_name': 'year of the holiday arrangement',
                    'verbose_name_plural': 'years of the holiday arrangement',
                    'ordering': ['year'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 2100)), name='calendar_year_range')],
                },
            )],
        ),
        migrations.RunPython(seed_calendar, migrations.RunPython.noop, elidable=False),
        RunSchemaPython(audit_append_only, elidable=False),
    ]
