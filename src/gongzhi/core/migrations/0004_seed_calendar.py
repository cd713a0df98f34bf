"""Seed the holiday table from the chinese-calendar package for every year it knows (each such year is
complete); later years are entered by administrators on the holiday page."""

from django.db import migrations


def seed(apps, schema_editor):
    from gongzhi.core.workdays import package_days, package_years

    CalendarDay = apps.get_model("core", "CalendarDay")
    CalendarYear = apps.get_model("core", "CalendarYear")
    known = set(CalendarYear.objects.values_list("year", flat=True))
    for year in package_years():
        if year in known or not 2000 <= year <= 2100:
            continue
        present = set(CalendarDay.objects.filter(day__year=year).values_list("day", flat=True))
        CalendarDay.objects.bulk_create([
            CalendarDay(day=day, kind=kind, festival=festival, name=name, source="package")
            for day, kind, festival, name in package_days(year) if day not in present])
        CalendarYear.objects.create(year=year, source="package")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_working_day_calendar")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
