"""The accounts app's migrations 0002_initial … 0005_sealed_mobile in one (docs/architecture.md, "Migrations"): the tables as they stand, with their indexes and constraints.

Left out: 0005's sealing of the mobile numbers stored plain, for rows a new database does not have.
"""

import django.core.validators
import django.db.models.deletion
import gongzhi.accounts.models
import gongzhi.core.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [('accounts', '0002_initial'), ('accounts', '0003_role_kinds_treasurer_security_auditor'), ('accounts', '0004_home_organization_activation_codes'), ('accounts', '0005_sealed_mobile')]

    dependencies = [
        ('accounts', '0001_initial'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
    ]

    operations = [
        migrations.AddField(
            model_name='role',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roles', to='orgs.organization', verbose_name='organization'),
        ),
        migrations.AddField(
            model_name='role',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='roles', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.AddIndex(
            model_name='role',
            index=models.Index(fields=['user', 'starts_on'], name='accounts_ro_user_id_1e07be_idx'),
        ),
        migrations.AddConstraint(
            model_name='role',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='role_ends_after_start'),
        ),
        migrations.AlterField(
            model_name='role',
            name='kind',
            field=models.CharField(choices=[('street_admin', 'Street administrator'), ('community_secretary', 'Community secretary'), ('community_staff', 'Community staff'), ('branch_secretary', 'Branch secretary'), ('group_leader', 'Party group leader'), ('unit_admin', 'Co-building unit'), ('supervisor', 'Supervisor'), ('treasurer', 'Dues and funds clerk'), ('security_admin', 'Security administrator'), ('auditor', 'Auditor'), ('member', 'Party member'), ('resident', 'Resident')], max_length=32, verbose_name='role'),
        ),
        migrations.AlterModelManagers(
            name='user',
            managers=[
                ('objects', gongzhi.accounts.models.AccountManager()),
            ],
        ),
        migrations.AddField(
            model_name='user',
            name='home_organization',
            field=models.ForeignKey(blank=True, help_text='The organization whose staff and security administrator look after this account.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='orgs.organization', verbose_name='managed by'),
        ),
        migrations.CreateModel(
            name='ActivationCode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('purpose', models.CharField(choices=[('activate', 'First activation'), ('reset', 'Password reset')], max_length=16, verbose_name='purpose')),
                ('code_hash', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='issued')),
                ('expires_at', models.DateTimeField(verbose_name='valid until')),
                ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='used')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                ('failures', models.PositiveSmallIntegerField(default=0)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='issued by')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activation_codes', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'activation code',
                'verbose_name_plural': 'activation codes',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['user', 'used_at', 'revoked_at'], name='accounts_ac_user_id_5853c6_idx')],
            },
        ),
        migrations.AddField(
            model_name='user',
            name='mobile_bidx',
            field=gongzhi.core.fields.BlindIndexField(blank=True, kind='phone', max_length=64, null=True, source='mobile', unique=True),
        ),
        migrations.AlterField(
            model_name='user',
            name='mobile',
            field=gongzhi.core.fields.EncryptedCharField(blank=True, max_length=11, null=True, validators=[django.core.validators.RegexValidator('^1\\d{10}$', 'A mobile number has 11 digits and starts with 1.')], verbose_name='mobile number'),
        ),
    ]
