from django.db import migrations

from gongzhi.core.triggers import append_only


class Migration(migrations.Migration):
    """The steps a person passed, their documents and the assessment records are kept for ever: the database
    refuses to change or delete them (and TRUNCATE on PostgreSQL). A person's standing moves on through new steps,
    never by rewriting old ones."""

    dependencies = [("recruitment", "0001_initial")]

    operations = [append_only("recruitment_step"), append_only("recruitment_stepdocument"),
                  append_only("recruitment_assessment")]
