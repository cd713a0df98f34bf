"""The orgs app's migrations 0001_initial … 0003_sealed_contact_phone in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints.

Left out: 0003's sealing of the contact phones stored plain, for rows a new database does not have.
"""

import django.db.models.deletion
import gongzhi.core.fields
import gongzhi.core.migration_operations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('orgs', '0001_initial'), ('orgs', '0002_organization_closed_on'), ('orgs', '0003_sealed_contact_phone')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='Organization',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(max_length=32, unique=True, verbose_name='code')),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('name_initials', models.CharField(db_index=True, editable=False, max_length=100)),
                    ('kind', models.CharField(choices=[('district', 'District party committee'), ('street', 'Street party working committee'), ('township', 'Township party committee'), ('community', 'Community party committee'), ('village', 'Village party organization'), ('branch', 'Party branch'), ('group', 'Party group'), ('unit', 'Co-building unit party organization')], max_length=16, verbose_name='type')),
                    ('category', models.CharField(blank=True, choices=[('', '—'), ('grid', 'Grid branch'), ('retirees', "Retirees' branch"), ('industry', 'Industry branch'), ('mobile', "Mobile members' branch"), ('building', 'Building group')], default='', max_length=16, verbose_name='category')),
                    ('path', models.CharField(editable=False, max_length=255, unique=True)),
                    ('depth', models.PositiveSmallIntegerField(editable=False)),
                    ('established_on', models.DateField(blank=True, null=True, verbose_name='date established')),
                    ('address', models.CharField(blank=True, max_length=200, verbose_name='office address')),
                    ('is_active', models.BooleanField(default=True, verbose_name='active')),
                    ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='orgs.organization', verbose_name='parent')),
                    ('secretary', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='secretary')),
                    ('closed_on', models.DateField(blank=True, null=True, verbose_name='date closed')),
                ],
                options={
                    'verbose_name': 'party organization',
                    'verbose_name_plural': 'party organizations',
                    'ordering': ['path'],
                    'indexes': [models.Index(fields=['kind', 'path'], name='orgs_organi_kind_7fc890_idx')],
                },
            ), migrations.CreateModel(
                name='Grid',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(max_length=32, unique=True, verbose_name='code')),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('grid_worker', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='grid worker')),
                    ('branch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='covered_grids', to='orgs.organization', verbose_name='covering branch')),
                    ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='grids', to='orgs.organization', verbose_name='community')),
                ],
                options={
                    'verbose_name': 'grid',
                    'verbose_name_plural': 'grids',
                    'ordering': ['code'],
                },
            ), migrations.CreateModel(
                name='CoBuildingUnit',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('kind', models.CharField(choices=[('agency', 'Government agency'), ('institution', 'Public institution'), ('school', 'School'), ('soe', 'State-owned enterprise'), ('private', 'Non-public enterprise'), ('social', 'Social organization'), ('property', 'Property management company')], max_length=16, verbose_name='kind')),
                    ('contact_name', models.CharField(blank=True, max_length=50, verbose_name='contact person')),
                    ('contact_phone', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='contact phone')),
                    ('organization', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='unit', to='orgs.organization', verbose_name='party organization')),
                ],
                options={
                    'verbose_name': 'co-building unit',
                    'verbose_name_plural': 'co-building units',
                    'ordering': ['name'],
                },
            ), migrations.CreateModel(
                name='CoBuildingAgreement',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('unit_contributes', models.TextField(blank=True, verbose_name='the unit contributes')),
                    ('community_contributes', models.TextField(blank=True, verbose_name='the community contributes')),
                    ('starts_on', models.DateField(verbose_name='from')),
                    ('ends_on', models.DateField(blank=True, null=True, verbose_name='until')),
                    ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agreements', to='orgs.cobuildingunit', verbose_name='co-building unit')),
                    ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='orgs.organization', verbose_name='community')),
                ],
                options={
                    'verbose_name': 'co-building agreement',
                    'verbose_name_plural': 'co-building agreements',
                    'ordering': ['-starts_on'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='agreement_ends_after_start')],
                },
            ), migrations.CreateModel(
                name='Building',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('entrances', models.PositiveSmallIntegerField(default=1, verbose_name='entrances')),
                    ('floors', models.PositiveSmallIntegerField(default=6, verbose_name='floors')),
                    ('grid', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='buildings', to='orgs.grid', verbose_name='grid')),
                    ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='covered_buildings', to='orgs.organization', verbose_name='party group')),
                ],
                options={
                    'verbose_name': 'building',
                    'verbose_name_plural': 'buildings',
                    'ordering': ['grid', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('grid', 'name'), name='building_name_unique_in_grid')],
                },
            ), migrations.CreateModel(
                name='Household',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('entrance', models.PositiveSmallIntegerField(default=1, verbose_name='entrance')),
                    ('floor', models.SmallIntegerField(default=1, verbose_name='floor')),
                    ('number', models.CharField(max_length=16, verbose_name='door number')),
                    ('resident_count', models.PositiveSmallIntegerField(default=0, verbose_name='residents')),
                    ('building', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='households', to='orgs.building', verbose_name='building')),
                ],
                options={
                    'verbose_name': 'household',
                    'verbose_name_plural': 'households',
                    'ordering': ['building', 'entrance', 'floor', 'number'],
                    'constraints': [models.UniqueConstraint(fields=('building', 'entrance', 'number'), name='household_unique_door')],
                },
            )],
        ),
    ]
