"""The interchange's background work."""

from django_tasks import task

from openips.interchange import downloads, uploads


@task()
def discard_stale_uploads() -> None:
    """Uploads left unconfirmed past IMPORT_KEEP_HOURS, and imports whose server stopped, go."""
    uploads.discard_stale()


@task()
def remove_expired_downloads() -> int:
    """Prepared files past DOWNLOAD_KEEP_HOURS go; returns how many."""
    return downloads.remove_expired()
