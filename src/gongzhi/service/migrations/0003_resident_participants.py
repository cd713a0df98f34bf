
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0005_external_transfers'),
        ('service', '0002_teams_series_and_who_may_join'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='checkin',
            name='resident',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='checkins', to='members.resident', verbose_name='resident'),
        ),
        migrations.AddField(
            model_name='signup',
            name='resident',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='signups', to='members.resident', verbose_name='resident'),
        ),
        migrations.AlterField(
            model_name='checkin',
            name='member',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='checkins', to='members.member', verbose_name='member'),
        ),
        migrations.AlterField(
            model_name='signup',
            name='member',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='signups', to='members.member', verbose_name='member'),
        ),
        migrations.AddConstraint(
            model_name='checkin',
            constraint=models.UniqueConstraint(fields=('resident', 'activity'), name='checkin_once_resident'),
        ),
        migrations.AddConstraint(
            model_name='checkin',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('member__isnull', False), ('resident__isnull', True)), models.Q(('member__isnull', True), ('resident__isnull', False)), _connector='OR'), name='checkin_member_or_resident'),
        ),
        migrations.AddConstraint(
            model_name='signup',
            constraint=models.UniqueConstraint(fields=('resident', 'activity'), name='signup_once_resident'),
        ),
        migrations.AddConstraint(
            model_name='signup',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('member__isnull', False), ('resident__isnull', True)), models.Q(('member__isnull', True), ('resident__isnull', False)), _connector='OR'), name='signup_member_or_resident'),
        ),
    ]
