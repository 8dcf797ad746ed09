"""The job queue as callin uses it: django-tasks (``settings.TASKS``), and retries.

django-tasks runs a job once; a job that must be retried (a webhook that did
not answer, a mail server that is down) queues itself again with ``run_after``
set further ahead each time: ``CALLIN_JOB_BACKOFF_SECONDS`` × 2^(attempt − 1),
until ``CALLIN_JOB_ATTEMPTS`` tries.  A backend that cannot defer a job (the
immediate one) gets no retry.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

__all__ = ["enqueue", "retry_later", "task"]


def enqueue(job, *args, **kwargs):
    return job.enqueue(*args, **kwargs)


def backoff(attempt):
    """The wait after failed try number ``attempt`` (1-based)."""
    return timedelta(seconds=settings.CALLIN_JOB_BACKOFF_SECONDS * 2 ** (attempt - 1))


def retry_later(job, *args, attempt):
    """Queue try ``attempt + 1`` of ``job``; returns when it will run, or None (no retry)."""
    if attempt >= settings.CALLIN_JOB_ATTEMPTS or not job.get_backend().supports_defer:
        return None
    when = timezone.now() + backoff(attempt)
    job.using(run_after=when).enqueue(*args, attempt=attempt + 1)
    return when
