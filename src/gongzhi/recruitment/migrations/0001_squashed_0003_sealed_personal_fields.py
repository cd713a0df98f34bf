"""The recruitment app's migrations 0001_initial … 0003_sealed_personal_fields in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints, then what the chain ran in SQL and data.

Left out: 0003's sealing of the personal fields stored plain, for rows a new database does not have.
"""

import django.db.models.deletion
import gongzhi.core.fields
import gongzhi.core.migration_operations
import gongzhi.recruitment.models
from django.conf import settings
from django.db import migrations, models

from gongzhi.core import triggers
from gongzhi.core.migration_operations import RunSchemaPython


def append_only_tables(*tables):
    """The append-only triggers of ``tables`` (``core.triggers``: SQLite's row triggers; PostgreSQL's row
    and TRUNCATE triggers), in one operation that needs no model."""
    def forwards(apps, schema_editor):
        for table in tables:
            for sql in triggers.append_only_statements(schema_editor.connection.vendor, table):
                schema_editor.execute(sql)

    return RunSchemaPython(forwards, elidable=False)


class Migration(migrations.Migration):

    replaces = [('recruitment', '0001_initial'), ('recruitment', '0002_steps_append_only'), ('recruitment', '0003_sealed_personal_fields')]

    initial = True

    dependencies = [
        ('democracy', '0001_squashed_0005_elections_append_only'),
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='Candidate',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=50, verbose_name='name')),
                    ('sex', models.CharField(choices=[('male', 'Male'), ('female', 'Female')], max_length=8, verbose_name='sex')),
                    ('ethnicity', models.CharField(default='汉族', max_length=20, verbose_name='ethnic group')),
                    ('id_number', gongzhi.core.fields.EncryptedCharField(max_length=18, verbose_name='ID number')),
                    ('birth_date', models.DateField(verbose_name='date of birth')),
                    ('education', models.CharField(blank=True, choices=[('primary', 'Primary school or less'), ('junior', 'Junior middle school'), ('senior', 'Senior middle school or technical school'), ('college', 'Junior college'), ('bachelor', "Bachelor's degree"), ('postgraduate', 'Postgraduate')], max_length=16, verbose_name='education')),
                    ('category', models.CharField(choices=[('in_service', 'In-service'), ('retired', 'Retired'), ('student', 'Student'), ('rural', 'Rural'), ('unemployed', 'Unemployed'), ('other', 'Other occupation')], max_length=16, verbose_name='category')),
                    ('phone', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='mobile number')),
                    ('workplace', models.CharField(blank=True, max_length=100, verbose_name='workplace')),
                    ('standing', models.CharField(choices=[('applicant', 'Applicant'), ('activist', 'Activist'), ('candidate', 'Development candidate'), ('probationary', 'Probationary member'), ('full', 'Full member'), ('closed', 'Not admitted')], default='applicant', max_length=16, verbose_name='standing')),
                    ('last_step', models.PositiveSmallIntegerField(default=0, verbose_name='last step')),
                    ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed on')),
                    ('closed_reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='handling branch')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('member', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='recruitment', to='members.member', verbose_name='member record')),
                    ('id_number_bidx', gongzhi.core.fields.BlindIndexField(blank=True, db_index=True, kind='id', max_length=64, null=True, source='id_number')),
                    ('id_number_last4', gongzhi.core.fields.LastCharsField(blank=True, default='', kind='id', max_length=4, source='id_number')),
                ],
                options={
                    'verbose_name': 'applicant',
                    'verbose_name_plural': 'applicants',
                    'ordering': ['-last_step', 'name', 'id'],
                    'indexes': [models.Index(fields=['branch', 'standing'], name='recruitment_branch__2e3598_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(('last_step__gte', 0), ('last_step__lte', 25)), name='recruitment_last_step'), models.CheckConstraint(condition=models.Q(models.Q(('standing', 'closed'), _negated=True), ('closed_on__isnull', False), _connector='OR'), name='recruitment_closed_has_date'), models.UniqueConstraint(condition=models.Q(('standing', 'closed'), _negated=True), fields=('id_number_bidx',), name='recruitment_one_open_application')],
                },
            ), migrations.CreateModel(
                name='Assessment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('on', models.DateField(verbose_name='date')),
                    ('text', models.TextField(max_length=3000, verbose_name='assessment')),
                    ('recorded_at', models.DateTimeField(auto_now_add=True)),
                    ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('candidate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='recruitment.candidate')),
                ],
                options={
                    'verbose_name': 'assessment',
                    'verbose_name_plural': 'assessments',
                    'ordering': ['candidate', 'on', 'id'],
                },
            ), migrations.CreateModel(
                name='Step',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.PositiveSmallIntegerField(choices=[(1, 'Application submitted'), (2, 'Talk with the applicant'), (3, 'Recommended and confirmed as activist'), (4, 'Activist filed with the upper party committee'), (5, 'Two contact members appointed'), (6, 'Cultivation and assessment (at least a year)'), (7, 'Confirmed as development candidate'), (8, 'Candidate filed with the upper party committee'), (9, 'Two introducers chosen'), (10, 'Political review'), (11, 'Concentrated training'), (12, 'Branch committee review and public notice'), (13, 'Pre-review by the upper party committee'), (14, 'Application form (入党志愿书) filled in'), (15, 'Branch general meeting votes on admission'), (16, 'Talk by the upper party committee'), (17, 'Approval by the upper party committee'), (18, 'Filed with the organization department above'), (19, 'Placed in the branch and a party group'), (20, 'Oath of admission'), (21, 'Education and assessment during probation'), (22, 'Application for full membership'), (23, 'Branch general meeting votes on conversion'), (24, 'Upper party committee approves the conversion'), (25, 'Documents archived')], verbose_name='step')),
                    ('on', models.DateField(verbose_name='date')),
                    ('notes', models.TextField(blank=True, max_length=5000, verbose_name='notes')),
                    ('notice_starts_on', models.DateField(blank=True, null=True, verbose_name='public notice from')),
                    ('notice_ends_on', models.DateField(blank=True, null=True, verbose_name='public notice until')),
                    ('recorded_at', models.DateTimeField(auto_now_add=True)),
                    ('candidate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='steps', to='recruitment.candidate')),
                    ('first_member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.member', verbose_name='first member')),
                    ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='party group')),
                    ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ('resolution', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='democracy.resolution', verbose_name='vote')),
                    ('second_member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.member', verbose_name='second member')),
                ],
                options={
                    'verbose_name': 'step',
                    'verbose_name_plural': 'steps',
                    'ordering': ['candidate', 'number'],
                    'constraints': [models.UniqueConstraint(fields=('candidate', 'number'), name='recruitment_one_step_each'), models.CheckConstraint(condition=models.Q(('number__gte', 1), ('number__lte', 25)), name='recruitment_25_steps'), models.CheckConstraint(condition=models.Q(('notice_ends_on__isnull', True), ('notice_ends_on__gt', models.F('notice_starts_on')), _connector='OR'), name='recruitment_notice_ordered')],
                },
            ), migrations.CreateModel(
                name='StepDocument',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('file', models.FileField(upload_to=gongzhi.recruitment.models._document_path, verbose_name='file')),
                    ('original_name', models.CharField(max_length=200, verbose_name='file name')),
                    ('content_type', models.CharField(max_length=64)),
                    ('size', models.PositiveIntegerField(verbose_name='size')),
                    ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                    ('step', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='recruitment.step')),
                    ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'document',
                    'verbose_name_plural': 'documents',
                    'ordering': ['uploaded_at', 'id'],
                },
            )],
        ),
        append_only_tables("recruitment_step", "recruitment_stepdocument", "recruitment_assessment"),
    ]
