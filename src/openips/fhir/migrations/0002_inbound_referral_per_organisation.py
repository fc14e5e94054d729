"""A sender's identifier is unique within an organisation, not across the installation: each
referral received so far belongs to the organisation of the team its episode is with (0003
then requires it, in a transaction of its own: PostgreSQL alters no table with rows updated
and their foreign keys unchecked in the same one)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def organisation_of_episode(apps, schema_editor):  # type: ignore[no-untyped-def]
    InboundReferral = apps.get_model("fhir", "InboundReferral")
    Episode = apps.get_model("clients", "Episode")
    teams = Episode.objects.filter(pk=OuterRef("episode_id")).values("service__organisation_id")
    InboundReferral.objects.update(organisation_id=Subquery(teams[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0008_messages_stopped"),
        ("fhir", "0001_initial"),
        ("organisations", "0006_service_programme"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="inboundreferral", name="inbound_referral_once"),
        migrations.AddField(
            model_name="inboundreferral",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.RunPython(organisation_of_episode, migrations.RunPython.noop),
    ]
