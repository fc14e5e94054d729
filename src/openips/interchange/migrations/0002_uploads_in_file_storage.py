"""Uploads move from a database column to file storage, and at most 200 problems are kept.

The `content` column stays in the database for one release, emptied and with a default, so that
app servers still on the previous release keep working during a rolling upgrade; the model no
longer has it. A later release drops it (ADR 0012)."""

from typing import Any

import django.utils.timezone
from django.db import migrations, models

import openips.interchange.models

KEPT = 200


def out_of_rows(apps: Any, schema_editor: Any) -> None:
    ImportJob = apps.get_model("interchange", "ImportJob")
    # A file checked but not yet imported was held in its row: it must be uploaded again.
    ImportJob.objects.filter(status__in=["checked", "queued"]).update(
        status="cancelled", finished_at=django.utils.timezone.now()
    )
    ImportJob.objects.update(content=b"")
    for job in ImportJob.objects.only("pk", "problems").iterator(chunk_size=1):
        if len(job.problems) > KEPT:
            ImportJob.objects.filter(pk=job.pk).update(
                problems=job.problems[:KEPT], more_problems=len(job.problems) - KEPT
            )


class Migration(migrations.Migration):
    dependencies = [("interchange", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="importjob",
            name="content",
            field=models.BinaryField(blank=True, db_default=b""),
        ),
        migrations.AddField(
            model_name="importjob",
            name="upload",
            field=models.FileField(
                blank=True, max_length=200, upload_to=openips.interchange.models.upload_name
            ),
        ),
        migrations.AddField(
            model_name="importjob",
            name="more_problems",
            field=models.PositiveIntegerField(
                default=0, help_text="How many more problems were found than are kept"
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="problems",
            field=models.JSONField(
                default=list, help_text="The first problems found, as file:line: column: message"
            ),
        ),
        migrations.RunPython(out_of_rows, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="importjob", name="content")]
        ),
    ]
