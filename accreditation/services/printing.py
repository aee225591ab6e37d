"""Badge PDFs: one badge now, or a batch in the background with progress
and a download."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delegations.models import Participant
from hanoi_event.background import enqueue
from hanoi_event.models import Event

from .. import pdf
from ..enums import CardSize, PrintJobStatus
from ..models import Badge, BadgePrintJob
from .badges import badge_qr_text
from .photos import photos_shrink

PRINT_JOB_TASK = "accreditation.print_badges"
MAX_BATCH = 5000


def _badges(ids: Sequence[int]) -> list[Badge]:
    by_id = {
        badge.pk: badge
        for badge in Badge.objects.filter(pk__in=ids).select_related(
            "participant__delegation__organisation", "category", "key", "event"
        )
    }
    return [by_id[pk] for pk in ids if pk in by_id]


def badge_cards(badges: Iterable[Badge]) -> list[pdf.BadgeCard]:
    """What each badge shows. The small photo copies were made when the
    badges were issued (``photos``); one that is missing is made here."""
    badges = list(badges)
    photos = photos_shrink([b.participant.photo.name or "" for b in badges])
    # Each honorific's words looked up once (get_honorific_display builds
    # and translates every choice on each call).
    honorifics = {
        value: str(label)
        for value, label in Participant._meta.get_field("honorific").flatchoices
    }
    cards = []
    for badge, photo in zip(badges, photos, strict=True):
        participant = badge.participant
        cards.append(
            pdf.BadgeCard(
                number=badge.display_number,
                honorific=honorifics.get(participant.honorific, participant.honorific),
                name=f"{participant.given_names} {participant.family_name}".strip(),
                function_title=participant.function_title,
                delegation=str(participant.delegation.organisation),
                category_label=badge.category.label,
                colour=badge.category.colour,
                event_name=badge.event.short_name or badge.event.name,
                qr_text=badge_qr_text(badge),
                photo_path=photo,
                version=badge.version,
            )
        )
    return cards


def badge_pdf(*, badges: Sequence[Badge], card_size: str = CardSize.CR80) -> bytes:
    """The PDF of ``badges`` (valid ones only), one per page."""
    valid = [b for b in badges if b.revoked_at is None]
    if not valid:
        raise ValidationError(_("No valid badge to print."))
    return pdf.render_badges(
        badge_cards(_badges([b.pk for b in valid])), card_size=card_size
    )


@transaction.atomic
def print_job_start(
    *,
    event: Event,
    badges: Iterable[Badge],
    card_size: str,
    by: AbstractBaseUser | None,
) -> BadgePrintJob:
    """A batch print of the valid ones among ``badges``, rendered in the
    background once this transaction commits."""
    ids = [b.pk for b in badges if b.revoked_at is None and b.event_id == event.pk]
    if not ids:
        raise ValidationError(_("None of the selected participants has a valid badge."))
    if len(ids) > MAX_BATCH:
        raise ValidationError(
            _("At most %(max)s badges in one batch.") % {"max": MAX_BATCH}
        )
    job = BadgePrintJob(
        event=event, created_by=by, badge_ids=ids, card_size=card_size, total=len(ids)
    )
    job.full_clean()
    job.save()
    enqueue(PRINT_JOB_TASK, job.pk, on_commit=True)
    return job


def print_job_run(*, job_id: int) -> BadgePrintJob | None:
    """Render the job's PDF, writing progress as it goes. Idempotent: a job
    already done is left alone; a job cut off half way starts again."""
    job = BadgePrintJob.objects.filter(pk=job_id).first()
    if job is None or job.status == PrintJobStatus.DONE:
        return job
    BadgePrintJob.objects.filter(pk=job.pk).update(
        status=PrintJobStatus.RUNNING, done=0, error=""
    )
    try:
        cards = badge_cards(_badges(job.badge_ids))
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "badges.pdf")
            with open(path, "wb") as out:
                pdf.render_badges(
                    cards,
                    card_size=job.card_size,
                    out=out,
                    progress=lambda n: BadgePrintJob.objects.filter(pk=job.pk).update(
                        done=n
                    ),
                )
            with open(path, "rb") as result:
                job.file.save(f"badges-{job.pk}.pdf", File(result), save=False)
        job.status = PrintJobStatus.DONE
        job.done = len(cards)
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "status", "done", "finished_at"])
    except Exception as exc:
        BadgePrintJob.objects.filter(pk=job.pk).update(
            status=PrintJobStatus.FAILED,
            error=str(exc)[:2000],
            finished_at=timezone.now(),
        )
        raise
    return job
