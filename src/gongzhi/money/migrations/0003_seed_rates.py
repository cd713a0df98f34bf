"""The dues rates of the 2008 rules as data: brackets of the after-tax monthly income for in-service members
(≤3,000 yuan 0.5%; ≤5,000 1%; ≤10,000 1.5%; above 2%), of the pension for retirees (≤5,000 0.5%; above 1%),
and fixed monthly amounts for rural members (0.2–1 yuan: 0.50 as the default an administrator edits),
students, the unemployed and those on welfare (0.20). A change is added as rows from a later date."""

from datetime import date
from decimal import Decimal

from django.db import migrations

EFFECTIVE = date(2008, 4, 1)
SALARY = [("3000.00", "0.5"), ("5000.00", "1"), ("10000.00", "1.5"), (None, "2")]
PENSION = [("5000.00", "0.5"), (None, "1")]
FIXED = {"rural": "0.50", "student": "0.20", "unemployed": "0.20", "welfare": "0.20"}


def seed(apps, schema_editor):
    rate = apps.get_model("money", "DuesRate")
    if rate.objects.exists():
        return
    rows = [rate(basis=basis, up_to=Decimal(up_to) if up_to else None, percent=Decimal(percent),
                 effective_from=EFFECTIVE, note="2008")
            for basis, brackets in (("salary", SALARY), ("pension", PENSION)) for up_to, percent in brackets]
    rows += [rate(basis=basis, fixed=Decimal(amount), effective_from=EFFECTIVE, note="2008")
             for basis, amount in FIXED.items()]
    rate.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("money", "0002_ledgers_append_only")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
