"""Client ids and NHS numbers become unique per organisation (ADR 0021).

Each person takes their service's organisation. A client id already used by another person of
the same organisation (two services numbering their clients alike) is renamed with a suffix,
the earliest record keeping it: -2, -3 … An NHS number held by two people of one organisation
cannot be decided by a migration (one of them may be wrong, or they may be one person), so
the migration stops and names the records to correct first.
"""

from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models


def take_organisations(apps, schema_editor):
    Person = apps.get_model("clients", "Person")
    Service = apps.get_model("organisations", "Service")
    organisation_of = dict(Service.objects.values_list("pk", "organisation_id"))
    people = list(Person.objects.order_by("pk").only("pk", "service_id", "client_id"))
    taken = defaultdict(set)
    for person in people:
        person.organisation_id = organisation_of[person.service_id]
        taken[person.organisation_id].add(person.client_id)
    seen = defaultdict(set)
    for person in people:
        used = seen[person.organisation_id]
        if person.client_id in used:
            n = 2
            while f"{person.client_id}-{n}" in taken[person.organisation_id]:
                n += 1
            person.client_id = f"{person.client_id}-{n}"[:64]
            taken[person.organisation_id].add(person.client_id)
        used.add(person.client_id)
    Person.objects.bulk_update(people, ["organisation", "client_id"], batch_size=2000)
    clashes = (
        Person.objects.exclude(nhs_number="")
        .values("organisation_id", "nhs_number")
        .annotate(n=models.Count("pk"))
        .filter(n__gt=1)
    )
    if clashes.exists():
        ids = sorted(
            Person.objects.filter(nhs_number__in=[c["nhs_number"] for c in clashes]).values_list(
                "client_id", flat=True
            )
        )
        raise RuntimeError(
            "Some NHS numbers are held by more than one client of the same organisation. "
            f"Correct or merge these clients before upgrading: {', '.join(ids[:50])}"
        )
    if schema_editor.connection.vendor == "postgresql":
        # Fire the deferred foreign key checks now, so the table can be altered below.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0004_person_identity_and_contact"),
        ("organisations", "0003_field_rules"),
    ]

    operations = [
        migrations.RunPython(take_organisations, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                fields=("organisation", "client_id"), name="person_unique_client_id"
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    models.Q(("nhs_number", ""), _negated=True), ("merged_into__isnull", True)
                ),
                fields=("organisation", "nhs_number"),
                name="person_unique_nhs_number",
                violation_error_message="This NHS number already belongs to another client",
            ),
        ),
    ]
