"""The points app's migrations 0001_initial … 0015_total_year_rows_index in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints, then what the chain ran in SQL and data.

Left out: the totals rebuilt from the ledger (0007, 0010) and the keys filled from it (0012), for rows a new database does not have.
"""

import django.db.models.deletion
import gongzhi.core.migration_operations
from django.conf import settings
from django.db import migrations, models

from gongzhi.core import partitions, triggers
from gongzhi.core.migration_operations import RunSchemaPython
from gongzhi.points import keys, totals


def ledger(apps, schema_editor):
    """The ledger append-only, with its totals and keys triggers (``points.totals``, ``points.keys``); on
    PostgreSQL partitioned by year on ``occurred_on``, the append-only triggers on every partition."""
    if schema_editor.connection.vendor == "postgresql":
        for sql in triggers.append_only_statements("postgresql", "points_pointentry"):
            schema_editor.execute(sql)
        totals.install(schema_editor)
        partitions.convert(schema_editor, "points_pointentry", "occurred_on")
        triggers.install_partitioned_append_only(schema_editor, "points_pointentry")
    else:
        for sql in triggers.append_only_statements("sqlite", "points_pointentry"):
            schema_editor.execute(sql)
    totals.install(schema_editor)
    keys.install(schema_editor)


class Migration(migrations.Migration):

    replaces = [('points', '0001_initial'), ('points', '0002_ledger_append_only'), ('points', '0003_orgpointssettings'), ('points', '0004_reward_redemption_reward_reward_stock_not_negative_and_more'), ('points', '0005_redemption_hand_over'), ('points', '0006_manual_awards'), ('points', '0007_point_totals'), ('points', '0008_badges'), ('points', '0009_ledger_refuses_truncate'), ('points', '0010_exact_totals'), ('points', '0011_badge_to_recognition'), ('points', '0012_partitioned_ledger'), ('points', '0012_ledger_keyset_index'), ('points', '0013_merge_keyset_index_and_partitions'), ('points', '0014_redemption_index'), ('points', '0015_total_year_rows_index')]

    initial = True

    dependencies = [
        ('core', '0001_squashed_0006_partitioned_audit'),
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='PointRule',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(choices=[('service_hour', 'Service, per hour'), ('activity', 'Taking part in an activity'), ('no_show', 'Absent after signing up, without leave'), ('meeting_attendance', 'Meeting attendance'), ('meeting_absence', 'Unexcused meeting absence'), ('study', 'Study'), ('quiz_passed', 'Quiz passed'), ('training_completed', 'Training completed'), ('request_resolved', 'Resident request resolved'), ('wish_fulfilled', 'Small wish fulfilled'), ('visit', 'Home visit to a paired resident'), ('manual_award', 'Manual award'), ('manual_deduction', 'Manual deduction'), ('redemption', 'Redeemed in the points shop'), ('reversal', 'Correction (reversal)')], max_length=32, verbose_name='rule')),
                    ('activity_kind', models.CharField(blank=True, help_text='Empty: every kind.', max_length=32, verbose_name='activity kind')),
                    ('points', models.DecimalField(decimal_places=1, max_digits=7, verbose_name='points')),
                    ('per_hour', models.BooleanField(default=False, verbose_name='per hour')),
                    ('monthly_cap', models.DecimalField(blank=True, decimal_places=1, max_digits=8, null=True, verbose_name='monthly cap')),
                    ('yearly_cap', models.DecimalField(blank=True, decimal_places=1, max_digits=8, null=True, verbose_name='yearly cap')),
                    ('effective_from', models.DateField(verbose_name='effective from')),
                    ('effective_to', models.DateField(blank=True, null=True, verbose_name='effective until')),
                    ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='point_rules', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'point rule',
                    'verbose_name_plural': 'point rules',
                    'ordering': ['organization', 'code', '-effective_from'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('monthly_cap__isnull', True), ('monthly_cap__gte', 0), _connector='OR'), name='rule_monthly_cap_not_negative'), models.CheckConstraint(condition=models.Q(('yearly_cap__isnull', True), ('yearly_cap__gte', 0), _connector='OR'), name='rule_yearly_cap_not_negative'), models.CheckConstraint(condition=models.Q(('effective_to__isnull', True), ('effective_to__gte', models.F('effective_from')), _connector='OR'), name='rule_period_ordered')],
                },
            ), migrations.CreateModel(
                name='PointEntry',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('points', models.DecimalField(decimal_places=1, max_digits=8, verbose_name='points')),
                    ('code', models.CharField(choices=[('service_hour', 'Service, per hour'), ('activity', 'Taking part in an activity'), ('no_show', 'Absent after signing up, without leave'), ('meeting_attendance', 'Meeting attendance'), ('meeting_absence', 'Unexcused meeting absence'), ('study', 'Study'), ('quiz_passed', 'Quiz passed'), ('training_completed', 'Training completed'), ('request_resolved', 'Resident request resolved'), ('wish_fulfilled', 'Small wish fulfilled'), ('visit', 'Home visit to a paired resident'), ('manual_award', 'Manual award'), ('manual_deduction', 'Manual deduction'), ('redemption', 'Redeemed in the points shop'), ('reversal', 'Correction (reversal)')], max_length=32, verbose_name='rule')),
                    ('source_type', models.CharField(blank=True, max_length=64, verbose_name='source')),
                    ('source_id', models.CharField(blank=True, max_length=64)),
                    ('idempotency_key', models.CharField(db_index=True, max_length=160)),
                    ('hours', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='hours')),
                    ('occurred_on', models.DateField(db_index=True, verbose_name='date')),
                    ('reason', models.CharField(blank=True, max_length=200, verbose_name='reason')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='posted at')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='point_entries', to='members.member', verbose_name='member')),
                    ('organization', models.ForeignKey(help_text='The organization the points were earned in (for scoping and rankings).', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organization')),
                    ('posted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='posted by')),
                    ('reverses', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='points.pointentry', verbose_name='reverses')),
                    ('rule', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='points.pointrule')),
                ],
                options={
                    'verbose_name': 'points entry',
                    'verbose_name_plural': 'points entries',
                    'ordering': ['-occurred_on', '-id'],
                    'indexes': [models.Index(fields=['member', 'occurred_on'], name='points_poin_member__949c46_idx'), models.Index(fields=['organization', 'occurred_on'], name='points_poin_organiz_e7c1de_idx'), models.Index(fields=['occurred_on', 'id'], name='entry_day_id'), models.Index(condition=models.Q(('code', 'redemption')), fields=['id'], name='entry_redemption')],
                },
            ), migrations.CreateModel(
                name='OrgPointsSettings',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('rankings_visible_to_members', models.BooleanField(default=False, verbose_name='members see their own rank')),
                    ('organization', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='points_settings', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'points settings',
                    'verbose_name_plural': 'points settings',
                },
            ), migrations.CreateModel(
                name='Reward',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=100, verbose_name='name')),
                    ('price', models.DecimalField(decimal_places=1, max_digits=7, verbose_name='price in points')),
                    ('stock', models.IntegerField(verbose_name='stock')),
                    ('is_active', models.BooleanField(default=True, verbose_name='on offer')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rewards', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'reward',
                    'verbose_name_plural': 'rewards',
                    'ordering': ['price', 'name'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('stock__gte', 0)), name='reward_stock_not_negative'), models.CheckConstraint(condition=models.Q(('price__gt', 0)), name='reward_price_positive')],
                },
            ), migrations.CreateModel(
                name='Redemption',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('points', models.DecimalField(decimal_places=1, max_digits=8, verbose_name='points')),
                    ('idempotency_key', models.CharField(max_length=80, unique=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='redeemed at')),
                    ('entry', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='redemption', to='points.pointentry')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='redemptions', to='members.member', verbose_name='member')),
                    ('reward', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='redemptions', to='points.reward', verbose_name='reward')),
                    ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled at')),
                    ('handed_over_at', models.DateTimeField(blank=True, null=True, verbose_name='handed over at')),
                    ('handed_over_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handed over by')),
                ],
                options={
                    'verbose_name': 'redemption',
                    'verbose_name_plural': 'redemptions',
                    'ordering': ['-created_at'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('handed_over_at__isnull', True), ('cancelled_at__isnull', True), _connector='OR'), name='redemption_handed_or_cancelled')],
                },
            ), migrations.CreateModel(
                name='ManualAward',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('points', models.DecimalField(decimal_places=1, max_digits=7, verbose_name='points')),
                    ('reason', models.CharField(max_length=200, verbose_name='reason')),
                    ('status', models.CharField(choices=[('pending', 'Awaiting approval'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='pending', max_length=10, verbose_name='status')),
                    ('proposed_at', models.DateTimeField(auto_now_add=True, verbose_name='proposed at')),
                    ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                    ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                    ('entry', models.OneToOneField(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='points.pointentry')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='manual_awards', to='members.member', verbose_name='member')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organization')),
                    ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposed by')),
                ],
                options={
                    'verbose_name': 'manual award or deduction',
                    'verbose_name_plural': 'manual awards and deductions',
                    'ordering': ['-proposed_at', '-id'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('points', 0), _negated=True), name='manual_award_not_zero'), models.CheckConstraint(condition=models.Q(('decided_by__isnull', True), models.Q(('decided_by', models.F('proposed_by')), _negated=True), _connector='OR'), name='manual_award_second_person')],
                },
            ), migrations.CreateModel(
                name='PointTotal',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.SmallIntegerField(verbose_name='year')),
                    ('month', models.SmallIntegerField(help_text='0: the whole year.', verbose_name='month')),
                    ('points', models.DecimalField(decimal_places=1, max_digits=10, verbose_name='points')),
                    ('entries', models.IntegerField(verbose_name='entries')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='point_totals', to='members.member', verbose_name='member')),
                ],
                options={
                    'verbose_name': 'points total',
                    'verbose_name_plural': 'points totals',
                    'indexes': [models.Index(fields=['year', 'month', 'member'], name='point_total_period'), models.Index(condition=models.Q(('month', 0)), fields=['member'], name='point_total_year_rows')],
                    'constraints': [models.UniqueConstraint(fields=('member', 'year', 'month'), name='point_total_unique')],
                },
            ), migrations.CreateModel(
                name='PointEntryKey',
                fields=[
                    ('entry', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='key', serialize=False, to='points.pointentry')),
                    ('idempotency_key', models.CharField(max_length=160, unique=True)),
                    ('reverses', models.OneToOneField(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='points.pointentry')),
                ],
                options={
                    'verbose_name': 'points entry key',
                    'verbose_name_plural': 'points entry keys',
                },
            )],
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.CreateModel(
                    name='Badge',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=40, verbose_name='title')),
                        ('icon', models.CharField(choices=[('star-fill', 'Star'), ('award-fill', 'Rosette'), ('trophy-fill', 'Trophy'), ('heart-fill', 'Heart'), ('patch-check-fill', 'Seal'), ('gem', 'Gem')], default='star-fill', max_length=20, verbose_name='icon')),
                        ('metric', models.CharField(choices=[('points', 'Points in the year'), ('hours', 'Service hours in the year'), ('activities', 'Activities attended in the year')], max_length=12, verbose_name='measured by')),
                        ('threshold', models.DecimalField(decimal_places=1, max_digits=8, verbose_name='at least')),
                        ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                        ('is_active', models.BooleanField(default=True, verbose_name='awarded')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='badges', to='orgs.organization', verbose_name='organization')),
                    ],
                    options={
                        'verbose_name': 'title or badge',
                        'verbose_name_plural': 'titles and badges',
                        'ordering': ['organization__path', 'metric', 'threshold', 'name'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('threshold__gt', 0)), name='badge_threshold_positive'), models.UniqueConstraint(fields=('organization', 'name'), name='badge_name_unique')],
                    },
                ),
            ],
        ),
        RunSchemaPython(ledger, elidable=False),
    ]
