"""The members app's migrations 0001_initial … 0009_sealed_personal_fields in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints, then what the chain ran in SQL and data.

Left out: 0007's mobility flag derived from the category, 0009's sealing of the personal fields stored plain, for rows a new database does not have.
"""

import datetime
import django.db.models.deletion
import gongzhi.core.fields
import gongzhi.core.migration_operations
from django.conf import settings
from django.db import migrations, models



def seed_job_code_tables(apps, schema_editor):
    """The job-position code tables (``members.jobcodes.SEED``)."""
    from gongzhi.members.jobcodes import SEED

    JobCodeTable = apps.get_model("members", "JobCodeTable")
    JobCode = apps.get_model("members", "JobCode")
    for spec in SEED:
        if JobCodeTable.objects.filter(key=spec["key"]).exists():
            continue
        table = JobCodeTable.objects.create(key=spec["key"], name=spec["name"], description=spec["description"],
                                            is_default=spec["is_default"])
        JobCode.objects.bulk_create([JobCode(table=table, code=code, name=name, category=category)
                                     for code, name, category in spec["codes"]])


class Migration(migrations.Migration):

    replaces = [('members', '0001_initial'), ('members', '0002_reporting'), ('members', '0003_transfer'), ('members', '0004_post'), ('members', '0005_external_transfers'), ('members', '0006_roster_columns'), ('members', '0007_mobility_apart'), ('members', '0008_roster_rules'), ('members', '0009_sealed_personal_fields')]

    initial = True

    dependencies = [
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='JobCodeTable',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('key', models.SlugField(max_length=40, unique=True, verbose_name='key')),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('is_default', models.BooleanField(default=False, verbose_name='default')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                ],
                options={
                    'verbose_name': 'job-position code table',
                    'verbose_name_plural': 'job-position code tables',
                    'ordering': ['-is_default', 'name'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('is_default', True)), fields=('is_default',), name='one_default_job_code_table')],
                },
            ), migrations.CreateModel(
                name='JobCode',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(blank=True, max_length=16, verbose_name='code')),
                    ('name', models.CharField(max_length=120, verbose_name='name')),
                    ('category', models.CharField(choices=[('in_service', 'In-service'), ('retired', 'Retired'), ('student', 'Student'), ('rural', 'Rural'), ('unemployed', 'Unemployed'), ('other', 'Other occupation')], max_length=16, verbose_name='category')),
                    ('table', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='codes', to='members.jobcodetable', verbose_name='code table')),
                ],
                options={
                    'verbose_name': 'job position',
                    'verbose_name_plural': 'job positions',
                    'ordering': ['table', 'code', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('table', 'name'), name='job_code_name_unique'), models.UniqueConstraint(condition=models.Q(('code', ''), _negated=True), fields=('table', 'code'), name='job_code_code_unique')],
                },
            ), migrations.CreateModel(
                name='Member',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=50, verbose_name='name')),
                    ('name_initials', models.CharField(db_index=True, editable=False, max_length=50)),
                    ('sex', models.CharField(choices=[('male', 'Male'), ('female', 'Female')], max_length=8, verbose_name='sex')),
                    ('ethnicity', models.CharField(default='汉族', max_length=20, verbose_name='ethnic group')),
                    ('id_number', gongzhi.core.fields.EncryptedCharField(max_length=18, verbose_name='ID number')),
                    ('birth_date', models.DateField(verbose_name='date of birth')),
                    ('education', models.CharField(blank=True, choices=[('primary', 'Primary school or less'), ('junior', 'Junior middle school'), ('senior', 'Senior middle school or technical school'), ('college', 'Junior college'), ('bachelor', "Bachelor's degree"), ('postgraduate', 'Postgraduate')], max_length=16, verbose_name='education')),
                    ('joined_on', models.DateField(verbose_name='date joined')),
                    ('full_member_on', models.DateField(blank=True, null=True, verbose_name='date made full member')),
                    ('status', models.CharField(choices=[('full', 'Full member'), ('probationary', 'Probationary member')], default='full', max_length=16, verbose_name='status')),
                    ('probation_ends_on', models.DateField(blank=True, null=True, verbose_name='probation ends')),
                    ('category', models.CharField(choices=[('in_service', 'In-service'), ('retired', 'Retired'), ('student', 'Student'), ('rural', 'Rural'), ('unemployed', 'Unemployed'), ('other', 'Other occupation')], max_length=16, verbose_name='category')),
                    ('employer', models.CharField(blank=True, max_length=100, verbose_name='employer')),
                    ('job_post', models.CharField(blank=True, max_length=100, verbose_name='post')),
                    ('mobile', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='mobile number')),
                    ('address', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=200, verbose_name='home address')),
                    ('photo', models.FileField(blank=True, upload_to='members/photos/', verbose_name='photo')),
                    ('standing', models.CharField(choices=[('normal', 'Normal'), ('lost_contact', 'Lost contact'), ('transferred_out', 'Transferred out'), ('deceased', 'Deceased')], default='normal', max_length=16, verbose_name='standing')),
                    ('lost_contact_since', models.DateField(blank=True, null=True, verbose_name='lost contact since')),
                    ('mobile_destination', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=100, verbose_name="mobile member's destination")),
                    ('home_org_name', models.CharField(blank=True, help_text='When the membership is held by an organization outside this platform.', max_length=100, verbose_name='organization outside the platform')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('building', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='members', to='orgs.building', verbose_name='building')),
                    ('community', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='resident_members', to='orgs.organization', verbose_name='community of residence')),
                    ('grid', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='members', to='orgs.grid', verbose_name='grid')),
                    ('home_org', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='held_members', to='orgs.organization', verbose_name='branch holding the membership')),
                    ('household', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='members', to='orgs.household', verbose_name='household')),
                    ('serving_org', models.ForeignKey(blank=True, help_text='Grid branch or building group where a reported member serves.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='serving_members', to='orgs.organization', verbose_name='serves in')),
                    ('user', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='member', to=settings.AUTH_USER_MODEL, verbose_name='account')),
                    ('is_mobile_member', models.BooleanField(default=False, help_text='Lives and works away from the branch for a long time.', verbose_name='mobile member')),
                    ('party_status', models.CharField(choices=[('normal', 'Normal'), ('retained', 'Membership retained'), ('suspended', 'Membership suspended')], default='normal', max_length=16, verbose_name='party membership status')),
                    ('job_code', models.ForeignKey(blank=True, help_text='The entry of the job-position code table the category was read from.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.jobcode', verbose_name='job position code')),
                    ('id_number_bidx', gongzhi.core.fields.BlindIndexField(blank=True, kind='id', max_length=64, null=True, source='id_number', unique=True)),
                    ('id_number_last4', gongzhi.core.fields.LastCharsField(blank=True, default='', kind='id', max_length=4, source='id_number')),
                    ('mobile_bidx', gongzhi.core.fields.BlindIndexField(blank=True, db_index=True, kind='phone', max_length=64, null=True, source='mobile')),
                    ('mobile_last4', gongzhi.core.fields.LastCharsField(blank=True, default='', kind='phone', max_length=4, source='mobile')),
                ],
                options={
                    'verbose_name': 'party member',
                    'verbose_name_plural': 'party members',
                    'ordering': ['name_initials', 'id'],
                    'indexes': [models.Index(fields=['home_org', 'status'], name='members_mem_home_or_229604_idx'), models.Index(fields=['community', 'category'], name='members_mem_communi_6311f5_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(('home_org__isnull', False), models.Q(('home_org_name', ''), _negated=True), _connector='OR'), name='member_has_home_org'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'probationary'), _negated=True), ('probation_ends_on__isnull', False), _connector='OR'), name='probationary_has_end_date'), models.CheckConstraint(condition=models.Q(models.Q(('standing', 'lost_contact'), _negated=True), ('lost_contact_since__isnull', False), _connector='OR'), name='lost_contact_has_date'), models.CheckConstraint(condition=models.Q(('is_mobile_member', True), ('mobile_destination', ''), _connector='OR'), name='destination_only_for_mobile_members')],
                },
            ), migrations.CreateModel(
                name='MembershipEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('created', 'Registered'), ('status', 'Status changed'), ('category', 'Category changed'), ('organization', 'Organization changed'), ('residence', 'Residence changed'), ('standing', 'Standing changed'), ('party_status', 'Party membership status changed'), ('mobile', 'Mobile member'), ('transfer_in', 'Transferred in'), ('transfer_out', 'Transferred out')], max_length=16, verbose_name='change')),
                    ('from_value', models.CharField(blank=True, max_length=200, verbose_name='from')),
                    ('to_value', models.CharField(blank=True, max_length=200, verbose_name='to')),
                    ('effective_on', models.DateField(default=datetime.date.today, verbose_name='date')),
                    ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='history', to='members.member')),
                ],
                options={
                    'verbose_name': 'membership change',
                    'verbose_name_plural': 'membership changes',
                    'ordering': ['-effective_on', '-id'],
                },
            ), migrations.CreateModel(
                name='Resident',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=50, verbose_name='name')),
                    ('name_initials', models.CharField(db_index=True, editable=False, max_length=50)),
                    ('sex', models.CharField(choices=[('male', 'Male'), ('female', 'Female')], max_length=8, verbose_name='sex')),
                    ('birth_year', models.PositiveSmallIntegerField(verbose_name='year of birth')),
                    ('id_number', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=18, null=True, verbose_name='ID number')),
                    ('phone', gongzhi.core.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='phone')),
                    ('relation', models.CharField(choices=[('head', 'Head of household'), ('spouse', 'Spouse'), ('child', 'Child'), ('parent', 'Parent'), ('grandchild', 'Grandchild'), ('other', 'Other')], default='head', max_length=16, verbose_name='relation to household head')),
                    ('political_status', models.CharField(choices=[('member', 'Party member'), ('league', 'League member'), ('masses', 'Masses')], default='masses', max_length=16, verbose_name='political status')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='residents', to='orgs.organization', verbose_name='community')),
                    ('household', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='residents', to='orgs.household', verbose_name='household')),
                    ('member', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='resident', to='members.member', verbose_name='party member record')),
                    ('user', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='resident', to=settings.AUTH_USER_MODEL, verbose_name='account')),
                    ('id_number_bidx', gongzhi.core.fields.BlindIndexField(blank=True, kind='id', max_length=64, null=True, source='id_number', unique=True)),
                    ('id_number_last4', gongzhi.core.fields.LastCharsField(blank=True, default='', kind='id', max_length=4, source='id_number')),
                    ('phone_bidx', gongzhi.core.fields.BlindIndexField(blank=True, db_index=True, kind='phone', max_length=64, null=True, source='phone')),
                    ('phone_last4', gongzhi.core.fields.LastCharsField(blank=True, default='', kind='phone', max_length=4, source='phone')),
                ],
                options={
                    'verbose_name': 'resident',
                    'verbose_name_plural': 'residents',
                    'ordering': ['household', 'id'],
                },
            ), migrations.CreateModel(
                name='Reporting',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('skills', models.CharField(blank=True, max_length=200, verbose_name='skills')),
                    ('services', models.CharField(blank=True, max_length=200, verbose_name='services offered')),
                    ('status', models.CharField(choices=[('submitted', 'Submitted'), ('accepted', 'Accepted'), ('returned', 'Returned')], default='submitted', max_length=16, verbose_name='status')),
                    ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                    ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reportings', to='orgs.organization', verbose_name='community')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reportings', to='members.member', verbose_name='party member')),
                    ('serving_org', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='orgs.organization', verbose_name='serves in')),
                ],
                options={
                    'verbose_name': 'dual reporting',
                    'verbose_name_plural': 'dual reportings',
                    'ordering': ['-created_at', '-id'],
                },
            ), migrations.CreateModel(
                name='Transfer',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('reason', models.CharField(blank=True, max_length=200, verbose_name='reason')),
                    ('status', models.CharField(choices=[('pending', 'Awaiting acceptance'), ('accepted', 'Accepted'), ('rejected', 'Rejected')], default='pending', max_length=16, verbose_name='status')),
                    ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                    ('from_org', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='from')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transfers', to='members.member', verbose_name='party member')),
                    ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('to_org', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='to')),
                    ('direction', models.CharField(choices=[('internal', 'Between branches of the platform'), ('out', 'Out of the platform'), ('in', 'Into the platform')], default='internal', max_length=8, verbose_name='kind of transfer')),
                    ('external_org_name', models.CharField(blank=True, max_length=100, verbose_name='organization outside the platform')),
                    ('letter_number', models.CharField(blank=True, max_length=40, verbose_name='letter of introduction number')),
                ],
                options={
                    'verbose_name': 'transfer',
                    'verbose_name_plural': 'transfers',
                    'ordering': ['-created_at', '-id'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('member',), name='one_pending_transfer'), models.CheckConstraint(condition=models.Q(models.Q(('direction', 'internal'), ('from_org__isnull', False), ('to_org__isnull', False)), models.Q(('direction', 'out'), ('from_org__isnull', False), ('to_org__isnull', True), models.Q(('external_org_name', ''), _negated=True), models.Q(('letter_number', ''), _negated=True)), models.Q(('direction', 'in'), ('from_org__isnull', True), ('to_org__isnull', False), models.Q(('external_org_name', ''), _negated=True), models.Q(('letter_number', ''), _negated=True)), _connector='OR'), name='transfer_ends_match_direction')],
                },
            ), migrations.CreateModel(
                name='Post',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=60, verbose_name='post')),
                    ('duties', models.CharField(blank=True, max_length=300, verbose_name='duties')),
                    ('starts_on', models.DateField(default=datetime.date.today, verbose_name='from')),
                    ('ends_on', models.DateField(blank=True, help_text='The first day without the post.', null=True, verbose_name='ended on')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='posts', to='members.member', verbose_name='party member')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='member_posts', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'member post',
                    'verbose_name_plural': 'member posts',
                    'ordering': ['organization__path', 'title', 'id'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='post_ends_after_start')],
                },
            )],
        ),
        migrations.RunPython(seed_job_code_tables, migrations.RunPython.noop, elidable=False),
    ]
