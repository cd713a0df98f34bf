from django.db import migrations

from gongzhi.core.triggers import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [refuse_truncate("core_auditevent")]
