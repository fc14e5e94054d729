"""Each referral received belongs to an organisation, and its sender's identifier is unique
within it (0002 gave the existing ones theirs)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("fhir", "0002_inbound_referral_per_organisation")]

    operations = [
        migrations.AlterField(
            model_name="inboundreferral",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="inboundreferral",
            constraint=models.UniqueConstraint(
                fields=("organisation", "identifier_system", "identifier_value"),
                name="inbound_referral_once_per_organisation",
            ),
        ),
    ]
