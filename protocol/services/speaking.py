"""The speaking list of the high-level segment, after OpenSlides'
``speaker.*`` actions (openslides-backend docs/actions): create, speak (the
next in order), pause and unpause, end_speech, sort (here: a move with a
recorded reason). The chair's countdown is coupled to the speech: it
restarts when a speaker begins, stops on pause, runs on unpause and is
reset when the speech ends; the chair may also reset it alone.

Locks: every action locks the list row first, so two chairs pressing
"next" at once call one speaker."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delegations.enums import ParticipantStatus
from delegations.models import Delegation, Participant

from ..enums import SpeakerStatus, SpeechKind
from ..models import SpeakerMove, SpeakingList, SpeakingRequest
from ..selectors import sort_key, waiting_in_order


def _list_locked(speaking_list: SpeakingList) -> SpeakingList:
    return SpeakingList.objects.select_for_update().get(pk=speaking_list.pk)


@transaction.atomic
def speaking_request_create(
    *,
    speaking_list: SpeakingList,
    delegation: Delegation,
    speaker: Participant,
    kind: str = SpeechKind.STATEMENT,
    requested_by=None,
    requested_at: dt.datetime | None = None,
) -> SpeakingRequest:
    """A delegation asks for the floor for ``speaker``, one of its members.
    Refused (nothing written): a closed list, a speaker of another
    delegation or who withdrew, a second open request of the same kind."""
    speaking_list = _list_locked(speaking_list)
    if not speaking_list.is_open:
        raise ValidationError(_("This speaking list is closed for requests."))
    if delegation.event_id != speaking_list.event_id:
        raise ValidationError(_("The delegation belongs to another event."))
    if speaker.delegation_id != delegation.pk:
        raise ValidationError({"speaker": _("The speaker is not in this delegation.")})
    if speaker.status in (ParticipantStatus.WITHDRAWN, ParticipantStatus.REJECTED):
        raise ValidationError(
            {"speaker": _("The speaker has withdrawn or was not accredited.")}
        )
    request = SpeakingRequest(
        speaking_list=speaking_list,
        delegation=delegation,
        speaker=speaker,
        kind=kind,
        requested_by=requested_by,
        requested_at=requested_at or timezone.now(),
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def speaking_request_withdraw(*, request: SpeakingRequest) -> SpeakingRequest:
    """Take a waiting request off the list (idempotent)."""
    _list_locked(request.speaking_list)
    request = SpeakingRequest.objects.get(pk=request.pk)
    if request.status == SpeakerStatus.WITHDRAWN:
        return request
    if request.status != SpeakerStatus.WAITING:
        raise ValidationError(_("Only a waiting speaker can be taken off the list."))
    request.status = SpeakerStatus.WITHDRAWN
    request.save(update_fields=["status"])
    return request


@transaction.atomic
def speaker_move(
    *, request: SpeakingRequest, position: int, reason: str, moved_by
) -> SpeakerMove:
    """Move a waiting request to ``position`` (1 = next to speak) among the
    waiting requests of its kind, with a reason, which is recorded. The
    request keeps that place between its new neighbours; the others still
    follow their ranks and times of request."""
    speaking_list = _list_locked(request.speaking_list)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the move.")})
    waiting = [r for r in waiting_in_order(speaking_list) if r.kind == request.kind]
    moving = next((r for r in waiting if r.pk == request.pk), None)
    if moving is None:
        raise ValidationError(_("Only a waiting speaker can be moved."))
    if not 1 <= position <= len(waiting):
        raise ValidationError(
            {
                "position": _("Choose a position from 1 to %(count)s.")
                % {"count": len(waiting)}
            }
        )
    from_position = waiting.index(moving) + 1
    others = [r for r in waiting if r.pk != moving.pk]
    index = position - 1
    before = others[index - 1] if index > 0 else None
    after = others[index] if index < len(others) else None
    if after is not None:
        _reply, group, at, seq = sort_key(after)
        if before is not None and sort_key(before)[1:3] == (group, at):
            seq = (sort_key(before)[3] + seq) / 2
        else:
            seq -= 0.5
    elif before is not None:
        _reply, group, at, seq = sort_key(before)
        seq += 0.5
    else:
        _reply, group, at, seq = sort_key(moving)
    moving.moved_group, moving.moved_at, moving.moved_seq = group, at, seq
    moving.save(update_fields=["moved_group", "moved_at", "moved_seq"])
    move = SpeakerMove(
        request=moving,
        from_position=from_position,
        to_position=position,
        reason=reason.strip(),
        moved_by=moved_by,
    )
    move.full_clean()
    move.save()
    return move


def _end_current(speaking_list: SpeakingList, now: dt.datetime) -> None:
    current = (
        SpeakingRequest.objects.select_for_update()
        .filter(speaking_list=speaking_list, status=SpeakerStatus.SPEAKING)
        .first()
    )
    if current is None:
        return
    if current.pause_at is not None:
        current.total_pause_seconds += (now - current.pause_at).total_seconds()
        current.pause_at = None
    current.end_at = now
    current.status = SpeakerStatus.DONE
    current.save(update_fields=["end_at", "status", "pause_at", "total_pause_seconds"])


def _countdown_set(
    speaking_list: SpeakingList, *, duration: int | None = None, run: bool, now
) -> None:
    if duration is not None:
        speaking_list.countdown_duration = duration
    speaking_list.countdown_elapsed = 0
    speaking_list.countdown_started_at = now if run else None
    speaking_list.save(
        update_fields=[
            "countdown_duration",
            "countdown_elapsed",
            "countdown_started_at",
        ]
    )


@transaction.atomic
def speaker_next(*, speaking_list: SpeakingList) -> SpeakingRequest | None:
    """End the current speech and give the floor to the first waiting
    speaker; the countdown restarts with their time limit. Returns the new
    speaker, or None when nobody waits (the countdown is then reset)."""
    speaking_list = _list_locked(speaking_list)
    now = timezone.now()
    _end_current(speaking_list, now)
    waiting = waiting_in_order(speaking_list)
    if not waiting:
        _countdown_set(speaking_list, run=False, now=now)
        return None
    speaker = waiting[0]
    speaker.status = SpeakerStatus.SPEAKING
    speaker.begin_at = now
    speaker.save(update_fields=["status", "begin_at"])
    _countdown_set(
        speaking_list, duration=speaker.effective_time_limit, run=True, now=now
    )
    return speaker


@transaction.atomic
def speaker_end(*, speaking_list: SpeakingList) -> None:
    """End the current speech (if any); the countdown is reset."""
    speaking_list = _list_locked(speaking_list)
    now = timezone.now()
    _end_current(speaking_list, now)
    _countdown_set(speaking_list, run=False, now=now)


def _current(speaking_list: SpeakingList) -> SpeakingRequest | None:
    return (
        SpeakingRequest.objects.select_for_update()
        .filter(speaking_list=speaking_list, status=SpeakerStatus.SPEAKING)
        .first()
    )


@transaction.atomic
def countdown_start(*, speaking_list: SpeakingList) -> SpeakingList:
    """Run the countdown (and unpause the current speech). Idempotent."""
    speaking_list = _list_locked(speaking_list)
    now = timezone.now()
    current = _current(speaking_list)
    if current is not None and current.pause_at is not None:
        current.total_pause_seconds += (now - current.pause_at).total_seconds()
        current.pause_at = None
        current.save(update_fields=["pause_at", "total_pause_seconds"])
    if speaking_list.countdown_started_at is None:
        speaking_list.countdown_started_at = now
        speaking_list.save(update_fields=["countdown_started_at"])
    return speaking_list


@transaction.atomic
def countdown_pause(*, speaking_list: SpeakingList) -> SpeakingList:
    """Stop the countdown where it is (and pause the current speech).
    Idempotent."""
    speaking_list = _list_locked(speaking_list)
    now = timezone.now()
    current = _current(speaking_list)
    if current is not None and current.pause_at is None:
        current.pause_at = now
        current.save(update_fields=["pause_at"])
    if speaking_list.countdown_started_at is not None:
        speaking_list.countdown_elapsed += (
            now - speaking_list.countdown_started_at
        ).total_seconds()
        speaking_list.countdown_started_at = None
        speaking_list.save(update_fields=["countdown_elapsed", "countdown_started_at"])
    return speaking_list


@transaction.atomic
def countdown_reset(*, speaking_list: SpeakingList) -> SpeakingList:
    """Put the countdown back to the current speaker's full time (or the
    list's limit), stopped. The speech's own clock is not touched."""
    speaking_list = _list_locked(speaking_list)
    current = _current(speaking_list)
    duration = (
        current.effective_time_limit
        if current is not None
        else speaking_list.time_limit_seconds
    )
    _countdown_set(speaking_list, duration=duration, run=False, now=timezone.now())
    return speaking_list
