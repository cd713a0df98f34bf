"""The service app's migrations 0001_initial … 0005_checkin_checkin_member_time in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints.

Left out: 0004's zero capacity turned into no limit, for rows a new database does not have.
"""

import django.core.validators
import django.db.models.deletion
import gongzhi.core.migration_operations
import gongzhi.core.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('service', '0001_initial'), ('service', '0002_teams_series_and_who_may_join'), ('service', '0003_resident_participants'), ('service', '0004_activity_bounds'), ('service', '0005_checkin_checkin_member_time')]

    initial = True

    dependencies = [
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='ServiceTeam',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('kinds', models.JSONField(blank=True, default=list, verbose_name='kinds of service')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('is_active', models.BooleanField(default=True, verbose_name='active')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('buildings', models.ManyToManyField(blank=True, related_name='service_teams', to='orgs.building', verbose_name='buildings')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('grids', models.ManyToManyField(blank=True, related_name='service_teams', to='orgs.grid', verbose_name='grids')),
                    ('leader', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='teams_led', to='members.member', verbose_name='leader')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_teams', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'service team',
                    'verbose_name_plural': 'service teams',
                    'ordering': ['organization__path', 'name'],
                    'constraints': [models.UniqueConstraint(fields=('organization', 'name'), name='team_name_once_per_org')],
                },
            ), migrations.CreateModel(
                name='ActivitySeries',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=120, verbose_name='title')),
                    ('kind', models.CharField(choices=[('epidemic', 'Epidemic control'), ('environment', 'Environment'), ('renovation', 'Renovation'), ('elderly', 'Elderly visits'), ('policy', 'Policy publicity'), ('culture', 'Culture'), ('patrol', 'Safety patrol'), ('other', 'Other')], default='other', max_length=16, verbose_name='kind')),
                    ('place', models.CharField(max_length=200, verbose_name='place')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('start_time', models.TimeField(verbose_name='starts at')),
                    ('end_time', models.TimeField(verbose_name='ends at')),
                    ('capacity', models.PositiveIntegerField(blank=True, help_text='Empty: no limit.', null=True, validators=[django.core.validators.MinValueValidator(1, 'Give at least 1 place, or leave the capacity empty for no limit.'), django.core.validators.MaxValueValidator(100000, 'At most %(limit_value)s places.')], verbose_name='capacity')),
                    ('open_to', models.CharField(choices=[('team', 'Members of the team'), ('members', 'Members in scope'), ('residents', 'Members and residents')], default='members', max_length=16, verbose_name='who may join')),
                    ('requires_signup', models.BooleanField(default=True, verbose_name='sign-up required')),
                    ('frequency', models.CharField(choices=[('weekly', 'Weekly (every N weeks) on chosen weekdays'), ('monthly', 'Monthly (every N months) on a day of the month')], default='weekly', max_length=8, verbose_name='repeats')),
                    ('interval', models.PositiveSmallIntegerField(default=1, verbose_name='every')),
                    ('weekdays', models.CharField(blank=True, max_length=7, verbose_name='weekdays')),
                    ('month_day', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='day of the month')),
                    ('starts_on', models.DateField(verbose_name='first date')),
                    ('ends_on', models.DateField(blank=True, null=True, verbose_name='last date')),
                    ('count', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='number of occurrences')),
                    ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled at')),
                    ('request_key', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activity_series', to='orgs.organization', verbose_name='organization')),
                    ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='series', to='service.serviceteam', verbose_name='service team')),
                ],
                options={
                    'verbose_name': 'recurring series',
                    'verbose_name_plural': 'recurring series',
                    'ordering': ['-created_at', '-id'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('end_time__gt', models.F('start_time'))), name='series_ends_after_start'), models.CheckConstraint(condition=models.Q(('interval__gte', 1), ('interval__lte', 12)), name='series_interval_1_12'), models.CheckConstraint(condition=models.Q(('ends_on__isnull', False), ('count__isnull', False), _connector='OR'), name='series_is_bounded'), models.CheckConstraint(condition=models.Q(models.Q(('open_to', 'team'), _negated=True), ('team__isnull', False), _connector='OR'), name='series_for_a_team_names_it'), models.CheckConstraint(condition=models.Q(('capacity__isnull', True), ('capacity__gte', 1), _connector='OR'), name='series_capacity_at_least_one')],
                },
            ), migrations.CreateModel(
                name='Activity',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=120, verbose_name='title')),
                    ('kind', models.CharField(choices=[('epidemic', 'Epidemic control'), ('environment', 'Environment'), ('renovation', 'Renovation'), ('elderly', 'Elderly visits'), ('policy', 'Policy publicity'), ('culture', 'Culture'), ('patrol', 'Safety patrol'), ('other', 'Other')], default='other', max_length=16, verbose_name='kind')),
                    ('place', models.CharField(max_length=200, verbose_name='place')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('starts_at', models.DateTimeField(validators=[gongzhi.core.validators.plausible_date], verbose_name='starts at')),
                    ('ends_at', models.DateTimeField(validators=[gongzhi.core.validators.plausible_date], verbose_name='ends at')),
                    ('capacity', models.PositiveIntegerField(blank=True, help_text='Empty: no limit.', null=True, validators=[django.core.validators.MinValueValidator(1, 'Give at least 1 place, or leave the capacity empty for no limit.'), django.core.validators.MaxValueValidator(100000, 'At most %(limit_value)s places.')], verbose_name='capacity')),
                    ('open_to', models.CharField(choices=[('team', 'Members of the team'), ('members', 'Members in scope'), ('residents', 'Members and residents')], default='members', max_length=16, verbose_name='who may join')),
                    ('requires_signup', models.BooleanField(default=True, verbose_name='sign-up required')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='orgs.organization', verbose_name='organization')),
                    ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled at')),
                    ('occurs_on', models.DateField(blank=True, editable=False, null=True, verbose_name='date in the series')),
                    ('series', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='occurrences', to='service.activityseries', verbose_name='recurring series')),
                    ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='activities', to='service.serviceteam', verbose_name='service team')),
                ],
                options={
                    'verbose_name': 'activity',
                    'verbose_name_plural': 'activities',
                    'ordering': ['starts_at'],
                    'indexes': [models.Index(fields=['organization', 'starts_at'], name='service_act_organiz_2143ae_idx'), models.Index(fields=['team', 'starts_at'], name='service_act_team_id_64bb3a_idx')],
                    'constraints': [models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='activity_ends_after_start'), models.UniqueConstraint(condition=models.Q(('series__isnull', False)), fields=('series', 'occurs_on'), name='activity_once_per_series_date'), models.CheckConstraint(condition=models.Q(models.Q(('open_to', 'team'), _negated=True), ('team__isnull', False), _connector='OR'), name='activity_for_a_team_names_it'), models.CheckConstraint(condition=models.Q(('capacity__isnull', True), ('capacity__gte', 1), _connector='OR'), name='activity_capacity_at_least_one')],
                },
            ), migrations.CreateModel(
                name='CheckIn',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('checked_in_at', models.DateTimeField(verbose_name='checked in at')),
                    ('checked_out_at', models.DateTimeField(blank=True, null=True, verbose_name='checked out at')),
                    ('hours', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='hours')),
                    ('by_hand_reason', models.CharField(blank=True, max_length=200, verbose_name='reason for recording by hand')),
                    ('activity', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='checkins', to='service.activity')),
                    ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='checkins', to='members.member', verbose_name='member')),
                    ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('resident', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='checkins', to='members.resident', verbose_name='resident')),
                ],
                options={
                    'ordering': ['checked_in_at', 'id'],
                    'indexes': [models.Index(fields=['member', 'checked_in_at'], name='checkin_member_time')],
                    'constraints': [models.UniqueConstraint(fields=('member', 'activity'), name='checkin_once'), models.CheckConstraint(condition=models.Q(('checked_out_at__isnull', True), ('checked_out_at__gte', models.F('checked_in_at')), _connector='OR'), name='checkout_after_checkin'), models.UniqueConstraint(fields=('resident', 'activity'), name='checkin_once_resident'), models.CheckConstraint(condition=models.Q(models.Q(('member__isnull', False), ('resident__isnull', True)), models.Q(('member__isnull', True), ('resident__isnull', False)), _connector='OR'), name='checkin_member_or_resident')],
                },
            ), migrations.CreateModel(
                name='SignUp',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('signed_up', 'Signed up'), ('waiting', 'Waiting list'), ('cancelled', 'Cancelled')], default='signed_up', max_length=16, verbose_name='status')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='signed up at')),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signups', to='service.activity')),
                    ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='signups', to='members.member', verbose_name='member')),
                    ('resident', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='signups', to='members.resident', verbose_name='resident')),
                ],
                options={
                    'ordering': ['created_at', 'id'],
                    'constraints': [models.UniqueConstraint(fields=('member', 'activity'), name='signup_once'), models.UniqueConstraint(fields=('resident', 'activity'), name='signup_once_resident'), models.CheckConstraint(condition=models.Q(models.Q(('member__isnull', False), ('resident__isnull', True)), models.Q(('member__isnull', True), ('resident__isnull', False)), _connector='OR'), name='signup_member_or_resident')],
                },
            ), migrations.CreateModel(
                name='TeamMembership',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('joined_on', models.DateField(verbose_name='joined on')),
                    ('left_on', models.DateField(blank=True, null=True, verbose_name='left on')),
                    ('added_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='team_memberships', to='members.member', verbose_name='member')),
                    ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='service.serviceteam')),
                ],
                options={
                    'ordering': ['joined_on', 'id'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('left_on__isnull', True)), fields=('team', 'member'), name='team_member_once_at_a_time'), models.CheckConstraint(condition=models.Q(('left_on__isnull', True), ('left_on__gte', models.F('joined_on')), _connector='OR'), name='team_left_after_joined')],
                },
            )],
        ),
    ]
