"""Cycles closed before closing ended contracts: their accepted engagements
end and their matched enrollments finish, as closing now does, so a closed
cycle reads the same whenever it was closed. Nothing to undo: the reverse
leaves the rows as they are."""

from django.db import migrations


def end_contracts(apps, schema_editor):
    Engagement = apps.get_model("mentorship", "Engagement")
    Enrollment = apps.get_model("mentorship", "Enrollment")
    Engagement.objects.filter(cycle__stage="closed", status="accepted").update(status="ended")
    Enrollment.objects.filter(cycle__stage="closed", status="matched").update(status="finished")


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0012_enrollment_status_finished"),
        ("programs", "0010_pending_task"),
    ]

    operations = [migrations.RunPython(end_contracts, migrations.RunPython.noop)]
