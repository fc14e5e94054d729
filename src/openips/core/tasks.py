"""Background work: Django's tasks framework with its database backend (ADR 0026).

A task is enqueued in the same transaction as the write that asks for it, and only once that
transaction commits, so a worker never runs a task for a write that rolled back, nor misses one
for a write that was kept."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction


def on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` (a `@task` function) with these JSON arguments when the current
    transaction commits; at once when there is none."""
    enqueue: Callable[[], Any] = partial(task.enqueue, *args, **kwargs)
    transaction.on_commit(enqueue)
