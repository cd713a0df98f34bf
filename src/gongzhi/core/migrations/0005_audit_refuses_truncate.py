from django.db import migrations

from gongzhi.core.triggers import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("core", "0004_seed_calendar")]

    operations = [refuse_truncate("core_auditevent")]
