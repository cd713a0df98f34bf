"""The privacy app's migrations 0001_initial … 0002_sealed_personal_fields in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints.

Left out: 0002's sealing of the personal fields stored plain, for rows a new database does not have.
"""

import django.db.models.deletion
import gongzhi.core.fields
import gongzhi.core.migration_operations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('privacy', '0001_initial'), ('privacy', '0002_sealed_personal_fields')]

    initial = True

    dependencies = [
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='DataRequest',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('correction', 'Correction'), ('erasure', 'Erasure')], max_length=12, verbose_name='kind of request')),
                    ('subject', models.CharField(choices=[('member', 'Party member record'), ('resident', 'Resident record')], max_length=10, verbose_name='record')),
                    ('field', models.CharField(blank=True, max_length=30, verbose_name='field')),
                    ('proposed_value', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=200, verbose_name='proposed value')),
                    ('reason', models.CharField(max_length=500, verbose_name='why')),
                    ('status', models.CharField(choices=[('open', 'Open'), ('accepted', 'Accepted'), ('refused', 'Refused')], default='open', max_length=10, verbose_name='status')),
                    ('due_on', models.DateField(verbose_name='answer due')),
                    ('decision_reason', models.CharField(blank=True, max_length=500, verbose_name='reason for the decision')),
                    ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='asked at')),
                    ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                    ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.member', verbose_name='party member')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organization')),
                    ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='data_requests', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                    ('resident', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.resident', verbose_name='resident')),
                ],
                options={
                    'verbose_name': 'request about personal data',
                    'verbose_name_plural': 'requests about personal data',
                    'ordering': ['-created_at', '-pk'],
                    'indexes': [models.Index(fields=['status', 'due_on'], name='privacy_dat_status_4ac6b5_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('member__isnull', False), ('resident__isnull', True), ('subject', 'member')), models.Q(('member__isnull', True), ('resident__isnull', False), ('subject', 'resident')), _connector='OR'), name='privacy_request_one_record'), models.CheckConstraint(condition=models.Q(('kind', 'erasure'), models.Q(('field', ''), _negated=True), _connector='OR'), name='privacy_correction_names_field'), models.CheckConstraint(condition=models.Q(('status', 'open'), models.Q(models.Q(('decision_reason', ''), _negated=True), ('decided_at__isnull', False)), _connector='OR'), name='privacy_decision_has_reason'), models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('person', 'subject', 'kind', 'field'), name='privacy_one_open_request')],
                },
            ), migrations.CreateModel(
                name='Anonymisation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('model', models.CharField(max_length=60)),
                    ('object_id', models.PositiveBigIntegerField()),
                    ('cause', models.CharField(choices=[('retention', 'Retention period ended'), ('erasure', 'Erasure requested')], max_length=10)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('data_request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='privacy.datarequest')),
                ],
                options={
                    'constraints': [models.UniqueConstraint(fields=('model', 'object_id'), name='privacy_anonymised_once')],
                },
            ), migrations.CreateModel(
                name='Departure',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('moved_on', models.DateField(verbose_name='moved away on')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('resident', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.resident', verbose_name='resident')),
                ],
                options={
                    'verbose_name': 'resident who moved away',
                    'verbose_name_plural': 'residents who moved away',
                    'ordering': ['-moved_on', '-pk'],
                },
            )],
        ),
    ]
