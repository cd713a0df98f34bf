from django.db import migrations

from gongzhi.core.triggers import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("meetings", "0002_votes_append_only")]

    operations = [refuse_truncate("meetings_ballot"), refuse_truncate("meetings_voteroll")]
