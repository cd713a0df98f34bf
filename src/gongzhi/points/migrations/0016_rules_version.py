"""The point rules' version (``points.rules``): its table, its first number and the triggers that change it with
every statement that adds, changes or removes point rules."""

from django.db import migrations, models

from gongzhi.points import rules


def forwards(apps, schema_editor):
    rules.install(schema_editor)
    first = "nextval('points_rulesversion_seq')" if schema_editor.connection.vendor == "postgresql" else "random()"
    schema_editor.execute(f"INSERT INTO points_rulesversion (id, version) VALUES (1, {first})")  # noqa: S608


def backwards(apps, schema_editor):
    rules.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('points', '0001_squashed_0015_total_year_rows_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='RulesVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.BigIntegerField()),
            ],
            options={
                'verbose_name': "point rules' version",
                'verbose_name_plural': "point rules' versions",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
