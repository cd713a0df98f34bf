from django.db import migrations

from gongzhi.core.triggers import append_only


class Migration(migrations.Migration):
    """An item's history is kept for ever: the database refuses to change or delete it."""

    dependencies = [("publicity", "0001_initial")]

    operations = [append_only("publicity_itemevent")]
