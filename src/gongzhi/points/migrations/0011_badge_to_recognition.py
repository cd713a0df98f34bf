"""Titles and badges moved to the recognition app: the model leaves the points app's state; its
table (``points_badge``) stays where it is and is taken over by ``recognition.Badge``."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('points', '0010_exact_totals'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Badge')],
            database_operations=[],
        ),
    ]
