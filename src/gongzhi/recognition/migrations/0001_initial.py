"""Titles and badges, taken over from the points app (same table)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orgs', '0001_initial'),
        ('points', '0011_badge_to_recognition'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The table exists (created by points 0008 as ``points_badge``): only the state moves.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Badge',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=40, verbose_name='title')),
                        ('icon', models.CharField(choices=[('star-fill', 'Star'), ('award-fill', 'Rosette'), ('trophy-fill', 'Trophy'), ('heart-fill', 'Heart'), ('patch-check-fill', 'Seal'), ('gem', 'Gem')], default='star-fill', max_length=20, verbose_name='icon')),
                        ('metric', models.CharField(choices=[('points', 'Points in the year'), ('hours', 'Service hours in the year'), ('activities', 'Activities attended in the year')], max_length=12, verbose_name='measured by')),
                        ('threshold', models.DecimalField(decimal_places=1, max_digits=8, verbose_name='at least')),
                        ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                        ('is_active', models.BooleanField(default=True, verbose_name='awarded')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='badges', to='orgs.organization', verbose_name='organization')),
                    ],
                    options={
                        'verbose_name': 'title or badge',
                        'verbose_name_plural': 'titles and badges',
                        'db_table': 'points_badge',
                        'ordering': ['organization__path', 'metric', 'threshold', 'name'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('threshold__gt', 0)), name='badge_threshold_positive'), models.UniqueConstraint(fields=('organization', 'name'), name='badge_name_unique')],
                    },
                ),
            ],
        ),
    ]
