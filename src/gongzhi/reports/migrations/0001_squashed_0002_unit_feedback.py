"""The reports app's migrations 0001_initial … 0002_unit_feedback in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints.
"""

import datetime
import django.db.models.deletion
import gongzhi.core.migration_operations
import gongzhi.reports.models
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('reports', '0001_initial'), ('reports', '0002_unit_feedback')]

    initial = True

    dependencies = [
        ('core', '0001_squashed_0006_partitioned_audit'),
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='StatisticsWorkbook',
                fields=[
                    ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                    ('at_date', models.DateField(default=datetime.date.today, verbose_name='at date')),
                    ('language', models.CharField(choices=[('zh-hans', '简体中文'), ('en', 'English')], max_length=8, verbose_name='language')),
                    ('status', models.CharField(choices=[('pending', 'Being produced'), ('ready', 'Ready'), ('failed', 'Failed')], default='pending', max_length=8, verbose_name='status')),
                    ('file', models.FileField(blank=True, upload_to=gongzhi.reports.models._workbook_path)),
                    ('totals', models.JSONField(blank=True, default=dict, verbose_name='totals')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('job', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.job')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'statistical workbook',
                    'verbose_name_plural': 'statistical workbooks',
                    'ordering': ['-created_at'],
                },
            ), migrations.CreateModel(
                name='WorkSummary',
                fields=[
                    ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                    ('period_kind', models.CharField(choices=[('year', 'Year'), ('half', 'Half-year'), ('quarter', 'Quarter'), ('range', 'Range of dates')], default='year', max_length=8, verbose_name='period covered')),
                    ('starts_on', models.DateField(verbose_name='from')),
                    ('ends_on', models.DateField(verbose_name='until')),
                    ('language', models.CharField(choices=[('zh-hans', '简体中文'), ('en', 'English')], max_length=8, verbose_name='language')),
                    ('status', models.CharField(choices=[('pending', 'Being produced'), ('ready', 'Ready'), ('failed', 'Failed')], default='pending', max_length=8, verbose_name='status')),
                    ('figures', models.JSONField(blank=True, default=dict, verbose_name='figures')),
                    ('computed_at', models.DateTimeField(blank=True, null=True, verbose_name='figures computed at')),
                    ('narrative', models.JSONField(blank=True, default=dict, verbose_name='narrative')),
                    ('problems', models.JSONField(blank=True, default=list, verbose_name='problems')),
                    ('drafts', models.PositiveIntegerField(default=0, verbose_name='drafts saved')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('job', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.job')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'work summary',
                    'verbose_name_plural': 'work summaries',
                    'ordering': ['-created_at'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='summary_ends_after_start')],
                },
            ), migrations.CreateModel(
                name='SummaryDraft',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.PositiveIntegerField(verbose_name='draft')),
                    ('narrative', models.JSONField(default=dict, verbose_name='narrative')),
                    ('problems', models.JSONField(default=list, verbose_name='problems')),
                    ('saved_at', models.DateTimeField(auto_now_add=True)),
                    ('saved_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('summary', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='history', to='reports.worksummary')),
                ],
                options={
                    'verbose_name': 'draft',
                    'verbose_name_plural': 'drafts',
                    'ordering': ['-number'],
                    'constraints': [models.UniqueConstraint(fields=('summary', 'number'), name='one_draft_number_per_summary')],
                },
            ), migrations.CreateModel(
                name='MemberEvaluation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                    ('grade', models.CharField(choices=[('excellent', 'Excellent'), ('good', 'Good'), ('fair', 'Fair'), ('poor', 'Poor')], max_length=12, verbose_name='evaluation')),
                    ('comment', models.CharField(blank=True, max_length=300, verbose_name='comment')),
                    ('evaluated_at', models.DateTimeField(auto_now=True)),
                    ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='community')),
                    ('evaluated_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='community_evaluations', to='members.member', verbose_name='party member')),
                ],
                options={
                    'verbose_name': 'community evaluation',
                    'verbose_name_plural': 'community evaluations',
                    'ordering': ['-year', 'member'],
                    'constraints': [models.UniqueConstraint(fields=('member', 'community', 'year'), name='one_evaluation_per_member_community_year')],
                },
            ), migrations.CreateModel(
                name='UnitFeedback',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('period_kind', models.CharField(choices=[('year', 'Year'), ('half', 'Half-year'), ('quarter', 'Quarter'), ('range', 'Range of dates')], max_length=8, verbose_name='period of the summary')),
                    ('starts_on', models.DateField(verbose_name='from')),
                    ('ends_on', models.DateField(verbose_name='until')),
                    ('rows', models.JSONField(default=list, verbose_name='rows')),
                    ('sent_at', models.DateTimeField(auto_now=True)),
                    ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='community')),
                    ('sent_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.cobuildingunit', verbose_name='co-building unit')),
                ],
                options={
                    'verbose_name': 'feedback to a unit',
                    'verbose_name_plural': 'feedback to units',
                    'ordering': ['-starts_on', 'community'],
                    'constraints': [models.UniqueConstraint(fields=('community', 'unit', 'starts_on', 'ends_on'), name='one_feedback_per_unit_and_period')],
                },
            )],
        ),
    ]
