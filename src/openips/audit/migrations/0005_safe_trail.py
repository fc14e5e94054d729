"""The trail keeps ids and field names, never values (ADR 0017).

Events written before this change held the changed values and each record's display name; this
rewrites them to the names of the fields alone and the kind of record, so an anonymised person
leaves nothing identifying behind. It also refuses TRUNCATE on PostgreSQL, which row triggers
do not see.
"""

from django.db import migrations, models

# Details that are codes (a page's name, a quarter, a role), kept; every other string goes.
CODE_KEYS = {"page", "quarter", "return", "as_of", "services", "status", "role", "format"}
FIELD_ACTIONS = {"create", "update", "role_change"}


def _scrub(key, value):
    if isinstance(value, dict):
        return {k: v for k, v in ((k, _scrub(k, v)) for k, v in value.items()) if v is not None}
    if isinstance(value, list):
        return [_scrub(key, v) for v in value]
    if isinstance(value, str) and key not in CODE_KEYS:
        return None
    return value


def _safe(event, apps):
    changes = event.changes or {}
    if event.action in FIELD_ACTIONS and all(
        isinstance(v, list) and len(v) == 2 for v in changes.values()
    ):
        kept = {"fields": sorted(changes)}
        if event.action == "role_change" and "role" in changes:
            kept["role"] = changes["role"]
        changes = kept
    else:
        changes = _scrub("", changes)
    label = ""
    if event.object_type:
        try:
            model = apps.get_model(event.object_type)
        except LookupError:
            model = None
        label = str(model._meta.verbose_name).capitalize() if model else event.object_type
    return changes, label


TRIGGERS_OFF = {
    "postgresql": ["ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update"],
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_update"],
}
TRIGGERS_ON = {
    "postgresql": [
        "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update",
        """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
          FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
    ],
    "sqlite": [
        """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    ],
}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in TRIGGERS_OFF.get(vendor, []):
        schema_editor.execute(statement, params=None)
    AuditEvent = apps.get_model("audit", "AuditEvent")
    table = AuditEvent._meta.db_table
    connection = schema_editor.connection
    changes_field = AuditEvent._meta.get_field("changes")
    with connection.cursor() as cursor:
        for event in AuditEvent._base_manager.iterator(chunk_size=2000):
            changes, label = _safe(event, apps)
            if changes != event.changes or label != event.object_label:
                # Through SQL: the model refuses to change an event, as it should everywhere else.
                cursor.execute(
                    f"UPDATE {table} SET changes = %s, object_label = %s WHERE id = %s",  # noqa: S608
                    [changes_field.get_db_prep_value(changes, connection), label, event.pk],
                )
    for statement in TRIGGERS_ON.get(vendor, []):
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_anonymise_action"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("update", "Changed"),
                    ("delete", "Deleted"),
                    ("view", "Viewed"),
                    ("export", "Exported"),
                    ("import", "Imported"),
                    ("anonymise", "Anonymised"),
                    ("first_factor", "Signed in, security code to come"),
                    ("sign_in", "Signed in"),
                    ("otp_failed", "Security code refused"),
                    ("sign_in_failed", "Sign-in failed"),
                    ("locked_out", "Locked out"),
                    ("sign_out", "Signed out"),
                    ("role_change", "Role changed"),
                    ("view_audit", "Viewed audit trail"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
