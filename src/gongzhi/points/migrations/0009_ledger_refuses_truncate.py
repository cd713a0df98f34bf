from django.db import migrations

from gongzhi.core.triggers import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("points", "0008_badges")]

    operations = [refuse_truncate("points_pointentry")]
