from django.db import migrations

from gongzhi.core.triggers import append_only


class Migration(migrations.Migration):
    """The histories of rectifications and complaints are kept for ever: the database refuses to change or
    delete them."""

    dependencies = [("supervision", "0001_initial")]

    operations = [append_only("supervision_rectificationevent"), append_only("supervision_complaintevent")]
