"""The money app's migrations 0001_initial … 0004_sealed_income_base in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints, then what the chain ran in SQL and data.

Left out: 0004's sealing of the income bases stored plain, for rows a new database does not have.
"""

import django.core.validators
import django.db.models.deletion
import gongzhi.core.fields
import gongzhi.core.migration_operations
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

from datetime import date
from decimal import Decimal

from gongzhi.core import triggers
from gongzhi.core.migration_operations import RunSchemaPython

EFFECTIVE = date(2008, 4, 1)
SALARY = [("3000.00", "0.5"), ("5000.00", "1"), ("10000.00", "1.5"), (None, "2")]
PENSION = [("5000.00", "0.5"), (None, "1")]
FIXED = {"rural": "0.50", "student": "0.20", "unemployed": "0.20", "welfare": "0.20"}


def seed_rates(apps, schema_editor):
    """The dues rates of the 2008 rules as data (see the replaced ``0003_seed_rates``)."""
    rate = apps.get_model("money", "DuesRate")
    if rate.objects.exists():
        return
    rows = [rate(basis=basis, up_to=Decimal(up_to) if up_to else None, percent=Decimal(percent),
                 effective_from=EFFECTIVE, note="2008")
            for basis, brackets in (("salary", SALARY), ("pension", PENSION)) for up_to, percent in brackets]
    rows += [rate(basis=basis, fixed=Decimal(amount), effective_from=EFFECTIVE, note="2008")
             for basis, amount in FIXED.items()]
    rate.objects.bulk_create(rows)


def ledgers_append_only(apps, schema_editor):
    for table in ("money_duespayment", "money_fundsentry"):
        for sql in triggers.append_only_statements(schema_editor.connection.vendor, table):
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    replaces = [('money', '0001_initial'), ('money', '0002_ledgers_append_only'), ('money', '0003_seed_rates'), ('money', '0004_sealed_income_base')]

    initial = True

    dependencies = [
        ('meetings', '0001_squashed_0005_merge_0004_members_meeting_0004_sealed_leave_reason'),
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        ('service', '0001_squashed_0005_checkin_checkin_member_time'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        gongzhi.core.migration_operations.CreateModels(
            operations=[migrations.CreateModel(
                name='BudgetLine',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                    ('source', models.CharField(choices=[('allocation', 'Allocated by the level above'), ('dues_return', 'Dues returned or allocated'), ('cobuilding', 'Support from co-building units'), ('welfare_fund', 'Community public welfare fund'), ('other', 'Other')], max_length=16, verbose_name='source')),
                    ('purpose', models.CharField(choices=[('activities', 'Activities and services for residents'), ('education', 'Study and education'), ('care', 'Visits and help for people in need'), ('premises', 'Premises and equipment'), ('other', 'Other')], max_length=16, verbose_name='purpose')),
                    ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='budget')),
                    ('spent', models.DecimalField(decimal_places=2, default=Decimal('0.00'), editable=False, max_digits=12, verbose_name='spent')),
                    ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='budget_lines', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'budget line',
                    'verbose_name_plural': 'budget lines',
                    'ordering': ['organization', '-year', 'source', 'purpose'],
                    'constraints': [models.UniqueConstraint(fields=('organization', 'year', 'source', 'purpose'), name='money_budget_line_once'), models.CheckConstraint(condition=models.Q(('amount__gte', 0), ('amount__lte', Decimal('100000000.00'))), name='money_budget_amount_range'), models.CheckConstraint(condition=models.Q(('spent__gte', 0), ('spent__lte', models.F('amount'))), name='money_budget_never_overspent')],
                },
            ), migrations.CreateModel(
                name='DuesBase',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                    ('basis', models.CharField(choices=[('salary', 'Regular after-tax monthly income'), ('pension', 'Monthly pension'), ('rural', 'Rural member (fixed amount)'), ('student', 'Student (fixed amount)'), ('unemployed', 'Unemployed (fixed amount)'), ('welfare', 'On welfare (fixed amount)')], max_length=16, verbose_name='basis')),
                    ('amount', models.DecimalField(blank=True, decimal_places=2, help_text='Regular after-tax monthly income, or the monthly pension.', max_digits=12, null=True, verbose_name='monthly income base')),
                    ('declared_at', models.DateTimeField(auto_now=True)),
                    ('declared_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='dues_bases', to='members.member', verbose_name='party member')),
                ],
                options={
                    'verbose_name': 'dues base',
                    'verbose_name_plural': 'dues bases',
                    'ordering': ['-year'],
                    'constraints': [models.UniqueConstraint(fields=('member', 'year'), name='money_base_once_a_year'), models.CheckConstraint(condition=models.Q(models.Q(('basis__in', ['salary', 'pension']), _negated=True), ('amount__isnull', False), _connector='OR'), name='money_base_amount_when_needed')],
                },
            ), migrations.CreateModel(
                name='DuesHandover',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount')),
                    ('handed_on', models.DateField(verbose_name='handed over on')),
                    ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                    ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='receipt confirmed at')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='receipt confirmed by')),
                    ('handed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handed over by (person)')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='handed over by')),
                    ('receiver', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='handed over to')),
                ],
                options={
                    'verbose_name': 'dues hand-over',
                    'verbose_name_plural': 'dues hand-overs',
                    'ordering': ['-handed_on', '-id'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('amount__gt', 0), ('amount__lte', Decimal('100000000.00'))), name='money_handover_amount_positive'), models.CheckConstraint(condition=models.Q(('confirmed_by__isnull', True), models.Q(('confirmed_by', models.F('handed_by')), _negated=True), _connector='OR'), name='money_handover_confirmed_by_another')],
                },
            ), migrations.CreateModel(
                name='DuesPayment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('month', models.DateField(help_text='The first day of the month paid for.', verbose_name='month')),
                    ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount')),
                    ('due', models.DecimalField(blank=True, decimal_places=2, help_text='What the rates asked for the month.', max_digits=12, null=True, verbose_name='due')),
                    ('voluntary', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=12, verbose_name='paid voluntarily')),
                    ('large_voluntary', models.BooleanField(default=False, verbose_name='large voluntary payment')),
                    ('method', models.CharField(choices=[('cash', 'Cash'), ('transfer', 'Transfer'), ('statement', 'Bank or payment statement')], default='cash', max_length=16, verbose_name='paid by')),
                    ('paid_on', models.DateField(verbose_name='paid on')),
                    ('paid_for_by', models.CharField(blank=True, help_text='代缴: who paid for a member who is away.', max_length=50, verbose_name="paid on the member's behalf by")),
                    ('attempt', models.PositiveSmallIntegerField(default=1, editable=False)),
                    ('key', models.CharField(max_length=120, unique=True)),
                    ('reason', models.CharField(blank=True, max_length=200, verbose_name='reason')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                    ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='dues_payments', to='members.member', verbose_name='party member')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='collected by')),
                    ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ('reverses', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='money.duespayment', verbose_name='reverses')),
                ],
                options={
                    'verbose_name': 'dues payment',
                    'verbose_name_plural': 'dues payments',
                    'ordering': ['-month', '-id'],
                    'indexes': [models.Index(fields=['organization', 'month'], name='money_duesp_organiz_0e8547_idx'), models.Index(fields=['member', 'month'], name='money_duesp_member__0d675a_idx')],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('reverses__isnull', True)), fields=('member', 'month', 'attempt'), name='money_one_payment_per_member_month'), models.CheckConstraint(condition=models.Q(('reverses__isnull', False), models.Q(('amount__gt', 0), ('amount__lte', Decimal('1000000.00'))), _connector='OR'), name='money_payment_amount_range'), models.CheckConstraint(condition=models.Q(('reverses__isnull', True), ('amount__lt', 0), _connector='OR'), name='money_reversal_is_negative'), models.CheckConstraint(condition=models.Q(('voluntary__gte', 0)), name='money_voluntary_not_negative')],
                },
            ), migrations.CreateModel(
                name='DuesRate',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('basis', models.CharField(choices=[('salary', 'Regular after-tax monthly income'), ('pension', 'Monthly pension'), ('rural', 'Rural member (fixed amount)'), ('student', 'Student (fixed amount)'), ('unemployed', 'Unemployed (fixed amount)'), ('welfare', 'On welfare (fixed amount)')], max_length=16, verbose_name='basis')),
                    ('up_to', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='up to (yuan a month)')),
                    ('percent', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='share (%)')),
                    ('fixed', models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True, verbose_name='fixed amount (yuan a month)')),
                    ('effective_from', models.DateField(verbose_name='effective from')),
                    ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                ],
                options={
                    'verbose_name': 'dues rate',
                    'verbose_name_plural': 'dues rates',
                    'ordering': ['basis', '-effective_from', models.OrderBy(models.F('up_to'), nulls_last=True)],
                    'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('percent__isnull', False), ('fixed__isnull', True)), models.Q(('percent__isnull', True), ('fixed__isnull', False)), _connector='OR'), name='money_rate_percent_or_fixed'), models.CheckConstraint(condition=models.Q(('percent__isnull', True), models.Q(('percent__gt', 0), ('percent__lte', 100)), _connector='OR'), name='money_rate_percent_range'), models.CheckConstraint(condition=models.Q(('fixed__isnull', True), ('fixed__gte', 0), _connector='OR'), name='money_rate_fixed_positive'), models.UniqueConstraint(fields=('basis', 'effective_from', 'up_to'), name='money_rate_unique_bracket')],
                },
            ), migrations.CreateModel(
                name='Expenditure',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('spent_on', models.DateField(verbose_name='date')),
                    ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount')),
                    ('purpose', models.CharField(max_length=200, verbose_name='what for')),
                    ('payee', models.CharField(max_length=100, verbose_name='payee')),
                    ('receipt', models.FileField(upload_to='money/receipts/%Y/', verbose_name='receipt')),
                    ('receipt_type', models.CharField(editable=False, max_length=40)),
                    ('status', models.CharField(choices=[('pending', 'Waiting for approval'), ('counted', 'Counted'), ('refused', 'Refused'), ('reversed', 'Reversed')], default='pending', max_length=16, verbose_name='status')),
                    ('key', models.CharField(max_length=64, unique=True)),
                    ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                    ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='service.activity', verbose_name='activity')),
                    ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by')),
                    ('entered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
                    ('line', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='expenditures', to='money.budgetline', verbose_name='budget line')),
                    ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='meetings.meeting', verbose_name='meeting')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='expenditures', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'expenditure',
                    'verbose_name_plural': 'expenditures',
                    'ordering': ['-spent_on', '-id'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('amount__gt', 0), ('amount__lte', Decimal('1000000.00'))), name='money_expenditure_amount_range'), models.CheckConstraint(condition=models.Q(('approved_by__isnull', True), models.Q(('approved_by', models.F('entered_by')), _negated=True), _connector='OR'), name='money_expenditure_approved_by_another')],
                },
            ), migrations.CreateModel(
                name='FundsEntry',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='amount')),
                    ('occurred_on', models.DateField(verbose_name='date')),
                    ('reason', models.CharField(blank=True, max_length=200, verbose_name='reason')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('expenditure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='money.expenditure', verbose_name='expenditure')),
                    ('line', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='money.budgetline', verbose_name='budget line')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='orgs.organization', verbose_name='organization')),
                    ('posted_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('reverses', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversed_by', to='money.fundsentry', verbose_name='reverses')),
                ],
                options={
                    'verbose_name': 'funds entry',
                    'verbose_name_plural': 'funds entries',
                    'ordering': ['-occurred_on', '-id'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('reverses__isnull', True)), fields=('expenditure',), name='money_expenditure_counted_once'), models.CheckConstraint(condition=models.Q(('reverses__isnull', False), ('amount__gt', 0), _connector='OR'), name='money_funds_entry_positive'), models.CheckConstraint(condition=models.Q(('reverses__isnull', True), ('amount__lt', 0), _connector='OR'), name='money_funds_reversal_negative')],
                },
            ), migrations.CreateModel(
                name='FundsSettings',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('approval_above', models.DecimalField(decimal_places=2, default=Decimal('500.00'), max_digits=12, verbose_name='approval needed above (yuan)')),
                    ('organization', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='funds_settings', to='orgs.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'funds settings',
                    'verbose_name_plural': 'funds settings',
                    'constraints': [models.CheckConstraint(condition=models.Q(('approval_above__gte', 0)), name='money_approval_not_negative')],
                },
            )],
        ),
        # Made a DecimalField, then sealed, as 0004 did: PostgreSQL re-parses the CHECK constraint on
        # ``amount`` when its type changes, and stores it as the chain left it.
        migrations.AlterField(
            model_name='duesbase',
            name='amount',
            field=gongzhi.core.fields.EncryptedDecimalField(blank=True, decimal_places=2, help_text='Regular after-tax monthly income, or the monthly pension.', max_digits=12, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(Decimal('1000000.00'))], verbose_name='monthly income base'),
        ),
        RunSchemaPython(ledgers_append_only, elidable=False),
        migrations.RunPython(seed_rates, migrations.RunPython.noop, elidable=False),
    ]
