import django.db.models.functions.text
from django.db import migrations, models

from programs.table_stats import analyze


def analyze_users(apps, schema_editor):
    # PostgreSQL keeps no statistics on an indexed expression until ANALYZE:
    # until then it guesses 60 people per address and leaves the new index
    # unused in joins (the import's profile lookup read 11,000 profiles).
    analyze([apps.get_model("mentorship", "User")])


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("mentorship", "0013_end_contracts_of_closed_cycles"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                django.db.models.functions.text.Upper("email"), name="user_email_upper"
            ),
        ),
        migrations.RunPython(analyze_users, migrations.RunPython.noop, elidable=True),
    ]
