"""The care app's migrations 0001_initial … 0005_sealed_kind in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints.

Left out: 0003's and 0005's sealing of the notes and kinds stored plain, for rows a new database does not have.
"""

import django.db.models.deletion
import gongzhi.core.fields
import gongzhi.core.migration_operations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('care', '0001_initial'), ('care', '0002_visit_needs_and_unit_pairings'), ('care', '0003_visit_visit_pairing_day'), ('care', '0003_sealed_notes'), ('care', '0004_merge_0003_sealed_notes_0003_visit_visit_pairing_day'), ('care', '0005_sealed_kind')]

    initial = True

    dependencies = [
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        ('voice', '0001_squashed_0005_sealed_contact'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='Pairing',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('frequency_days', models.PositiveSmallIntegerField(default=30, verbose_name='visit every (days)')),
                    ('started_on', models.DateField(verbose_name='from')),
                    ('ended_on', models.DateField(blank=True, null=True, verbose_name='until')),
                    ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='care_pairings', to='members.member', verbose_name='party member')),
                    ('resident', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='care_pairings', to='members.resident', verbose_name='resident')),
                    ('unit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='care_pairings', to='orgs.cobuildingunit', verbose_name='co-building unit')),
                ],
                options={
                    'verbose_name': 'pairing',
                    'verbose_name_plural': 'pairings',
                    'ordering': ['resident', 'id'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('ended_on__isnull', True)), fields=('member', 'resident'), name='care_pairing_active_unique'), models.UniqueConstraint(condition=models.Q(('ended_on__isnull', True)), fields=('unit', 'resident'), name='care_unit_pairing_active_unique'), models.CheckConstraint(condition=models.Q(models.Q(('member__isnull', False), ('unit__isnull', True)), models.Q(('member__isnull', True), ('unit__isnull', False)), _connector='OR'), name='care_pairing_one_carer')],
                },
            ), migrations.CreateModel(
                name='Visit',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('visited_on', models.DateField(verbose_name='visited on')),
                    ('note', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=1000, verbose_name='what was done')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('pairing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='visits', to='care.pairing')),
                    ('key', models.CharField(blank=True, help_text='Sent by a phone with the visit, so that a retry records it once.', max_length=64, null=True, unique=True)),
                    ('need', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=500, verbose_name='needs found')),
                    ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='voice.request', verbose_name='request made of the need')),
                    ('wish', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='voice.wish', verbose_name='small wish made of the need')),
                ],
                options={
                    'verbose_name': 'visit',
                    'verbose_name_plural': 'visits',
                    'ordering': ['-visited_on', '-id'],
                    'indexes': [models.Index(fields=['pairing', 'visited_on'], name='visit_pairing_day')],
                },
            ), migrations.CreateModel(
                name='CareTag',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', gongzhi.core.fields.EncryptedCharField(choices=[('alone', 'Elderly living alone'), ('empty_nest', 'Empty-nest elderly'), ('disability', 'Person with a disability'), ('low_income', 'Subsistence allowance household'), ('left_behind', 'Left-behind child'), ('illness', 'Serious illness'), ('other', 'Other difficulty')], max_length=16, verbose_name='care need')),
                    ('note', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=500, verbose_name='note')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('resident', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='care_tags', to='members.resident', verbose_name='resident')),
                    ('kind_bidx', gongzhi.core.fields.BlindIndexField(blank=True, kind='code', max_length=64, null=True, source='kind')),
                ],
                options={
                    'verbose_name': 'care tag',
                    'verbose_name_plural': 'care tags',
                    'ordering': ['resident', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('resident', 'kind_bidx'), name='care_tag_unique')],
                },
            )],
        ),
    ]
