"""Side events: applications by a delegation's focal point, review, and
placement into the slot grid (by hand, or proposed by the allocator and
confirmed by an organizer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delegations.models import Delegation
from delegations.permissions import is_focal_point
from hanoi_event.formatting import format_datetime
from hanoi_event.links import absolute_reverse
from hanoi_event.models import Event
from hanoi_event.services import email_queue

from .. import allocator
from ..enums import ApplicationStatus, ProgrammeItemKind, SpeakerRole
from ..mail import SIDE_EVENT_DECISION
from ..models import (
    AllocationProposal,
    ProgrammeItem,
    ProgrammeRole,
    Room,
    SideEventApplication,
    SideEventSlot,
    SideEventSpeaker,
)
from .programme import SpeakerSpec, programme_conflicts, programme_item_save

# The fields an applicant writes.
APPLICATION_FIELDS = (
    "title",
    "abstract",
    "organiser",
    "co_sponsors",
    "format",
    "expected_audience",
)
SPEAKER_FIELDS = ("name", "function_title", "organisation", "email", "nationality")


def application_deadline_error(event: Event, now: dt.datetime) -> str:
    deadline = event.side_event_application_deadline
    if deadline is not None and now > deadline:
        return _(
            "The deadline for side-event applications was %(when)s (%(zone)s): "
            "applications can no longer be made or changed. Please write to "
            "the secretariat."
        ) % {
            "when": format_datetime(deadline, "datetime", tz=event.tzinfo),
            "zone": event.time_zone,
        }
    return ""


@transaction.atomic
def application_save(
    *,
    user: AbstractBaseUser,
    delegation: Delegation,
    data: dict,
    preferred_slots: Sequence[SideEventSlot],
    speakers: Sequence[dict],
    application: SideEventApplication | None = None,
    now: dt.datetime | None = None,
) -> SideEventApplication:
    """Create or change ``delegation``'s side-event application (only its
    focal point may). ``data`` holds ``APPLICATION_FIELDS``; ``speakers`` a
    dict of ``SPEAKER_FIELDS`` each, and optionally ``passport_copy`` (a
    checked file: ``sessions.forms.speaker_passport_clean``); they replace the previous
    ones, and a speaker named again keeps the passport copy on file. Refused
    with a ValidationError, nothing written: after the event's application
    deadline, once the application is decided, bad values."""
    delegation = Delegation.objects.select_related("event").get(pk=delegation.pk)
    if not is_focal_point(user, delegation):
        raise PermissionDenied
    event = delegation.event
    error = application_deadline_error(event, now or timezone.now())
    if error:
        raise ValidationError(error)
    if application is None:
        application = SideEventApplication(
            event=event, delegation=delegation, submitted_by=user
        )
    else:
        application = SideEventApplication.objects.select_for_update().get(
            pk=application.pk, delegation=delegation
        )
        if application.status != ApplicationStatus.PENDING:
            raise ValidationError(
                _("This application was %(status)s: it can no longer be changed.")
                % {"status": application.get_status_display().lower()}
            )
    for name in APPLICATION_FIELDS:
        setattr(application, name, data.get(name, getattr(application, name)))
    application.full_clean()
    wrong_event = [slot for slot in preferred_slots if slot.event_id != event.pk]
    if wrong_event:
        raise ValidationError({"preferred_slots": _("Choose slots of this event.")})
    # A speaker named again keeps the passport copy on file (the same person:
    # the same email, else the same name) unless a new one comes.
    on_file = (
        {s.key: s.passport_copy.name for s in application.speakers.all()}
        if application.pk
        else {}
    )
    rows, uploads = [], []
    for order, values in enumerate(speakers):
        speaker = SideEventSpeaker(
            order=order, **{name: values.get(name, "") for name in SPEAKER_FIELDS}
        )
        upload = values.get("passport_copy")
        if upload:
            uploads.append((speaker, upload))
        else:
            speaker.passport_copy.name = on_file.get(speaker.key, "")
        speaker.full_clean(exclude=["application", "passport_copy"])
        rows.append(speaker)
    if not rows:
        raise ValidationError(_("Name at least one speaker."))
    application.save()
    application.preferred_slots.set(preferred_slots)
    application.speakers.all().delete()
    for speaker, upload in uploads:
        speaker.passport_copy.save(upload.name, upload, save=False)
    for speaker in rows:
        speaker.application = application
    SideEventSpeaker.objects.bulk_create(rows)
    _forget_files(set(on_file.values()) - {s.passport_copy.name for s in rows})
    return application


def _forget_files(names: set[str]) -> None:
    """Delete the stored passport copies ``names`` once the transaction has
    committed (no longer anyone's)."""
    storage = SideEventSpeaker._meta.get_field("passport_copy").storage
    for name in names - {""}:
        transaction.on_commit(lambda name=name: storage.delete(name))


@transaction.atomic
def application_review(
    *,
    application: SideEventApplication,
    reviewer: AbstractBaseUser,
    status: str,
    comment: str = "",
    score: int | None = None,
) -> SideEventApplication:
    """Accept, reject or keep pending, with a comment and a score (1-5). The
    focal point is told of an acceptance or a rejection through the outbox,
    once per decision (the same decision again sends nothing)."""
    application = SideEventApplication.objects.select_for_update().get(
        pk=application.pk
    )
    if status not in ApplicationStatus.values:
        raise ValidationError({"status": _("Choose accepted, rejected or pending.")})
    if application.programme_item_id and status != ApplicationStatus.ACCEPTED:
        raise ValidationError(
            _(
                "This side event is placed in the programme: remove it from the "
                "programme first."
            )
        )
    changed = status != application.status
    application.status = status
    application.review_comment = comment
    application.score = score
    application.reviewed_by = reviewer
    application.reviewed_at = timezone.now()
    application.full_clean()
    application.save()
    if changed and status != ApplicationStatus.PENDING:
        _tell_applicant(application)
    return application


def _tell_applicant(application: SideEventApplication) -> None:
    focal_point = application.delegation.focal_point
    if focal_point is None or not focal_point.email:
        return
    email_queue(
        to=focal_point.email,
        kind=SIDE_EVENT_DECISION,
        context={
            "delegation": str(application.delegation),
            "title": application.title,
            "decision": application.status,
            "comment": application.review_comment,
            "applications_url": absolute_reverse("agenda:side_events"),
        },
        idempotency_key=(
            f"side-event:decision:{application.pk}:{application.status}:"
            f"{application.reviewed_at.isoformat()}"
        ),
        about=application,
        event=application.event,
    )


# Placement ------------------------------------------------------------------


def _speaker_specs(application: SideEventApplication) -> list[SpeakerSpec]:
    return [
        SpeakerSpec(
            role=SpeakerRole.SPEAKER,
            name=s.name,
            affiliation=", ".join(p for p in (s.function_title, s.organisation) if p),
            email=s.email,
        )
        for s in application.speakers.all()
    ]


def _item_for(
    application: SideEventApplication, slot: SideEventSlot, room: Room
) -> ProgrammeItem:
    item = application.programme_item or ProgrammeItem(
        event=application.event,
        kind=ProgrammeItemKind.SIDE_EVENT,
        registration_required=True,
        is_published=False,
    )
    item.title = application.title
    if not item.description:
        item.description = application.abstract
    item.room = room
    item.starts_at = slot.starts_at
    item.ends_at = slot.ends_at
    return item


@dataclass(frozen=True)
class PlacementCheck:
    """What placing an application in a slot and room would break
    (``errors``: refused) or should know (``warnings``)."""

    errors: list[str]
    warnings: list[str]


def placement_check(
    *, application: SideEventApplication, slot: SideEventSlot, room: Room
) -> PlacementCheck:
    """The conflicts of a placement, before saving it (reads only)."""
    errors: list[str] = []
    warnings: list[str] = []
    if application.status != ApplicationStatus.ACCEPTED:
        errors.append(_("Only an accepted application can be placed."))
    if slot.event_id != application.event_id or room.event_id != application.event_id:
        errors.append(_("The slot and the room must belong to the event."))
        return PlacementCheck(errors, warnings)
    item = _item_for(application, slot, room)
    keys = [(spec_key(s), s.name) for s in application.speakers.all()]
    for messages in programme_conflicts(item=item, speakers=keys).values():
        errors.extend(messages)
    if room.capacity < application.expected_audience:
        warnings.append(
            _("%(room)s holds %(capacity)s; the expected audience is %(audience)s.")
            % {
                "room": room.name,
                "capacity": room.capacity,
                "audience": application.expected_audience,
            }
        )
    if not room.open_to_side_events:
        warnings.append(_("%(room)s is not open to side events.") % {"room": room.name})
    return PlacementCheck(errors, warnings)


def spec_key(speaker: SideEventSpeaker) -> str:
    return speaker.key


@transaction.atomic
def application_place(
    *, application: SideEventApplication, slot: SideEventSlot, room: Room
) -> ProgrammeItem:
    """Place an accepted application in ``slot`` and ``room``: creates its
    programme item (a side event, registration needed, not yet published) or
    moves it. Refused, nothing written, when a rule would break (the message
    names the other item)."""
    application = (
        SideEventApplication.objects.select_for_update(of=("self",))
        .select_related("programme_item", "event")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted application can be placed."))
    if slot.event_id != application.event_id or room.event_id != application.event_id:
        raise ValidationError(_("The slot and the room must belong to the event."))
    item = programme_item_save(
        item=_item_for(application, slot, room), speakers=_speaker_specs(application)
    )
    if application.programme_item_id != item.pk:
        application.programme_item = item
        application.save(update_fields=["programme_item", "updated_at"])
    return item


def _busy_for(event: Event) -> list[allocator.Busy]:
    busy = [
        allocator.Busy(starts_at=s, ends_at=e, room_id=room_id)
        for s, e, room_id in ProgrammeItem.objects.filter(
            event=event, is_cancelled=False, room__isnull=False
        ).values_list("starts_at", "ends_at", "room_id")
    ]
    busy += [
        allocator.Busy(starts_at=s, ends_at=e, speaker_key=key)
        for s, e, key in ProgrammeRole.objects.filter(
            item__event=event, item__is_cancelled=False
        ).values_list("item__starts_at", "item__ends_at", "speaker_key")
    ]
    return busy


@transaction.atomic
def allocation_propose(
    *, event: Event, user: AbstractBaseUser | None = None
) -> AllocationProposal:
    """Run the allocator on every accepted, unplaced application of
    ``event``, the slot grid and the rooms open to side events (what the
    programme already holds stays busy). Stores and returns the proposal;
    nothing is placed until ``allocation_confirm``."""
    applications = list(
        SideEventApplication.objects.filter(
            event=event,
            status=ApplicationStatus.ACCEPTED,
            programme_item__isnull=True,
        )
        .prefetch_related("speakers", "preferred_slots")
        .order_by("pk")
    )
    slots = list(SideEventSlot.objects.filter(event=event).select_related("event"))
    rooms = list(Room.objects.filter(event=event, open_to_side_events=True))
    slot_labels = {slot.pk: str(slot) for slot in slots}
    result = allocator.allocate(
        applications=[
            allocator.Application(
                id=a.pk,
                title=a.title,
                audience=a.expected_audience,
                preferred=tuple(
                    s.pk
                    for s in sorted(a.preferred_slots.all(), key=lambda s: s.starts_at)
                ),
                speakers=tuple((s.key, s.name) for s in a.speakers.all()),
            )
            for a in applications
        ],
        slots=[
            allocator.Slot(s.pk, s.starts_at, s.ends_at, slot_labels[s.pk])
            for s in slots
        ],
        rooms=[allocator.Room(r.pk, r.name, r.capacity) for r in rooms],
        busy=_busy_for(event),
    )
    titles = {a.pk: a.title for a in applications}
    room_names = {r.pk: r.name for r in rooms}
    proposal = AllocationProposal(
        event=event,
        created_by=user if user is not None and user.is_authenticated else None,
        placements=[
            {
                "application": p.application_id,
                "title": titles[p.application_id],
                "slot": p.slot_id,
                "slot_label": slot_labels[p.slot_id],
                "room": p.room_id,
                "room_name": room_names[p.room_id],
                "preferred": p.preferred,
            }
            for p in result.placements
        ],
        unplaced=[
            {
                "application": u.application_id,
                "title": titles[u.application_id],
                "reason": u.reason,
            }
            for u in result.unplaced
        ],
    )
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def allocation_confirm(
    *, proposal: AllocationProposal, user: AbstractBaseUser | None = None
) -> AllocationProposal:
    """Place what ``proposal`` proposes. Each placement is checked again
    (the programme may have changed since): one that now breaks a rule is
    skipped and listed in ``result["failed"]`` with the reason, the others
    are placed. Confirming twice changes nothing."""
    proposal = AllocationProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.confirmed_at is not None:
        return proposal
    placed, failed = [], []
    slots = SideEventSlot.objects.in_bulk([p["slot"] for p in proposal.placements])
    rooms = Room.objects.in_bulk([p["room"] for p in proposal.placements])
    applications = SideEventApplication.objects.in_bulk(
        [p["application"] for p in proposal.placements]
    )
    for entry in proposal.placements:
        application = applications.get(entry["application"])
        slot, room = slots.get(entry["slot"]), rooms.get(entry["room"])
        try:
            if application is None or slot is None or room is None:
                raise ValidationError(_("The application, slot or room was deleted."))
            if application.programme_item_id:
                raise ValidationError(_("It was placed in the meantime."))
            with transaction.atomic():
                application_place(application=application, slot=slot, room=room)
        except ValidationError as exc:
            failed.append({**entry, "reason": " ".join(exc.messages)})
        else:
            placed.append(entry["application"])
    proposal.confirmed_at = timezone.now()
    proposal.confirmed_by = user if user is not None and user.is_authenticated else None
    proposal.result = {"placed": placed, "failed": failed}
    proposal.save(update_fields=["confirmed_at", "confirmed_by", "result"])
    return proposal
