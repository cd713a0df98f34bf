"""The meetings app's migrations 0001_initial … 0005_merge_0004_members_meeting_0004_sealed_leave_reason in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints, then what the chain ran in SQL and data.

Left out: 0004's sealing of the leave reasons stored plain, for rows a new database does not have.
"""

import django.db.models.deletion
import gongzhi.core.fields
import gongzhi.core.migration_operations
import gongzhi.meetings.models
import uuid
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

    replaces = [('meetings', '0001_initial'), ('meetings', '0002_votes_append_only'), ('meetings', '0003_votes_refuse_truncate'), ('meetings', '0004_sealed_leave_reason'), ('meetings', '0004_members_meeting'), ('meetings', '0005_merge_0004_members_meeting_0004_sealed_leave_reason')]

    initial = True

    dependencies = [
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='Meeting',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('general', 'Branch general meeting'), ('committee', 'Branch committee meeting'), ('group', 'Party group meeting'), ('lesson', 'Party lesson'), ('theme_day', 'Theme party day'), ('life', 'Organizational life meeting'), ('other', 'Other meeting'), ('members', "Party members' meeting of a community or village")], max_length=16, verbose_name='kind')),
                    ('topic', models.CharField(max_length=200, verbose_name='topic')),
                    ('date', models.DateField(db_index=True, verbose_name='date')),
                    ('start_time', models.TimeField(verbose_name='starts at')),
                    ('end_time', models.TimeField(blank=True, null=True, verbose_name='ends at')),
                    ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                    ('online', models.BooleanField(default=False, verbose_name='online')),
                    ('online_link', models.URLField(blank=True, verbose_name='online meeting link')),
                    ('status', models.CharField(choices=[('planned', 'Planned'), ('recorded', 'Recorded'), ('confirmed', 'Confirmed and locked'), ('cancelled', 'Cancelled')], default='planned', max_length=16, verbose_name='status')),
                    ('minutes', models.TextField(blank=True, verbose_name='minutes')),
                    ('resolutions', models.TextField(blank=True, verbose_name='resolutions')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('recorded_at', models.DateTimeField(blank=True, null=True)),
                    ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                    ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('host', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.member', verbose_name='host')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='orgs.organization', verbose_name='branch or group')),
                    ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'meeting',
                    'verbose_name_plural': 'meetings',
                    'ordering': ['-date', '-start_time', '-id'],
                    'indexes': [models.Index(fields=['organization', 'kind', 'date'], name='meetings_me_organiz_1659ec_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(('online', False), models.Q(('online_link', ''), _negated=True), models.Q(('place', ''), _negated=True), _connector='OR'), name='meeting_has_place_or_link')],
                },
            ), migrations.CreateModel(
                name='Attendance',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('expected', 'Not yet recorded'), ('present', 'Present'), ('leave', 'On leave'), ('absent', 'Absent')], default='expected', max_length=16, verbose_name='attendance')),
                    ('leave_reason', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=200, verbose_name='reason for leave')),
                    ('recorded_at', models.DateTimeField(blank=True, null=True)),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meeting_attendances', to='members.member', verbose_name='member')),
                    ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='meetings.meeting')),
                ],
                options={
                    'verbose_name': 'attendance',
                    'verbose_name_plural': 'attendance',
                    'ordering': ['meeting', 'member__name_initials', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('meeting', 'member'), name='one_attendance_per_member'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'leave'), _negated=True), models.Q(('leave_reason', ''), _negated=True), _connector='OR'), name='leave_has_reason')],
                },
            ), migrations.CreateModel(
                name='Appraisal',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                    ('status', models.CharField(choices=[('open', 'Self-assessment and evaluation'), ('closed', 'Voting closed, tally available'), ('proposed', 'Grades proposed by the branch committee'), ('confirmed', 'Confirmed by the general meeting')], default='open', max_length=16, verbose_name='stage')),
                    ('unreported_cap', models.BooleanField(default=False, verbose_name='in-service members who did not report cannot be graded qualified or better')),
                    ('opened_at', models.DateTimeField(auto_now_add=True)),
                    ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                    ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appraisals', to='orgs.organization', verbose_name='branch')),
                    ('opened_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('confirmed_at_meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='meetings.meeting', verbose_name='confirming general meeting')),
                ],
                options={
                    'verbose_name': 'appraisal',
                    'verbose_name_plural': 'appraisals',
                    'ordering': ['-year', 'branch__path'],
                    'constraints': [models.UniqueConstraint(fields=('branch', 'year'), name='one_appraisal_per_branch_year')],
                },
            ), migrations.CreateModel(
                name='MeetingAmendment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('field', models.CharField(choices=[('minutes', 'Minutes'), ('resolutions', 'Resolutions'), ('attendance', 'Attendance')], max_length=16, verbose_name='changed')),
                    ('old_value', models.TextField(blank=True, verbose_name='before')),
                    ('new_value', models.TextField(verbose_name='after')),
                    ('reason', models.CharField(max_length=200, verbose_name='reason')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='time')),
                    ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                    ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='amendments', to='meetings.meeting')),
                    ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.member')),
                ],
                options={
                    'verbose_name': 'amendment',
                    'verbose_name_plural': 'amendments',
                    'ordering': ['created_at', 'id'],
                },
            ), migrations.CreateModel(
                name='MeetingAttachment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('file', models.FileField(upload_to=gongzhi.meetings.models.attachment_path, verbose_name='file')),
                    ('original_name', models.CharField(max_length=200, verbose_name='file name')),
                    ('content_type', models.CharField(max_length=64)),
                    ('size', models.PositiveIntegerField(verbose_name='size')),
                    ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                    ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='meetings.meeting')),
                    ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'attachment',
                    'verbose_name_plural': 'attachments',
                    'ordering': ['uploaded_at', 'id'],
                },
            ), migrations.CreateModel(
                name='MeetingRequirement',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('general', 'Branch general meeting'), ('committee', 'Branch committee meeting'), ('group', 'Party group meeting'), ('lesson', 'Party lesson'), ('theme_day', 'Theme party day'), ('life', 'Organizational life meeting'), ('other', 'Other meeting'), ('members', "Party members' meeting of a community or village")], max_length=16, verbose_name='kind')),
                    ('period', models.CharField(choices=[('month', 'Month'), ('quarter', 'Quarter'), ('year', 'Year')], max_length=8, verbose_name='period')),
                    ('times', models.PositiveSmallIntegerField(default=1, verbose_name='times per period')),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization', verbose_name='organization')),
                    ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'meeting frequency',
                    'verbose_name_plural': 'meeting frequencies',
                    'constraints': [models.UniqueConstraint(fields=('organization', 'kind'), name='one_requirement_per_kind')],
                },
            ), migrations.CreateModel(
                name='Participant',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('may_vote', models.BooleanField(default=True, help_text='Only full members vote.', verbose_name='may vote')),
                    ('self_assessment', models.TextField(blank=True, verbose_name='self-assessment')),
                    ('self_assessed_at', models.DateTimeField(blank=True, null=True)),
                    ('proposed_grade', models.CharField(blank=True, choices=[('excellent', 'Excellent'), ('qualified', 'Qualified'), ('basic', 'Basically qualified'), ('unqualified', 'Unqualified')], max_length=16, verbose_name='proposed grade')),
                    ('grade', models.CharField(blank=True, choices=[('excellent', 'Excellent'), ('qualified', 'Qualified'), ('basic', 'Basically qualified'), ('unqualified', 'Unqualified')], max_length=16, verbose_name='grade')),
                    ('appraisal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='meetings.appraisal')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appraisals', to='members.member', verbose_name='member')),
                ],
                options={
                    'verbose_name': 'appraised member',
                    'verbose_name_plural': 'appraised members',
                    'ordering': ['appraisal', 'member__name_initials', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('appraisal', 'member'), name='one_participant_per_member')],
                },
            ), migrations.CreateModel(
                name='Ballot',
                fields=[
                    ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                    ('grade', models.CharField(choices=[('excellent', 'Excellent'), ('qualified', 'Qualified'), ('basic', 'Basically qualified'), ('unqualified', 'Unqualified')], max_length=16)),
                    ('appraisal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ballots', to='meetings.appraisal')),
                    ('subject', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ballots_received', to='meetings.participant')),
                ],
                options={
                    'verbose_name': 'ballot',
                    'verbose_name_plural': 'ballots',
                },
            ), migrations.CreateModel(
                name='VoteRoll',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('appraisal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roll', to='meetings.appraisal')),
                    ('voter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='meetings.participant')),
                ],
                options={
                    'verbose_name': 'has voted',
                    'verbose_name_plural': 'has voted',
                    'constraints': [models.UniqueConstraint(fields=('appraisal', 'voter'), name='one_vote_per_voter')],
                },
            ), migrations.CreateModel(
                name='CommitteeMembership',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('post', models.CharField(choices=[('secretary', 'Secretary'), ('deputy', 'Deputy secretary'), ('organization', 'Organization committee member'), ('propaganda', 'Propaganda committee member'), ('discipline', 'Discipline committee member'), ('member', 'Committee member')], default='member', max_length=16, verbose_name='post')),
                    ('starts_on', models.DateField(verbose_name='from')),
                    ('ends_on', models.DateField(blank=True, null=True, verbose_name='until')),
                    ('branch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='committee_seats', to='orgs.organization', verbose_name='branch')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='committee_seats', to='members.member', verbose_name='member')),
                ],
                options={
                    'verbose_name': 'branch committee seat',
                    'verbose_name_plural': 'branch committee seats',
                    'ordering': ['branch', 'post', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('branch', 'member', 'starts_on'), name='one_seat_per_term'), models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='committee_seat_ordered')],
                },
            )],
        ),
        append_only_tables("meetings_ballot", "meetings_voteroll"),
    ]
