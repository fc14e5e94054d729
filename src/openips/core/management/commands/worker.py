"""`openips worker`: runs the queued background tasks until stopped (docs/operations.md).

Several workers, on one machine or many, share the queue: each claims a task inside an exclusive
transaction (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL), so no task runs twice. The first
SIGINT or SIGTERM lets the running task finish before the worker stops."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker


class Command(DatabaseWorker):
    help = "Run the queued background tasks until stopped."
