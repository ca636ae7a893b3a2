"""The database itself refuses to update or delete a processing-log entry (s.62 integrity)."""

from django.db import migrations

TABLE = "access_processinglogentry"

SQLITE = [
    f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'The processing log is append-only'); END;""",
    # No DELETE trigger on SQLite: its test-database flush is a plain DELETE (PostgreSQL's is a
    # TRUNCATE, which row triggers do not see). The application refuses deletes on both.
]
SQLITE_REVERSE = [f"DROP TRIGGER {TABLE}_no_update;"]

POSTGRES = [
    f"""CREATE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'The processing log is append-only'; END; $$;""",
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse();""",
    # TRUNCATE bypasses row triggers: the test runner's flush relies on that. In production the
    # application's database role should hold no TRUNCATE privilege (docs/operations.md).
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER {TABLE}_append_only ON {TABLE};",
    f"DROP FUNCTION {TABLE}_refuse();",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
