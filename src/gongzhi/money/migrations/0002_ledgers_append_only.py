from django.db import migrations

from gongzhi.core.triggers import append_only


class Migration(migrations.Migration):
    dependencies = [("money", "0001_initial")]

    operations = [append_only("money_duespayment"), append_only("money_fundsentry")]
