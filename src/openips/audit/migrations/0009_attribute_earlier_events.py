"""Events written before ADR 0017 about contacts, profiles, interventions, jobs, job changes and
estimates named no person, so "who accessed this person" left them out while the account's own
trail showed them. This names the person (and service) of the record each is about, where that
record is still held. Only the two attribution columns change, and only where they were empty.
"""

from django.db import migrations

# Each kind of record about a person, and the path from it to the person's id.
PATHS = {
    "clients.episode": "person_id",
    "casework.contact": "episode__person_id",
    "casework.vocationalprofile": "episode__person_id",
    "casework.intervention": "episode__person_id",
    "employment.job": "episode__person_id",
    "employment.jobchange": "job__episode__person_id",
    "benefits.estimate": "episode__person_id",
}
SERVICE = {
    "clients.episode": "service_id",
    "casework.contact": "service_id",
    "casework.vocationalprofile": "episode__service_id",
    "casework.intervention": "episode__service_id",
    "employment.job": "service_id",
    "employment.jobchange": "job__service_id",
    "benefits.estimate": "episode__service_id",
}
TRIGGER_OFF = {
    "postgresql": "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update",
    "sqlite": "DROP TRIGGER IF EXISTS audit_event_no_update",
}
TRIGGER_ON = {
    "postgresql": "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update",
    "sqlite": """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
}


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    unattributed = AuditEvent._base_manager.filter(
        person_id__isnull=True, object_type__in=list(PATHS)
    ).exclude(object_id="")
    if not unattributed.exists():
        return
    vendor = schema_editor.connection.vendor
    table = AuditEvent._meta.db_table
    if vendor in TRIGGER_OFF:
        schema_editor.execute(TRIGGER_OFF[vendor], params=None)
    with schema_editor.connection.cursor() as cursor:
        for object_type, path in PATHS.items():
            events = unattributed.filter(object_type=object_type)
            ids = {int(i) for i in events.values_list("object_id", flat=True) if i.isdigit()}
            if not ids:
                continue
            model = apps.get_model(object_type)
            found = {
                pk: (person, service)
                for pk, person, service in model._base_manager.filter(pk__in=ids).values_list(
                    "pk", path, SERVICE[object_type]
                )
            }
            for pk, (person, service) in found.items():
                # Through SQL: the model refuses to change an event, as it should elsewhere.
                cursor.execute(
                    f"UPDATE {table} SET person_id = %s, "  # noqa: S608
                    "service_id = COALESCE(service_id, %s) "
                    "WHERE person_id IS NULL AND object_type = %s AND object_id = %s",
                    [person, service, object_type, str(pk)],
                )
    if vendor in TRIGGER_ON:
        schema_editor.execute(TRIGGER_ON[vendor], params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0008_merge_actions"),
        ("benefits", "0001_initial"),
        ("casework", "0004_field_rules"),
        ("clients", "0003_field_rules"),
        ("employment", "0003_field_rules"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
