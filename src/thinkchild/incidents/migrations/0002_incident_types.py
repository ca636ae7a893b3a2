from django.db import migrations

TYPES = [
    ("domestic_abuse", "Domestic abuse"),
    ("concern_for_child", "Concern for a child"),
    ("missing_person", "Missing person"),
    ("cse", "Child sexual exploitation"),
    ("online_abuse", "Online child abuse"),
    ("sexual_offence", "Sexual offence"),
    ("neglect", "Neglect"),
    ("physical_abuse", "Physical abuse"),
    ("assault", "Assault"),
    ("antisocial_behaviour", "Antisocial behaviour"),
    ("public_order", "Public order"),
    ("theft", "Theft"),
    ("criminal_exploitation", "Child criminal exploitation"),
    ("mental_health", "Mental health"),
]


def add_types(apps, schema_editor):
    IncidentType = apps.get_model("incidents", "IncidentType")
    for code, name in TYPES:
        IncidentType.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
