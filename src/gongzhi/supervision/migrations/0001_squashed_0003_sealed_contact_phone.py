"""The supervision app's migrations 0001_initial … 0003_sealed_contact_phone in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints, then what the chain ran in SQL and data.

Left out: 0003's sealing of the contact phones stored plain, for rows a new database does not have.
"""

import django.db.models.deletion
import django.utils.timezone
import gongzhi.core.fields
import gongzhi.core.migration_operations
import gongzhi.supervision.models
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

    replaces = [('supervision', '0001_initial'), ('supervision', '0002_histories_append_only'), ('supervision', '0003_sealed_contact_phone')]

    initial = True

    dependencies = [
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='Complaint',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('subject_role', models.CharField(blank=True, max_length=32, verbose_name='post of the person concerned')),
                    ('kind', models.CharField(choices=[('complaint', 'Complaint'), ('report', 'Report of misconduct')], max_length=10, verbose_name='kind')),
                    ('text', models.TextField(max_length=4000, verbose_name='what happened')),
                    ('anonymous', models.BooleanField(default=False, verbose_name='anonymous')),
                    ('contact_name', models.CharField(blank=True, max_length=50, verbose_name='name')),
                    ('contact_phone', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='contact phone')),
                    ('reference', models.CharField(default=gongzhi.supervision.models.new_reference, editable=False, max_length=12, unique=True, verbose_name='reference')),
                    ('receipt_digest', models.CharField(editable=False, max_length=64, unique=True)),
                    ('received_on', models.DateField(verbose_name='received on')),
                    ('answer_due', models.DateField(verbose_name='answer due')),
                    ('status', models.CharField(choices=[('received', 'Received'), ('handling', 'Being looked into'), ('concluded', 'Concluded')], default='received', max_length=10, verbose_name='status')),
                    ('concluded_on', models.DateField(blank=True, null=True, verbose_name='concluded on')),
                    ('conclusion', models.TextField(blank=True, max_length=4000, verbose_name='conclusion')),
                    ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='community or village')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organization concerned')),
                    ('subject_user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='person concerned')),
                    ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'complaint or report',
                    'verbose_name_plural': 'complaints and reports',
                    'ordering': ['-received_on', '-id'],
                    'indexes': [models.Index(fields=['organization', 'status'], name='supervision_organiz_55b0f2_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(('anonymous', False), models.Q(('contact_name', ''), ('contact_phone', ''), ('submitted_by__isnull', True)), _connector='OR'), name='complaint_anonymous_holds_no_identity'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'concluded'), _negated=True), models.Q(('concluded_on__isnull', False), models.Q(('conclusion', ''), _negated=True)), _connector='OR'), name='complaint_concluded_with_conclusion'), models.CheckConstraint(condition=models.Q(('answer_due__gte', models.F('received_on'))), name='complaint_due_after_receipt')],
                },
            ), migrations.CreateModel(
                name='ComplaintEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('accepted', 'Taken up'), ('note', 'Note'), ('reply', 'Reply to the complainant'), ('concluded', 'Concluded')], max_length=10, verbose_name='step')),
                    ('note', models.TextField(blank=True, max_length=4000, verbose_name='note')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                    ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('complaint', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='supervision.complaint')),
                ],
                options={
                    'ordering': ['created_at', 'id'],
                },
            ), migrations.CreateModel(
                name='SupervisionItem',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('area', models.CharField(choices=[('finance', 'Dues and funds'), ('publicity', 'Publicity board'), ('democracy', 'Democratic decisions and elections'), ('meetings', 'Organizational life and meetings'), ('service', 'Service to residents'), ('conduct', 'Conduct of cadres'), ('other', 'Other')], max_length=10, verbose_name='area')),
                    ('title', models.CharField(max_length=200, verbose_name='what was checked')),
                    ('finding', models.TextField(max_length=4000, verbose_name='finding')),
                    ('conclusion', models.CharField(choices=[('in_order', 'In order'), ('issues', 'Problems found')], max_length=10, verbose_name='conclusion')),
                    ('checked_on', models.DateField(verbose_name='checked on')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organization checked')),
                    ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ],
                options={
                    'verbose_name': 'supervision item',
                    'verbose_name_plural': 'supervision items',
                    'ordering': ['-checked_on', '-id'],
                    'indexes': [models.Index(fields=['organization', 'checked_on'], name='supervision_organiz_538cb0_idx')],
                },
            ), migrations.CreateModel(
                name='Rectification',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('requirement', models.TextField(max_length=2000, verbose_name='what must be rectified')),
                    ('opened_on', models.DateField(verbose_name='ordered on')),
                    ('deadline', models.DateField(verbose_name='deadline')),
                    ('status', models.CharField(choices=[('open', 'Being rectified'), ('reported', 'Reported done: awaiting verification'), ('closed', 'Closed')], default='open', max_length=10, verbose_name='status')),
                    ('reported_on', models.DateField(blank=True, null=True, verbose_name='reported done on')),
                    ('closed_on', models.DateField(blank=True, null=True, verbose_name='closed on')),
                    ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('opened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organization responsible')),
                    ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='person responsible')),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rectifications', to='supervision.supervisionitem', verbose_name='supervision item')),
                ],
                options={
                    'verbose_name': 'rectification',
                    'verbose_name_plural': 'rectifications',
                    'ordering': ['deadline', 'id'],
                    'indexes': [models.Index(fields=['organization', 'status', 'deadline'], name='supervision_organiz_c2fb28_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(('deadline__gte', models.F('opened_on'))), name='rectification_deadline_after_order'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'closed'), _negated=True), models.Q(('closed_by__isnull', False), ('closed_on__isnull', False)), _connector='OR'), name='rectification_closed_has_date'), models.CheckConstraint(condition=models.Q(('status', 'open'), ('reported_on__isnull', False), _connector='OR'), name='rectification_reported_has_date')],
                },
            ), migrations.CreateModel(
                name='RectificationEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('opened', 'Ordered'), ('progress', 'Progress reported'), ('reported', 'Reported done with evidence'), ('returned', 'Not accepted: to be continued'), ('closed', 'Closed')], max_length=10, verbose_name='step')),
                    ('note', models.TextField(blank=True, max_length=2000, verbose_name='note')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                    ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('rectification', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='supervision.rectification')),
                ],
                options={
                    'ordering': ['created_at', 'id'],
                },
            ), migrations.CreateModel(
                name='Evidence',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('file', models.FileField(upload_to=gongzhi.supervision.models._evidence_path)),
                    ('name', models.CharField(max_length=120, verbose_name='file name')),
                    ('content_type', models.CharField(max_length=100)),
                    ('size', models.PositiveIntegerField()),
                    ('sha256', models.CharField(max_length=64)),
                    ('rectification', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='supervision.rectification')),
                    ('event', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='files', to='supervision.rectificationevent')),
                ],
                options={
                    'verbose_name': 'evidence',
                    'verbose_name_plural': 'evidence',
                    'ordering': ['id'],
                },
            )],
        ),
        append_only_tables("supervision_rectificationevent", "supervision_complaintevent"),
    ]
