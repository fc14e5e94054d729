"""Database triggers that refuse any UPDATE (and, on PostgreSQL, DELETE) of an audit event.

SQLite gets the UPDATE trigger only: Django empties SQLite tables with DELETE between
transactional tests, so a DELETE trigger there would break the suite. The ORM refuses deletes
on every database; docs/adr/0003-audit-trail.md explains the choice.
"""

from django.db import migrations

POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'audit events are append-only';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
      FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_event_no_delete ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]
SQLITE_UP = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_event_no_update"]


def _run(schema_editor, by_vendor):
    for statement in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP})


def backwards(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
