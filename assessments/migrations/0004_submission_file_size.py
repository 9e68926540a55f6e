from django.core.files.storage import default_storage
from django.db import migrations, models


def record_sizes(apps, schema_editor):
    """Fill in the size of the files of versions written before sizes were kept."""
    Submission = apps.get_model("assessments", "Submission")
    for pk, name in Submission.objects.exclude(file="").values_list("pk", "file").iterator():
        try:
            size = default_storage.size(name)
        except OSError:
            # A file lost from the disk takes no space.
            continue
        Submission.objects.filter(pk=pk).update(file_size=size)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_evaluation_and_survey"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="file_size",
            field=models.PositiveBigIntegerField(
                default=0, editable=False, verbose_name="file size (bytes)"
            ),
        ),
        migrations.AddConstraint(
            model_name="submission",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("file", ""), _negated=True), ("file_size", 0), _connector="OR"
                ),
                name="submission_no_file_no_size",
            ),
        ),
        migrations.RunPython(record_sizes, migrations.RunPython.noop, elidable=True),
    ]
