import django.db.models.deletion
from django.db import migrations, models

import openips.core.rules
from openips.clients.index import keys_for


def byte_order_on_postgresql(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Terms compare by code point, as SQLite's do, whatever the database's own collation: a
    prefix read (term >= q AND term < q || U+10FFFF) is then exact, and a B-tree range."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE clients_searchkey ALTER COLUMN term TYPE varchar(100) COLLATE "C"'
        )


def index_everyone(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Keys for the people already held (ADR 0019), a thousand at a time."""
    Person = apps.get_model("clients", "Person")
    SearchKey = apps.get_model("clients", "SearchKey")
    batch = []
    fields = ("pk", "organisation_id", "given_name", "family_name", "client_id", "date_of_birth")
    for pk, organisation, given, family, client_id, born in Person.objects.values_list(
        *fields
    ).iterator():
        batch += [
            SearchKey(person_id=pk, organisation_id=organisation, kind=kind, term=term)
            for kind, term in keys_for(given, family, client_id, born)
        ]
        if len(batch) >= 1000:
            SearchKey.objects.bulk_create(batch)
            batch = []
    SearchKey.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0005_client_ids_unique_per_organisation"),
        ("organisations", "0003_field_rules"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("n", "A word of the name"),
                            ("i", "Client ID"),
                            ("b", "Date of birth"),
                        ],
                        max_length=1,
                    ),
                ),
                (
                    "term",
                    models.CharField(max_length=100, validators=[openips.core.rules.OneLine()]),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="clients.person",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organisations.organisation",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["organisation", "kind", "term"], name="search_key_lookup")
                ],
            },
        ),
        migrations.RunPython(byte_order_on_postgresql, migrations.RunPython.noop),
        migrations.RunPython(index_everyone, migrations.RunPython.noop),
    ]
