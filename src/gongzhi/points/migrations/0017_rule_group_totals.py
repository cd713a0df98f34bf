"""What the caps count, per member, rule group and period (``RuleGroupTotal``, ``points.caps``): its table, its
trigger on the ledger and its rows computed from the ledger as it stands (the entries with a rule and their
reversals)."""

import django.db.models.deletion
from django.db import migrations, models

from gongzhi.points import caps


def forwards(apps, schema_editor):
    caps.install(schema_editor)
    caps.rebuild(schema_editor.connection)


def backwards(apps, schema_editor):
    caps.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0001_squashed_0009_sealed_personal_fields'),
        ('orgs', '0001_squashed_0003_sealed_contact_phone'),
        ('points', '0016_rules_version'),
    ]

    operations = [
        migrations.CreateModel(
            name='RuleGroupTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(choices=[('service_hour', 'Service, per hour'), ('activity', 'Taking part in an activity'), ('no_show', 'Absent after signing up, without leave'), ('meeting_attendance', 'Meeting attendance'), ('meeting_absence', 'Unexcused meeting absence'), ('study', 'Study'), ('quiz_passed', 'Quiz passed'), ('training_completed', 'Training completed'), ('request_resolved', 'Resident request resolved'), ('wish_fulfilled', 'Small wish fulfilled'), ('visit', 'Home visit to a paired resident'), ('manual_award', 'Manual award'), ('manual_deduction', 'Manual deduction'), ('redemption', 'Redeemed in the points shop'), ('reversal', 'Correction (reversal)')], max_length=32, verbose_name='rule')),
                ('year', models.SmallIntegerField(verbose_name='year')),
                ('month', models.SmallIntegerField(help_text='0: the whole year.', verbose_name='month')),
                ('points', models.DecimalField(decimal_places=1, max_digits=10, verbose_name='points')),
                ('member', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='members.member', verbose_name='member')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organization', verbose_name='organization')),
            ],
            options={
                'verbose_name': 'points of a rule group',
                'verbose_name_plural': 'points of rule groups',
                'constraints': [models.UniqueConstraint(fields=('member', 'organization', 'code', 'year', 'month'), name='rule_group_total_unique')],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
