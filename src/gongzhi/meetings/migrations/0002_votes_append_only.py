from django.db import migrations

from gongzhi.core.triggers import append_only


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [append_only("meetings_ballot"), append_only("meetings_voteroll")]
