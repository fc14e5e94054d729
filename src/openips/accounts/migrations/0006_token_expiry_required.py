# Every token has an expiry now (0004 gave the older ones theirs): the column becomes required.
# A separate migration, so that PostgreSQL alters the table after the update has committed.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_grants_password_change_token_expiry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
