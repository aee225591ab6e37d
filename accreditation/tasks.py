"""Celery tasks of the accreditation app: thin doors into its services,
with explicit stable names."""

from __future__ import annotations

from celery import shared_task

from hanoi_event.background import BackgroundTask

from .services.photos import PHOTO_COPIES_TASK
from .services.printing import PRINT_JOB_TASK


@shared_task(base=BackgroundTask, name=PRINT_JOB_TASK)
def print_badges_task(job_id: int) -> None:
    """Render a batch of badges into one PDF (progress on the job row)."""
    from .services import print_job_run

    print_job_run(job_id=job_id)


@shared_task(base=BackgroundTask, name=PHOTO_COPIES_TASK)
def badge_photo_copies_task(participant_ids: list[int]) -> None:
    """Make the small photo copies badges are printed with (idempotent)."""
    from .services import badge_photo_copies_make

    badge_photo_copies_make(participant_ids=participant_ids)
