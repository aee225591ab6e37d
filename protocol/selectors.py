"""Reads of the protocol app: the signatories, the run sheet, the speaking
list in order, the hall screen's state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from .enums import SigningStatus, SpeakerStatus, SpeechKind
from .models import SigningRequest, SpeakingList, SpeakingRequest
from .ranks import rank_group


def signatories(event) -> QuerySet[SigningRequest]:
    """Signed requests of ``event`` in the order they signed (one query)."""
    return (
        SigningRequest.objects.filter(event=event, status=SigningStatus.SIGNED)
        .select_related("delegation__organisation")
        .order_by("signed_at", "delegation__organisation__name")
    )


def run_sheet(event) -> QuerySet[SigningRequest]:
    """Requests holding a slot, in slot order (one query)."""
    return (
        SigningRequest.objects.filter(event=event, slot__isnull=False)
        .select_related("delegation__organisation")
        .order_by("slot")
    )


def speaking_requests(speaking_list: SpeakingList) -> QuerySet[SpeakingRequest]:
    return SpeakingRequest.objects.filter(speaking_list=speaking_list).select_related(
        "delegation__organisation", "speaker", "speaking_list"
    )


def sort_key(request: SpeakingRequest) -> tuple:
    """Statements before rights of reply; then the rank group (read live
    from the speaker's record, so a rank change re-orders), the time of
    request and the id; a manually moved request keeps the key it was given."""
    reply = request.kind == SpeechKind.REPLY
    if request.moved_at is not None:
        return (reply, request.moved_group, request.moved_at, request.moved_seq)
    group = rank_group(request.speaker.protocol_rank, request.speaker.role)
    return (reply, int(group), request.requested_at, float(request.pk))


def waiting_in_order(speaking_list: SpeakingList) -> list[SpeakingRequest]:
    """The waiting requests in speaking order (one query)."""
    waiting = speaking_requests(speaking_list).filter(status=SpeakerStatus.WAITING)
    return sorted(waiting, key=sort_key)


@dataclass
class ListState:
    speaking_list: SpeakingList
    current: SpeakingRequest | None
    waiting: list[SpeakingRequest]
    done: list[SpeakingRequest]
    total_spoken_seconds: float
    now: dt.datetime


def list_state(speaking_list: SpeakingList) -> ListState:
    """Everything the chair, the hall screen and the printable list show
    (one query for the requests)."""
    now = timezone.now()
    requests = list(
        speaking_requests(speaking_list).exclude(status=SpeakerStatus.WITHDRAWN)
    )
    current = next((r for r in requests if r.status == SpeakerStatus.SPEAKING), None)
    waiting = sorted(
        (r for r in requests if r.status == SpeakerStatus.WAITING), key=sort_key
    )
    done = sorted(
        (r for r in requests if r.status == SpeakerStatus.DONE),
        key=lambda r: r.begin_at,
    )
    total = sum(r.spoken_seconds(now) for r in done)
    if current is not None:
        total += current.spoken_seconds(now)
    return ListState(speaking_list, current, waiting, done, total, now)
