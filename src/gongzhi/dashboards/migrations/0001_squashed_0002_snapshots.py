"""The dashboards app's migrations 0001_initial … 0002_snapshots in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints.
"""

import django.db.models.deletion
import gongzhi.core.migration_operations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('dashboards', '0001_initial'), ('dashboards', '0002_snapshots')]

    initial = True

    dependencies = [
        ('core', '0001_squashed_0006_partitioned_audit'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='KioskToken',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('label', models.CharField(max_length=60, verbose_name='where it is shown')),
                    ('token_hash', models.CharField(editable=False, max_length=64, unique=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                    ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked at')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='kiosk_tokens', to='orgs.organization', verbose_name='organization')),
                    ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revoked by')),
                ],
                options={
                    'verbose_name': 'kiosk link',
                    'verbose_name_plural': 'kiosk links',
                    'ordering': ['-created_at', '-id'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('revoked_at__isnull', False), ('revoked_by__isnull', True), _connector='OR'), name='kiosk_revoker_only_when_revoked')],
                },
            ), migrations.CreateModel(
                name='DashboardSnapshot',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('period_kind', models.CharField(max_length=8)),
                    ('starts_on', models.DateField()),
                    ('ends_on', models.DateField()),
                    ('language', models.CharField(max_length=16)),
                    ('status', models.CharField(choices=[('pending', 'Being computed'), ('ready', 'Ready'), ('failed', 'Failed')], default='pending', max_length=8, verbose_name='status')),
                    ('data', models.JSONField(blank=True, default=dict)),
                    ('computed_at', models.DateTimeField(blank=True, null=True, verbose_name='figures computed at')),
                    ('refreshing', models.BooleanField(default=False)),
                    ('viewed_at', models.DateTimeField(blank=True, null=True)),
                    ('seconds', models.FloatField(blank=True, null=True)),
                    ('job', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.job')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'dashboard snapshot',
                    'verbose_name_plural': 'dashboard snapshots',
                    'indexes': [models.Index(fields=['viewed_at'], name='dashboard_snapshot_viewed')],
                    'constraints': [models.UniqueConstraint(fields=('organization', 'period_kind', 'starts_on', 'ends_on', 'language'), name='dashboard_snapshot_unique')],
                },
            )],
        ),
    ]
