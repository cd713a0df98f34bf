"""The account's scope version (``accounts.scope_version``): a random number, replaced by triggers
(``members.scope_triggers``, migration ``members 0010``)."""

import gongzhi.accounts.scope_version
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_squashed_0005_sealed_mobile'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='scope_version',
            field=models.BigIntegerField(default=gongzhi.accounts.scope_version.new_version, editable=False),
        ),
    ]
