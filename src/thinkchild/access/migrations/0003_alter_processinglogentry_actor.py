"""Drop the actor's own index: the (actor, -occurred_at) index serves lookups by actor.

Only the index is dropped. A plain AlterField would remake the table on SQLite and lose the
append-only trigger of 0002 with it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _actor_indexes(schema_editor, model) -> list[str]:
    # The index on actor_id alone (not the composite one, nor a foreign-key constraint).
    return schema_editor._constraint_names(model, ["actor_id"], index=True)


def forwards(apps, schema_editor):
    model = apps.get_model("access", "ProcessingLogEntry")
    for name in _actor_indexes(schema_editor, model):
        schema_editor.execute(schema_editor._delete_index_sql(model, name))


def backwards(apps, schema_editor):
    model = apps.get_model("access", "ProcessingLogEntry")
    if not _actor_indexes(schema_editor, model):
        field = model._meta.get_field("actor")
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_processing_log_append_only"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="processinglogentry",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
