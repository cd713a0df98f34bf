"""The voice app's migrations 0001_initial … 0005_sealed_contact in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints, then what the chain ran in SQL and data.

Left out: 0005's sealing of the contacts stored plain, for rows a new database does not have.
"""

import django.db.models.deletion
import gongzhi.core.fields
import gongzhi.core.migration_operations
import gongzhi.voice.models
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

    replaces = [('voice', '0001_initial'), ('voice', '0002_consultations'), ('voice', '0003_provisional_deadlines'), ('voice', '0004_consultation_events_refuse_truncate'), ('voice', '0005_sealed_contact')]

    initial = True

    dependencies = [
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='Request',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('category', models.CharField(choices=[('environment', 'Environment'), ('property', 'Property management'), ('safety', 'Safety'), ('neighbour', 'Neighbour dispute'), ('elderly_children', 'Elderly and children'), ('facilities', 'Facilities'), ('policy', 'Policy question'), ('other', 'Other')], max_length=20, verbose_name='category')),
                    ('text', models.TextField(max_length=2000, verbose_name='request')),
                    ('address', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=200, verbose_name='address')),
                    ('anonymous', models.BooleanField(default=False, verbose_name='anonymous')),
                    ('contact_phone', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='contact phone')),
                    ('channel', models.CharField(choices=[('qr', 'QR code'), ('online', 'Resident account'), ('phone', 'Phone call'), ('visit', 'Visit')], default='qr', max_length=8, verbose_name='channel')),
                    ('tracking_number', models.CharField(default=gongzhi.voice.models.new_tracking_number, editable=False, max_length=20, unique=True, verbose_name='tracking number')),
                    ('status', models.CharField(choices=[('received', 'Received'), ('accepted', 'Accepted'), ('answered', 'Answered'), ('resolved', 'Resolved'), ('closed', 'Closed')], default='received', max_length=10, verbose_name='status')),
                    ('first_answer_due', models.DateTimeField(verbose_name='first answer due')),
                    ('resolution_due', models.DateField(verbose_name='resolution due')),
                    ('escalations', models.PositiveSmallIntegerField(default=0, verbose_name='escalations')),
                    ('escalated_answer', models.BooleanField(default=False)),
                    ('escalated_resolution', models.BooleanField(default=False)),
                    ('created_at', models.DateTimeField(db_index=True, verbose_name='received at')),
                    ('accepted_at', models.DateTimeField(blank=True, null=True)),
                    ('answered_at', models.DateTimeField(blank=True, null=True)),
                    ('resolved_at', models.DateTimeField(blank=True, null=True)),
                    ('rating', models.CharField(blank=True, choices=[('satisfied', 'Satisfied'), ('basic', 'Basically satisfied'), ('unsatisfied', 'Not satisfied')], max_length=12, verbose_name='rating')),
                    ('rating_comment', models.CharField(blank=True, max_length=500, verbose_name='comment')),
                    ('ratings_given', models.PositiveSmallIntegerField(default=0)),
                    ('reopened', models.BooleanField(default=False)),
                    ('building', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='orgs.building', verbose_name='building')),
                    ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='voice_requests', to='orgs.organization', verbose_name='community')),
                    ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('grid', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='orgs.grid', verbose_name='grid')),
                    ('handler', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='voice_handled', to='orgs.organization', verbose_name='handled by')),
                    ('resident', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='voice_requests', to='members.resident', verbose_name='resident')),
                    ('deadline_provisional', models.BooleanField(default=False, help_text='Counted Monday to Friday because the public holidays of a year were not entered yet; counted again once they are.', verbose_name='deadline provisional')),
                    ('resolution_days', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='working days to resolve')),
                    ('contact_phone_bidx', gongzhi.core.fields.BlindIndexField(blank=True, db_index=True, kind='phone', max_length=64, null=True, source='contact_phone')),
                ],
                options={
                    'verbose_name': 'resident request',
                    'verbose_name_plural': 'resident requests',
                    'ordering': ['-created_at', '-id'],
                    'indexes': [models.Index(fields=['community', 'status'], name='voice_reque_communi_86fe10_idx'), models.Index(fields=['handler', 'status'], name='voice_reque_handler_d3a119_idx')],
                },
            ), migrations.CreateModel(
                name='RequestEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('submitted', 'Submitted'), ('accepted', 'Accepted'), ('answered', 'Answered'), ('resolved', 'Resolved'), ('transferred', 'Transferred'), ('escalated', 'Escalated'), ('rated', 'Rated'), ('reopened', 'Reopened'), ('closed', 'Closed'), ('deadline', 'Deadline recounted')], max_length=12, verbose_name='step')),
                    ('note', models.TextField(blank=True, max_length=2000, verbose_name='note')),
                    ('created_at', models.DateTimeField(verbose_name='time')),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='orgs.organization', verbose_name='organization')),
                    ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='voice.request')),
                ],
                options={
                    'verbose_name': 'request step',
                    'verbose_name_plural': 'request steps',
                    'ordering': ['created_at', 'id'],
                },
            ), migrations.CreateModel(
                name='RoutingRule',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('category', models.CharField(choices=[('environment', 'Environment'), ('property', 'Property management'), ('safety', 'Safety'), ('neighbour', 'Neighbour dispute'), ('elderly_children', 'Elderly and children'), ('facilities', 'Facilities'), ('policy', 'Policy question'), ('other', 'Other')], max_length=20, verbose_name='category')),
                    ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='voice_routes', to='orgs.organization', verbose_name='community')),
                    ('grid', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.grid', verbose_name='grid')),
                    ('handler', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization', verbose_name='handled by')),
                ],
                options={
                    'verbose_name': 'routing rule',
                    'verbose_name_plural': 'routing rules',
                    'ordering': ['community', 'category', 'grid'],
                    'constraints': [models.UniqueConstraint(fields=('community', 'category', 'grid'), name='voice_route_unique_grid'), models.UniqueConstraint(condition=models.Q(('grid__isnull', True)), fields=('community', 'category'), name='voice_route_unique_community')],
                },
            ), migrations.CreateModel(
                name='Wish',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('text', models.CharField(max_length=500, verbose_name='wish')),
                    ('status', models.CharField(choices=[('open', 'Open'), ('claimed', 'Claimed'), ('fulfilled', 'Fulfilled'), ('confirmed', 'Confirmed')], default='open', max_length=10, verbose_name='status')),
                    ('photo', models.FileField(blank=True, upload_to=gongzhi.voice.models.wish_photo_path, verbose_name='photo')),
                    ('photo_type', models.CharField(blank=True, max_length=20)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('claimed_at', models.DateTimeField(blank=True, null=True)),
                    ('fulfilled_at', models.DateTimeField(blank=True, null=True)),
                    ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                    ('claimed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='claimed_wishes', to='members.member', verbose_name='claimed by')),
                    ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='voice_wishes', to='orgs.organization', verbose_name='community')),
                    ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('resident', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='wishes', to='members.resident', verbose_name='resident')),
                ],
                options={
                    'verbose_name': 'small wish',
                    'verbose_name_plural': 'small wishes',
                    'ordering': ['-created_at', '-id'],
                },
            ), migrations.CreateModel(
                name='DeadlineRule',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('category', models.CharField(choices=[('environment', 'Environment'), ('property', 'Property management'), ('safety', 'Safety'), ('neighbour', 'Neighbour dispute'), ('elderly_children', 'Elderly and children'), ('facilities', 'Facilities'), ('policy', 'Policy question'), ('other', 'Other')], max_length=20, verbose_name='category')),
                    ('first_answer_hours', models.PositiveSmallIntegerField(verbose_name='first answer within (hours)')),
                    ('resolution_days', models.PositiveSmallIntegerField(verbose_name='resolved within (working days)')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'deadline rule',
                    'verbose_name_plural': 'deadline rules',
                    'constraints': [models.UniqueConstraint(fields=('organization', 'category'), name='voice_deadline_unique')],
                },
            ), migrations.CreateModel(
                name='Consultation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=100, verbose_name='topic')),
                    ('description', models.TextField(max_length=4000, verbose_name='description')),
                    ('opens_on', models.DateField(verbose_name='opinions from')),
                    ('closes_on', models.DateField(verbose_name='opinions until')),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('open', 'Open for opinions'), ('closed', 'Closed: awaiting the meeting'), ('published', 'Outcome published')], default='draft', max_length=10, verbose_name='status')),
                    ('meeting_on', models.DateField(blank=True, null=True, verbose_name='meeting held on')),
                    ('meeting_note', models.TextField(blank=True, max_length=4000, verbose_name='what the meeting discussed')),
                    ('outcome', models.TextField(blank=True, max_length=4000, verbose_name='outcome')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                    ('building', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.building', verbose_name='building')),
                    ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consultations', to='orgs.organization', verbose_name='community')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('grid', models.ForeignKey(blank=True, help_text='Empty: the whole community.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.grid', verbose_name='grid')),
                ],
                options={
                    'verbose_name': 'consultation',
                    'verbose_name_plural': 'consultations',
                    'ordering': ['-opens_on', '-id'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('closes_on__gte', models.F('opens_on'))), name='consultation_period_order')],
                },
            ), migrations.CreateModel(
                name='ConsultationEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('created', 'Drafted'), ('opened', 'Opened for opinions'), ('closed', 'Closed'), ('meeting', 'Meeting recorded'), ('published', 'Outcome published')], max_length=10)),
                    ('note', models.CharField(blank=True, max_length=200)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('consultation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='voice.consultation')),
                ],
                options={
                    'ordering': ['created_at', 'id'],
                },
            ), migrations.CreateModel(
                name='ConsultationOption',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('text', models.CharField(max_length=200, verbose_name='option')),
                    ('position', models.PositiveSmallIntegerField(default=0)),
                    ('consultation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='options', to='voice.consultation')),
                ],
                options={
                    'ordering': ['position', 'id'],
                },
            ), migrations.CreateModel(
                name='Opinion',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('text', models.CharField(blank=True, max_length=1000, verbose_name='opinion')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('consultation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='opinions', to='voice.consultation')),
                    ('option', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='supporters', to='voice.consultationoption', verbose_name='supports')),
                    ('resident', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='opinions', to='members.resident', verbose_name='resident')),
                ],
                options={
                    'verbose_name': 'opinion',
                    'verbose_name_plural': 'opinions',
                    'ordering': ['created_at', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('consultation', 'resident'), name='one_opinion_per_resident'), models.CheckConstraint(condition=models.Q(models.Q(('text', ''), _negated=True), ('option__isnull', False), _connector='OR'), name='opinion_says_something')],
                },
            )],
        ),
        append_only_tables("voice_consultationevent"),
    ]
