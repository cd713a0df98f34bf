"""The publicity app's migrations 0001_initial … 0002_item_history_append_only in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints, then what the chain ran in SQL and data.
"""

import django.db.models.deletion
import django.utils.timezone
import gongzhi.core.migration_operations
import gongzhi.publicity.models
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

    replaces = [('publicity', '0001_initial'), ('publicity', '0002_item_history_append_only')]

    initial = True

    dependencies = [
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        ('service', '0001_squashed_0005_checkin_checkin_member_time'),
        ('voice', '0001_squashed_0005_sealed_contact'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='Board',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('opened_on', models.DateField(verbose_name='obligations counted from')),
                    ('intro', models.TextField(blank=True, max_length=1000, verbose_name='introduction on the public page')),
                    ('organization', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='board', to='orgs.organization', verbose_name='community or village')),
                ],
                options={
                    'verbose_name': 'publicity board',
                    'verbose_name_plural': 'publicity boards',
                },
            ), migrations.CreateModel(
                name='Item',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('category', models.CharField(choices=[('party', 'Party affairs'), ('affairs', "Residents' affairs"), ('finance', 'Finances')], max_length=10, verbose_name='category')),
                    ('title', models.CharField(max_length=120, verbose_name='title')),
                    ('body', models.TextField(max_length=20000, verbose_name='text')),
                    ('catalogue_key', models.CharField(blank=True, max_length=40, verbose_name='catalogue entry')),
                    ('period_start', models.DateField(blank=True, null=True, verbose_name='period covered from')),
                    ('period_end', models.DateField(blank=True, null=True, verbose_name='period covered until')),
                    ('visible_from', models.DateField(verbose_name='on the board from')),
                    ('visible_until', models.DateField(blank=True, help_text='Empty: until it is replaced. Afterwards it stays in the archive.', null=True, verbose_name='on the board until')),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('pending', 'Awaiting approval'), ('approved', 'Approved, not yet published'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], default='draft', max_length=10, verbose_name='status')),
                    ('source', models.CharField(blank=True, help_text='The record of another module the item was made from.', max_length=80, verbose_name='source')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('submitted_at', models.DateTimeField(blank=True, null=True)),
                    ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='approved')),
                    ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                    ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn')),
                    ('withdrawal_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for withdrawal')),
                    ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='prepared by')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='publicity_items', to='orgs.organization', verbose_name='community or village')),
                    ('replaces', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='publicity.item', verbose_name='corrects')),
                    ('withdrawn_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'board item',
                    'verbose_name_plural': 'board items',
                    'ordering': ['-visible_from', '-id'],
                    'indexes': [models.Index(fields=['organization', 'status', 'visible_from'], name='publicity_i_organiz_083ee1_idx'), models.Index(fields=['organization', 'catalogue_key', 'period_start'], name='publicity_i_organiz_451add_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['approved', 'published', 'withdrawn']), _negated=True), models.Q(('approved_at__isnull', False), ('approved_by__isnull', False)), _connector='OR'), name='publicity_item_approved_before_publication'), models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['published', 'withdrawn']), _negated=True), ('published_at__isnull', False), _connector='OR'), name='publicity_item_published_has_date'), models.CheckConstraint(condition=models.Q(('approved_by', models.F('created_by')), _negated=True), name='publicity_item_not_approved_by_its_author'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'withdrawn'), _negated=True), models.Q(('withdrawn_at__isnull', False), models.Q(('withdrawal_reason', ''), _negated=True)), _connector='OR'), name='publicity_item_withdrawn_with_reason'), models.CheckConstraint(condition=models.Q(('visible_until__isnull', True), ('visible_until__gte', models.F('visible_from')), _connector='OR'), name='publicity_item_visible_period_order'), models.CheckConstraint(condition=models.Q(models.Q(('period_end__isnull', True), ('period_start__isnull', True)), models.Q(('period_end__gte', models.F('period_start')), ('period_start__isnull', False)), _connector='OR'), name='publicity_item_period_order'), models.UniqueConstraint(condition=models.Q(('source', ''), _negated=True), fields=('organization', 'source'), name='publicity_item_once_per_source')],
                },
            ), migrations.CreateModel(
                name='ItemAttachment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('file', models.FileField(upload_to=gongzhi.publicity.models._item_file_path)),
                    ('name', models.CharField(max_length=120, verbose_name='file name')),
                    ('content_type', models.CharField(max_length=100)),
                    ('size', models.PositiveIntegerField()),
                    ('sha256', models.CharField(max_length=64)),
                    ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='publicity.item')),
                    ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'attachment',
                    'verbose_name_plural': 'attachments',
                    'ordering': ['id'],
                },
            ), migrations.CreateModel(
                name='ItemEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('drafted', 'Drafted'), ('edited', 'Edited'), ('submitted', 'Submitted for approval'), ('returned', 'Returned to the author'), ('approved', 'Approved'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], max_length=10, verbose_name='step')),
                    ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                    ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='publicity.item')),
                ],
                options={
                    'ordering': ['created_at', 'id'],
                },
            ), migrations.CreateModel(
                name='ItemQuestion',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('text_offset', models.PositiveSmallIntegerField(default=0)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='questions', to='publicity.item')),
                    ('request', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='publicity_question', to='voice.request')),
                ],
                options={
                    'ordering': ['-created_at', '-id'],
                },
            ), migrations.CreateModel(
                name='Obligation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('catalogue_key', models.CharField(max_length=40, verbose_name='catalogue entry')),
                    ('source', models.CharField(max_length=80, verbose_name='source')),
                    ('title', models.CharField(max_length=120, verbose_name='what is to be published')),
                    ('arises_on', models.DateField(verbose_name='arose on')),
                    ('due_on', models.DateField(verbose_name='due')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='community or village')),
                ],
                options={
                    'verbose_name': 'publication owed',
                    'verbose_name_plural': 'publications owed',
                    'ordering': ['due_on', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('organization', 'source'), name='publicity_obligation_once'), models.CheckConstraint(condition=models.Q(('due_on__gte', models.F('arises_on'))), name='publicity_obligation_due_after_arising')],
                },
            ), migrations.CreateModel(
                name='Post',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('policy', 'Policy explained'), ('news', 'Activity news'), ('notice', 'Notice')], max_length=10, verbose_name='kind')),
                    ('title', models.CharField(max_length=120, verbose_name='title')),
                    ('body', models.TextField(max_length=10000, verbose_name='text')),
                    ('to_public', models.BooleanField(default=True, verbose_name='on the public page')),
                    ('to_residents', models.BooleanField(default=True, verbose_name='to residents')),
                    ('to_members', models.BooleanField(default=True, verbose_name='to party members')),
                    ('needs_ack', models.BooleanField(default=False, verbose_name='ask readers to confirm they have read it')),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published'), ('withdrawn', 'Withdrawn')], default='draft', max_length=10, verbose_name='status')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                    ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn')),
                    ('withdrawal_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for withdrawal')),
                    ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='service.activity', verbose_name='activity')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('grids', models.ManyToManyField(blank=True, related_name='+', to='orgs.grid', verbose_name='only these grids')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='publicity_posts', to='orgs.organization', verbose_name='community or village')),
                ],
                options={
                    'verbose_name': 'news or notice',
                    'verbose_name_plural': 'news and notices',
                    'ordering': ['-published_at', '-id'],
                    'indexes': [models.Index(fields=['organization', 'status', 'published_at'], name='publicity_p_organiz_67a440_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(('to_public', True), ('to_residents', True), ('to_members', True), _connector='OR'), name='publicity_post_has_readers'), models.CheckConstraint(condition=models.Q(('needs_ack', False), ('kind', 'notice'), _connector='OR'), name='publicity_post_ack_only_for_notices'), models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['published', 'withdrawn']), _negated=True), ('published_at__isnull', False), _connector='OR'), name='publicity_post_published_has_date')],
                },
            ), migrations.CreateModel(
                name='Acknowledgement',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acknowledgements', to='publicity.post')),
                ],
                options={
                    'ordering': ['created_at', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('post', 'user'), name='publicity_ack_once_per_reader')],
                },
            ), migrations.CreateModel(
                name='PostPhoto',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('file', models.FileField(upload_to=gongzhi.publicity.models._photo_path)),
                    ('content_type', models.CharField(max_length=20)),
                    ('caption', models.CharField(blank=True, max_length=120, verbose_name='caption')),
                    ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                    ('post', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='publicity.post')),
                ],
                options={
                    'verbose_name': 'photo',
                    'verbose_name_plural': 'photos',
                    'ordering': ['id'],
                },
            ), migrations.CreateModel(
                name='CatalogueRule',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key', models.CharField(max_length=40, verbose_name='entry')),
                    ('title', models.CharField(blank=True, max_length=120, verbose_name='what is published')),
                    ('category', models.CharField(blank=True, choices=[('party', 'Party affairs'), ('affairs', "Residents' affairs"), ('finance', 'Finances')], max_length=10, verbose_name='category')),
                    ('frequency', models.CharField(choices=[('month', 'Every month'), ('quarter', 'Every quarter'), ('half', 'Every half year'), ('year', 'Every year'), ('event', 'After each event')], max_length=10, verbose_name='how often')),
                    ('due_days', models.PositiveSmallIntegerField(verbose_name='days allowed after the period or event')),
                    ('active', models.BooleanField(default=True, verbose_name='required')),
                    ('changed_at', models.DateTimeField(auto_now=True)),
                    ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'catalogue setting',
                    'verbose_name_plural': 'catalogue settings',
                    'constraints': [models.UniqueConstraint(fields=('organization', 'key'), name='publicity_rule_once_per_org'), models.CheckConstraint(condition=models.Q(('due_days__lte', 366)), name='publicity_rule_due_days_bounded')],
                },
            )],
        ),
        append_only_tables("publicity_itemevent"),
    ]
