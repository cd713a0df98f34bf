"""The democracy app's migrations 0001_initial … 0005_elections_append_only in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints, then what the chain ran in SQL and data.
"""

import django.db.models.deletion
import django.db.models.expressions
import gongzhi.core.migration_operations
import gongzhi.democracy.models
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

    replaces = [('democracy', '0001_initial'), ('democracy', '0002_votes_append_only'), ('democracy', '0003_terms'), ('democracy', '0004_elections'), ('democracy', '0005_elections_append_only')]

    initial = True

    dependencies = [
        ('meetings', '0001_squashed_0005_merge_0004_members_meeting_0004_sealed_leave_reason'),
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        ('publicity', '0001_squashed_0002_item_history_append_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='Matter',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=120, verbose_name='matter')),
                    ('description', models.TextField(max_length=5000, verbose_name='description')),
                    ('status', models.CharField(choices=[('in_progress', 'In progress'), ('rejected', 'Not adopted'), ('implemented', 'Implemented, results public')], default='in_progress', max_length=12, verbose_name='status')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='village')),
                ],
                options={
                    'verbose_name': 'village matter',
                    'verbose_name_plural': 'village matters',
                    'ordering': ['-created_at', '-id'],
                },
            ), migrations.CreateModel(
                name='Resolution',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('general', 'Resolution'), ('conversion', 'Conversion of a probationary member'), ('four_two', 'Review of a village matter (四议两公开)')], default='general', max_length=16, verbose_name='kind')),
                    ('title', models.CharField(max_length=200, verbose_name='matter put to the vote')),
                    ('text', models.TextField(blank=True, max_length=5000, verbose_name='text')),
                    ('method', models.CharField(choices=[('hands', 'Show of hands'), ('secret', 'Secret ballot')], default='hands', max_length=8, verbose_name='voting method')),
                    ('quorum_rule', models.CharField(choices=[('half', 'More than half of those entitled present'), ('two_thirds', 'At least two thirds of those entitled present')], default='half', max_length=12, verbose_name='quorum')),
                    ('held_on', models.DateField(verbose_name='date')),
                    ('status', models.CharField(choices=[('open', 'Voting open'), ('decided', 'Decided')], default='open', max_length=8, verbose_name='status')),
                    ('entitled', models.PositiveIntegerField(verbose_name='entitled to vote')),
                    ('present', models.PositiveIntegerField(verbose_name='present')),
                    ('in_favour', models.PositiveIntegerField(blank=True, null=True, verbose_name='in favour')),
                    ('against', models.PositiveIntegerField(blank=True, null=True, verbose_name='against')),
                    ('abstained', models.PositiveIntegerField(blank=True, null=True, verbose_name='abstained')),
                    ('passed', models.BooleanField(blank=True, null=True, verbose_name='passed')),
                    ('proposal', models.CharField(blank=True, choices=[('convert', 'Convert to full member'), ('extend', 'Extend the probation')], max_length=8, verbose_name='proposal')),
                    ('extend_months', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='extension (months)')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('decided_at', models.DateTimeField(blank=True, null=True)),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='votes', to='meetings.meeting', verbose_name='meeting')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='resolutions', to='orgs.organization', verbose_name='organization')),
                    ('subject', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.member', verbose_name='probationary member')),
                ],
                options={
                    'verbose_name': 'resolution',
                    'verbose_name_plural': 'resolutions',
                    'ordering': ['-held_on', '-id'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('present__lte', models.F('entitled'))), name='democracy_present_le_entitled'), models.CheckConstraint(condition=models.Q(('status', 'open'), models.Q(('abstained__isnull', False), ('against__isnull', False), ('in_favour__isnull', False), ('passed__isnull', False)), _connector='OR'), name='democracy_decided_has_counts'), models.CheckConstraint(condition=models.Q(('in_favour__isnull', True), ('present__gte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.F('in_favour'), '+', models.F('against')), '+', models.F('abstained'))), _connector='OR'), name='democracy_votes_le_present'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'conversion'), _negated=True), models.Q(('subject__isnull', False), models.Q(('proposal', ''), _negated=True)), _connector='OR'), name='democracy_conversion_has_subject'), models.CheckConstraint(condition=models.Q(('extend_months__isnull', True), models.Q(('extend_months__gte', 1), ('extend_months__lte', 12)), _connector='OR'), name='democracy_extension_at_most_a_year')],
                },
            ), migrations.CreateModel(
                name='MatterStep',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.PositiveSmallIntegerField(choices=[(1, 'The branch committee proposes'), (2, 'The joint meeting of the two committees discusses'), (3, "The party members' meeting reviews"), (4, "The villagers' (representatives') meeting decides"), (5, 'The decision is made public'), (6, 'The results are made public')], verbose_name='step')),
                    ('held_on', models.DateField(verbose_name='date')),
                    ('minutes', models.TextField(max_length=10000, verbose_name='minutes')),
                    ('body', models.CharField(blank=True, choices=[('assembly', "Villagers' meeting"), ('representatives', "Villagers' representatives' meeting")], max_length=16, verbose_name='deciding body')),
                    ('attendees', models.PositiveIntegerField(blank=True, null=True, verbose_name='present')),
                    ('in_favour', models.PositiveIntegerField(blank=True, null=True, verbose_name='in favour')),
                    ('against', models.PositiveIntegerField(blank=True, null=True, verbose_name='against')),
                    ('abstained', models.PositiveIntegerField(blank=True, null=True, verbose_name='abstained')),
                    ('recorded_at', models.DateTimeField(auto_now_add=True)),
                    ('matter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='democracy.matter')),
                    ('publicity_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='publicity.item', verbose_name='board item')),
                    ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ('resolution', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='democracy.resolution', verbose_name='vote')),
                ],
                options={
                    'verbose_name': 'step',
                    'verbose_name_plural': 'steps',
                    'ordering': ['matter', 'number'],
                    'constraints': [models.UniqueConstraint(fields=('matter', 'number'), name='democracy_one_step_each'), models.CheckConstraint(condition=models.Q(('number__gte', 1), ('number__lte', 6)), name='democracy_six_steps')],
                },
            ), migrations.CreateModel(
                name='Elector',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('present', models.BooleanField(default=False, verbose_name='present')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.member', verbose_name='member')),
                    ('resolution', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='electors', to='democracy.resolution')),
                ],
                options={
                    'verbose_name': 'elector',
                    'verbose_name_plural': 'electors',
                    'ordering': ['resolution', 'member__name_initials', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('resolution', 'member'), name='democracy_one_elector')],
                },
            ), migrations.CreateModel(
                name='Conversion',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('proposal', models.CharField(choices=[('convert', 'Convert to full member'), ('extend', 'Extend the probation')], max_length=8, verbose_name='decision')),
                    ('extend_months', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='extension (months)')),
                    ('probation_ended_on', models.DateField(verbose_name='probation ends')),
                    ('status', models.CharField(choices=[('awaiting', "Awaiting the upper organization's approval"), ('approved', 'Approved'), ('refused', 'Not approved')], default='awaiting', max_length=10, verbose_name='status')),
                    ('decided_on', models.DateField(blank=True, null=True, verbose_name='approved on')),
                    ('note', models.CharField(blank=True, max_length=300, verbose_name='note')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='branch')),
                    ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='conversions', to='members.member', verbose_name='member')),
                    ('resolution', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='conversion', to='democracy.resolution', verbose_name='vote')),
                ],
                options={
                    'verbose_name': 'conversion',
                    'verbose_name_plural': 'conversions',
                    'ordering': ['-created_at', '-id'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'awaiting')), fields=('member',), name='democracy_one_pending_conversion'), models.CheckConstraint(condition=models.Q(models.Q(('proposal', 'extend'), _negated=True), models.Q(('extend_months__gte', 1), ('extend_months__lte', 12)), _connector='OR'), name='democracy_conversion_extension_bounded')],
                },
            ), migrations.CreateModel(
                name='SecretBallot',
                fields=[
                    ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                    ('choice', models.CharField(choices=[('for', 'In favour'), ('against', 'Against'), ('abstain', 'Abstain')], max_length=8)),
                    ('resolution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ballots', to='democracy.resolution')),
                ],
                options={
                    'verbose_name': 'ballot',
                    'verbose_name_plural': 'ballots',
                },
            ), migrations.CreateModel(
                name='StepAttachment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('file', models.FileField(upload_to=gongzhi.democracy.models._step_file_path, verbose_name='file')),
                    ('original_name', models.CharField(max_length=200, verbose_name='file name')),
                    ('content_type', models.CharField(max_length=64)),
                    ('size', models.PositiveIntegerField(verbose_name='size')),
                    ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                    ('step', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='democracy.matterstep')),
                    ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'attachment',
                    'verbose_name_plural': 'attachments',
                    'ordering': ['uploaded_at', 'id'],
                },
            ), migrations.CreateModel(
                name='VoteCast',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('elector', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='democracy.elector')),
                    ('resolution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='democracy.resolution')),
                ],
                options={
                    'verbose_name': 'has voted',
                    'verbose_name_plural': 'has voted',
                    'constraints': [models.UniqueConstraint(fields=('elector',), name='democracy_one_vote_per_elector')],
                },
            ), migrations.CreateModel(
                name='Term',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('starts_on', models.DateField(verbose_name='term starts')),
                    ('years', models.PositiveSmallIntegerField(verbose_name='years')),
                    ('ends_on', models.DateField(verbose_name='term ends')),
                    ('postponed_until', models.DateField(blank=True, null=True, verbose_name='election postponed until')),
                    ('postponement_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for the postponement')),
                    ('closed_on', models.DateField(blank=True, null=True, verbose_name='replaced on')),
                    ('recorded_at', models.DateTimeField(auto_now_add=True)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organization')),
                    ('postponement_approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='postponement approved by')),
                    ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'term of office',
                    'verbose_name_plural': 'terms of office',
                    'ordering': ['ends_on', 'id'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('closed_on__isnull', True)), fields=('organization',), name='democracy_one_current_term'), models.CheckConstraint(condition=models.Q(('ends_on__gt', models.F('starts_on'))), name='democracy_term_ordered'), models.CheckConstraint(condition=models.Q(('postponed_until__isnull', True), ('postponed_until__gt', models.F('ends_on')), _connector='OR'), name='democracy_postponed_after_end')],
                },
            ), migrations.CreateModel(
                name='Election',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('seats', models.PositiveSmallIntegerField(verbose_name='seats on the committee')),
                    ('status', models.CharField(choices=[('preparing', 'Candidates being prepared'), ('submitted', "Candidate list awaiting the upper organization's approval"), ('approved', 'Candidate list approved'), ('voting', 'Voting'), ('elected', 'Committee elected'), ('installed', 'New committee in office')], default='preparing', max_length=10, verbose_name='status')),
                    ('submitted_on', models.DateField(blank=True, null=True, verbose_name='list submitted on')),
                    ('approved_on', models.DateField(blank=True, null=True, verbose_name='list approved on')),
                    ('returned_note', models.CharField(blank=True, max_length=300, verbose_name='returned with the note')),
                    ('held_on', models.DateField(blank=True, null=True, verbose_name='election held on')),
                    ('next_round_candidates', models.JSONField(blank=True, default=list)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='list approved by')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('deputy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.member', verbose_name='deputy secretary')),
                    ('new_term', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='democracy.term', verbose_name='new term')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organization')),
                    ('publicity_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='publicity.item', verbose_name='board item')),
                    ('secretary', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.member', verbose_name='secretary')),
                    ('term', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='elections', to='democracy.term', verbose_name='expiring term')),
                ],
                options={
                    'verbose_name': 'election',
                    'verbose_name_plural': 'elections',
                    'ordering': ['-created_at', '-id'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'installed'), _negated=True), fields=('organization',), name='democracy_one_election_under_way'), models.CheckConstraint(condition=models.Q(('seats__gte', 1), ('seats__lte', 15)), name='democracy_election_seats')],
                },
            ), migrations.CreateModel(
                name='Candidate',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('elected_in_round', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='elected in round')),
                    ('votes', models.PositiveIntegerField(blank=True, null=True, verbose_name='votes for')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.member', verbose_name='candidate')),
                    ('election', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='candidates', to='democracy.election')),
                ],
                options={
                    'verbose_name': 'candidate',
                    'verbose_name_plural': 'candidates',
                    'ordering': ['election', 'member__name_initials', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('election', 'member'), name='democracy_one_candidacy')],
                },
            ), migrations.CreateModel(
                name='ElectionRound',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.PositiveSmallIntegerField(verbose_name='round')),
                    ('seats', models.PositiveSmallIntegerField(verbose_name='seats to fill')),
                    ('status', models.CharField(choices=[('open', 'Voting open'), ('counted', 'Ballots counted')], default='open', max_length=8, verbose_name='status')),
                    ('entitled', models.PositiveIntegerField(verbose_name='entitled to vote')),
                    ('present', models.PositiveIntegerField(verbose_name='present')),
                    ('cast', models.PositiveIntegerField(blank=True, null=True, verbose_name='ballots cast')),
                    ('candidates', models.ManyToManyField(related_name='rounds', to='democracy.candidate', verbose_name='candidates')),
                    ('counted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('election', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rounds', to='democracy.election')),
                    ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='meetings.meeting', verbose_name='meeting')),
                    ('opened_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'round of voting',
                    'verbose_name_plural': 'rounds of voting',
                    'ordering': ['election', 'number'],
                    'constraints': [models.UniqueConstraint(fields=('election', 'number'), name='democracy_round_number'), models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('election',), name='democracy_one_open_round'), models.CheckConstraint(condition=models.Q(('present__lte', models.F('entitled'))), name='democracy_round_present_le_entitled')],
                },
            ), migrations.CreateModel(
                name='ElectionBallot',
                fields=[
                    ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                    ('round', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ballots', to='democracy.electionround')),
                ],
                options={
                    'verbose_name': 'election ballot',
                    'verbose_name_plural': 'election ballots',
                },
            ), migrations.CreateModel(
                name='BallotMark',
                fields=[
                    ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                    ('mark', models.CharField(choices=[('for', 'For'), ('against', 'Against'), ('abstain', 'Abstain')], max_length=8)),
                    ('candidate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='democracy.candidate')),
                    ('ballot', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='marks', to='democracy.electionballot')),
                ],
                options={
                    'verbose_name': 'mark',
                    'verbose_name_plural': 'marks',
                    'constraints': [models.UniqueConstraint(fields=('ballot', 'candidate'), name='democracy_one_mark')],
                },
            ), migrations.CreateModel(
                name='Monitor',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('duty', models.CharField(choices=[('scrutineer', 'Vote monitor (监票人)'), ('teller', 'Teller (计票人)')], max_length=10, verbose_name='duty')),
                    ('election', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='monitors', to='democracy.election')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.member', verbose_name='member')),
                ],
                options={
                    'verbose_name': 'vote monitor',
                    'verbose_name_plural': 'vote monitors',
                    'ordering': ['election', 'duty', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('election', 'member'), name='democracy_one_monitor_duty')],
                },
            ), migrations.CreateModel(
                name='RoundElector',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('present', models.BooleanField(default=False, verbose_name='present')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.member', verbose_name='member')),
                    ('round', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='electors', to='democracy.electionround')),
                ],
                options={
                    'verbose_name': 'elector',
                    'verbose_name_plural': 'electors',
                    'ordering': ['round', 'member__name_initials', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('round', 'member'), name='democracy_one_round_elector')],
                },
            ), migrations.CreateModel(
                name='RoundResult',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('votes_for', models.PositiveIntegerField(verbose_name='for')),
                    ('votes_against', models.PositiveIntegerField(verbose_name='against')),
                    ('abstained', models.PositiveIntegerField(verbose_name='abstained')),
                    ('elected', models.BooleanField(default=False, verbose_name='elected')),
                    ('candidate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='results', to='democracy.candidate')),
                    ('round', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='results', to='democracy.electionround')),
                ],
                options={
                    'verbose_name': 'result',
                    'verbose_name_plural': 'results',
                    'ordering': ['round', '-votes_for', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('round', 'candidate'), name='democracy_one_result')],
                },
            ), migrations.CreateModel(
                name='RoundVoteCast',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('elector', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='democracy.roundelector')),
                    ('round', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='democracy.electionround')),
                ],
                options={
                    'verbose_name': 'has voted',
                    'verbose_name_plural': 'has voted',
                    'constraints': [models.UniqueConstraint(fields=('elector',), name='democracy_one_election_vote')],
                },
            )],
        ),
        append_only_tables("democracy_elector", "democracy_votecast", "democracy_secretballot", "democracy_roundelector", "democracy_roundvotecast", "democracy_electionballot", "democracy_ballotmark"),
    ]
