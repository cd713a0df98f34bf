from django.db import migrations

from gongzhi.core.triggers import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("voice", "0003_provisional_deadlines")]

    operations = [refuse_truncate("voice_consultationevent")]
