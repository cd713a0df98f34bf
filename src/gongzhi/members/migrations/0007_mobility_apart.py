"""Mobility apart from the category of occupation; lost contact always with its date."""

from django.db import migrations


def mobility_apart_from_category(apps, schema_editor):
    """Being a mobile member becomes a flag beside the occupation: records of the former category
    "mobile" become mobile members of the category "other occupation" (their occupation was never
    recorded); a destination marks a mobile member. A lost-contact record without its date gets the
    date of its last change, the earliest date the record is known to say so."""
    Member = apps.get_model("members", "Member")
    Member.objects.filter(category="mobile").update(category="other", is_mobile_member=True)
    Member.objects.exclude(mobile_destination="").update(is_mobile_member=True)
    for member in Member.objects.filter(standing="lost_contact", lost_contact_since__isnull=True):
        member.lost_contact_since = member.updated_at.date()
        member.save(update_fields=["lost_contact_since"])


class Migration(migrations.Migration):
    dependencies = [("members", "0006_roster_columns")]

    operations = [migrations.RunPython(mobility_apart_from_category, migrations.RunPython.noop)]
