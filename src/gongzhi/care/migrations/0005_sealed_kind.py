# The kind of care need (vulnerability status) is sealed like its details; its blind index carries the
# uniqueness per resident, the registry's filter and the counts by kind (docs/security.md).

import gongzhi.core.fields
from gongzhi.core.keys import encrypt_existing
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('care', '0004_merge_0003_sealed_notes_0003_visit_visit_pairing_day'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='caretag',
            options={'ordering': ['resident', 'id'], 'verbose_name': 'care tag', 'verbose_name_plural': 'care tags'},
        ),
        migrations.RemoveConstraint(
            model_name='caretag',
            name='care_tag_unique',
        ),
        migrations.AddField(
            model_name='caretag',
            name='kind_bidx',
            field=gongzhi.core.fields.BlindIndexField(blank=True, kind='code', max_length=64, null=True,
                                                      source='kind'),
        ),
        migrations.AlterField(
            model_name='caretag',
            name='kind',
            field=gongzhi.core.fields.EncryptedCharField(
                choices=[('alone', 'Elderly living alone'), ('empty_nest', 'Empty-nest elderly'),
                         ('disability', 'Person with a disability'), ('low_income', 'Subsistence allowance household'),
                         ('left_behind', 'Left-behind child'), ('illness', 'Serious illness'),
                         ('other', 'Other difficulty')],
                max_length=16, verbose_name='care need'),
        ),
        # Seal the kinds stored plain today, in batches, and fill their blind indexes (core.keys).
        encrypt_existing("care.CareTag"),
        migrations.AddConstraint(
            model_name='caretag',
            constraint=models.UniqueConstraint(fields=('resident', 'kind_bidx'), name='care_tag_unique'),
        ),
    ]
