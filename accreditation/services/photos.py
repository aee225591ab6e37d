"""The small photo copies badges are printed with (``pdf.photo_for_badge``:
a 360-pixel JPEG kept under MEDIA_ROOT/badge_photos/), made in the
background when a badge is issued (approval, a reprint after a new photo, a
bulk issue), so that printing finds them ready: shrinking 2,500 photos at
print time took most of a first batch's 30 s. Printing still makes any copy
that is missing (a worker that was down, a photo changed since)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

from delegations.models import Participant
from hanoi_event.background import enqueue

from .. import pdf

PHOTO_COPIES_TASK = "accreditation.badge_photo_copies"
# Participants per task: a bulk issue of 2,500 is shared among the workers.
PHOTO_COPIES_BATCH = 100


def photos_shrink(names: Sequence[str]) -> list[str | None]:
    """The small copy of each stored photo in ``names`` (made where missing,
    in a few threads: the JPEG work releases the GIL); None for an empty
    name or a file that cannot be read."""
    if not names:
        return []
    with ThreadPoolExecutor(max_workers=min(4, len(names))) as pool:
        return list(pool.map(pdf.photo_for_badge, names))


def badge_photo_copies_make(*, participant_ids: Sequence[int]) -> int:
    """Make the small photo copies of these participants (those with a
    photo). Idempotent: a copy already made for the same file is kept.
    Returns how many of them have a copy now."""
    names = list(
        Participant.objects.filter(pk__in=list(participant_ids))
        .exclude(photo="")
        .values_list("photo", flat=True)
    )
    return sum(1 for path in photos_shrink(names) if path)


def badge_photo_copies_on_commit(participants: Iterable[Participant]) -> None:
    """Hand the photo copies of ``participants`` (those with a photo) to the
    workers once the current transaction commits, in batches."""
    ids = sorted({p.pk for p in participants if p.photo})
    for start in range(0, len(ids), PHOTO_COPIES_BATCH):
        enqueue(
            PHOTO_COPIES_TASK,
            ids[start : start + PHOTO_COPIES_BATCH],
            on_commit=True,
        )
