from django.db import migrations

from gongzhi.core.triggers import append_only


class Migration(migrations.Migration):
    """An election's rolls, its "has voted" records, its anonymous ballots and their marks are kept for ever: the
    database refuses to change or delete them (and TRUNCATE on PostgreSQL)."""

    dependencies = [("democracy", "0004_elections")]

    operations = [append_only("democracy_roundelector"), append_only("democracy_roundvotecast"),
                  append_only("democracy_electionballot"), append_only("democracy_ballotmark")]
