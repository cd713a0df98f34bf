from django.db import migrations

from gongzhi.core.triggers import append_only


class Migration(migrations.Migration):
    """The voter rolls, the "has voted" records and the secret ballots are kept for ever: the database refuses to
    change or delete them (and TRUNCATE on PostgreSQL)."""

    dependencies = [("democracy", "0001_initial")]

    operations = [append_only("democracy_elector"), append_only("democracy_votecast"),
                  append_only("democracy_secretballot")]
