"""The rules of the new roster columns as constraints, and the job-position code tables seeded
(``members.jobcodes.SEED``)."""

import django.db.models.deletion
from django.db import migrations, models


def seed_job_code_tables(apps, schema_editor):
    from gongzhi.members.jobcodes import SEED

    JobCodeTable = apps.get_model("members", "JobCodeTable")
    JobCode = apps.get_model("members", "JobCode")
    for spec in SEED:
        if JobCodeTable.objects.filter(key=spec["key"]).exists():
            continue
        table = JobCodeTable.objects.create(key=spec["key"], name=spec["name"], description=spec["description"],
                                            is_default=spec["is_default"])
        JobCode.objects.bulk_create([JobCode(table=table, code=code, name=name, category=category)
                                     for code, name, category in spec["codes"]])


class Migration(migrations.Migration):
    dependencies = [("members", "0007_mobility_apart")]

    operations = [
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('standing', 'lost_contact'), _negated=True), ('lost_contact_since__isnull', False), _connector='OR'), name='lost_contact_has_date'),
        ),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.CheckConstraint(condition=models.Q(('is_mobile_member', True), ('mobile_destination', ''), _connector='OR'), name='destination_only_for_mobile_members'),
        ),
        migrations.AddConstraint(
            model_name='jobcodetable',
            constraint=models.UniqueConstraint(condition=models.Q(('is_default', True)), fields=('is_default',), name='one_default_job_code_table'),
        ),
        migrations.AddField(
            model_name='jobcode',
            name='table',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='codes', to='members.jobcodetable', verbose_name='code table'),
        ),
        migrations.AddConstraint(
            model_name='jobcode',
            constraint=models.UniqueConstraint(fields=('table', 'name'), name='job_code_name_unique'),
        ),
        migrations.AddConstraint(
            model_name='jobcode',
            constraint=models.UniqueConstraint(condition=models.Q(('code', ''), _negated=True), fields=('table', 'code'), name='job_code_code_unique'),
        ),
        migrations.RunPython(seed_job_code_tables, migrations.RunPython.noop),
    ]
