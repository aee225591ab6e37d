"""The programme: saving items (every conflict rule checked under a lock)
and publishing numbered releases with what changed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from delegations.models import Participant
from hanoi_event.links import absolute_reverse
from hanoi_event.models import Event
from hanoi_event.services import Message, email_queue_many

from ..caching import programme_changed
from ..conflicts import local_span, speaker_conflicts
from ..enums import RegistrationStatus, SpeakerRole
from ..mail import PROGRAMME_CHANGE
from ..models import ProgrammeItem, ProgrammeRole, Registration, Release, Room
from .seats import seats_fill

EXCLUSION_CONSTRAINT = "programme_item_room_no_overlap"
SPEAKER_CONSTRAINT = "programme_role_speaker_no_overlap"


@dataclass(frozen=True)
class SpeakerSpec:
    """A chair, moderator or speaker to give an item: a participant, or an
    outside person by name (and email, which identifies them best)."""

    role: str = SpeakerRole.SPEAKER
    participant: Participant | None = None
    name: str = ""
    affiliation: str = ""
    email: str = ""


def _roles_from_specs(speakers: Sequence[SpeakerSpec]) -> list[ProgrammeRole]:
    roles = []
    for order, spec in enumerate(speakers):
        role = ProgrammeRole(
            role=spec.role,
            participant=spec.participant,
            name=spec.name,
            affiliation=spec.affiliation,
            email=spec.email,
            order=order,
        )
        role.clean()  # sets speaker_key
        roles.append(role)
    return roles


def _speaker_errors(
    item: ProgrammeItem, speakers: Sequence[tuple[str, str]] | None
) -> list[str]:
    if item.is_cancelled or not (item.starts_at and item.ends_at and item.event_id):
        return []
    if speakers is None:
        speakers = (
            [
                (r.speaker_key, r.display_name)
                for r in item.roles.select_related("participant")
            ]
            if item.pk
            else []
        )
    return speaker_conflicts(
        event=item.event,
        speakers=speakers,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        exclude_pk=item.pk,
    )


def programme_conflicts(
    *,
    item: ProgrammeItem,
    speakers: Sequence[tuple[str, str]] | None = None,
) -> dict[str, list[str]]:
    """Every rule ``item`` (unsaved changes included) breaks: {"room": [...],
    "starts_at": [...], "roles": [...]} with messages naming the other item;
    empty when none. ``speakers`` are (key, name) pairs; None: the item's
    saved roles."""
    errors: dict[str, list[str]] = {}
    try:
        item.clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    clashes = _speaker_errors(item, speakers)
    if clashes:
        errors["roles"] = clashes
    return errors


@transaction.atomic
def programme_item_save(
    *, item: ProgrammeItem, speakers: Sequence[SpeakerSpec] | None = None
) -> ProgrammeItem:
    """Create or change ``item`` (and replace its chairs and speakers when
    ``speakers`` is given). Refuses with a ValidationError naming the other
    item, writing nothing: the room taken at an overlapping time, a speaker
    somewhere else at the same time, a time outside the event's days.

    The room row is locked first, so two bookings of one room are decided
    one after the other; on PostgreSQL exclusion constraints back the room
    and the speaker rules (a save that loses a race to either is refused
    with the same kind of message). Seats freed by a larger capacity go to
    the waiting list."""
    if item.room_id:
        Room.objects.select_for_update().filter(pk=item.room_id).first()
    roles = _roles_from_specs(speakers) if speakers is not None else None
    keys = (
        [(r.speaker_key, r.display_name) for r in roles] if roles is not None else None
    )
    item.full_clean()
    clashes = _speaker_errors(item, keys)
    if clashes:
        raise ValidationError({"roles": clashes})
    try:
        with transaction.atomic():
            item.save()
            _save_roles(item, roles)
    except IntegrityError as exc:
        error = constraint_error(exc, item, keys)
        if error is exc:
            raise
        raise error from exc
    seats_fill(item=item)
    programme_changed(item.event_id)
    return item


def _save_roles(item: ProgrammeItem, roles: list[ProgrammeRole] | None) -> None:
    """Replace the item's chairs and speakers with ``roles`` (None: keep
    them), each with the copies of the item's event, times and cancellation
    that the database's speaker rule reads."""
    if roles is None:
        # PostgreSQL cascades the item's changes to the copies itself; this
        # keeps them in step on other databases.
        ProgrammeRole.objects.filter(item=item).update(
            event_id=item.event_id,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            item_cancelled=item.is_cancelled,
        )
        return
    item.roles.all().delete()
    for role in roles:
        role.item = item
        role.copy_item(item)
    ProgrammeRole.objects.bulk_create(roles)


def constraint_error(
    exc: IntegrityError,
    item: ProgrammeItem,
    speakers: Sequence[tuple[str, str]] | None = None,
) -> Exception:
    """The ValidationError to show for ``exc``, raised by the database when
    another save took the room, or one of the speakers, at the same time
    between our checks and our write (the other save has committed: the
    message names its item). Any other IntegrityError is returned as it is."""
    text = str(exc)
    if EXCLUSION_CONSTRAINT in text:
        return ValidationError(
            {"room": _("The room was just booked at this time by another item.")}
        )
    if SPEAKER_CONSTRAINT in text:
        clashes = _speaker_errors(item, speakers) or [
            _("A speaker of this item was just given another item at this time.")
        ]
        return ValidationError({"roles": clashes})
    return exc


# Releases ---------------------------------------------------------------------


def _item_snapshot(item: ProgrammeItem) -> dict:
    roles = {"chairs": [], "moderators": [], "speakers": []}
    plural = {
        SpeakerRole.CHAIR: "chairs",
        SpeakerRole.MODERATOR: "moderators",
        SpeakerRole.SPEAKER: "speakers",
    }
    for role in item.roles.all():
        roles[plural[role.role]].append(
            {"name": role.display_name, "affiliation": role.affiliation}
        )
    return {
        "id": item.pk,
        "kind": item.kind,
        "title": item.title,
        "description": item.description,
        "room": item.room.name if item.room_id else "",
        "room_id": item.room_id,
        "starts_at": item.starts_at.isoformat(),
        "ends_at": item.ends_at.isoformat(),
        "languages": list(item.languages),
        "access_categories": list(item.access_categories),
        "registration_required": item.registration_required,
        "seats": item.seats,
        **roles,
    }


def programme_snapshot(event: Event) -> list[dict]:
    """The published, not cancelled items of ``event`` as a release stores
    them (three queries)."""
    items = (
        ProgrammeItem.objects.filter(event=event, is_published=True, is_cancelled=False)
        .select_related("room")
        .prefetch_related(
            Prefetch(
                "roles", queryset=ProgrammeRole.objects.select_related("participant")
            )
        )
        .order_by("starts_at", "room__name", "pk")
    )
    return [_item_snapshot(item) for item in items]


def where_text(event: Event, entry: dict) -> str:
    span = local_span(
        event, parse_datetime(entry["starts_at"]), parse_datetime(entry["ends_at"])
    )
    return f"{span}, {entry['room']}" if entry["room"] else span


def programme_changes(previous: list[dict], current: list[dict]) -> dict:
    """What changed between two snapshots: {"new": [ids], "moved": [ids],
    "cancelled": [ids], "before": {id: entry}} (``before``: the previous
    entries of moved and cancelled items)."""
    before = {entry["id"]: entry for entry in previous}
    after = {entry["id"]: entry for entry in current}
    moved = [
        pk
        for pk, entry in after.items()
        if pk in before
        and (entry["starts_at"], entry["ends_at"], entry["room_id"])
        != (before[pk]["starts_at"], before[pk]["ends_at"], before[pk]["room_id"])
    ]
    cancelled = [pk for pk in before if pk not in after]
    return {
        "new": [pk for pk in after if pk not in before],
        "moved": moved,
        "cancelled": cancelled,
        "before": {str(pk): before[pk] for pk in moved + cancelled},
    }


@transaction.atomic
def release_publish(
    *, event: Event, user: AbstractBaseUser | None = None, comment: str = ""
) -> Release:
    """Publish the programme of ``event`` as its next numbered release (a
    snapshot of the published items) with the changes since the last one;
    everyone registered for a moved or cancelled item is told by email (once
    per release and item). Releases of one event are numbered one at a time
    (the event row is locked)."""
    Event.objects.select_for_update().filter(pk=event.pk).first()
    last = Release.objects.filter(event=event).aggregate(n=Max("number"))["n"] or 0
    previous = (
        Release.objects.filter(event=event, number=last)
        .values_list("snapshot", flat=True)
        .first()
        or []
    )
    snapshot = programme_snapshot(event)
    changes = (
        programme_changes(previous, snapshot)
        if last
        else {
            "new": [entry["id"] for entry in snapshot],
            "moved": [],
            "cancelled": [],
            "before": {},
        }
    )
    release = Release(
        event=event,
        number=last + 1,
        published_by=user if user is not None and user.is_authenticated else None,
        comment=comment,
        snapshot=snapshot,
        changes=changes,
    )
    release.full_clean()
    release.save()
    programme_changed(event.pk)
    _tell_registered(release, snapshot)
    return release


def _tell_registered(release: Release, snapshot: list[dict]) -> None:
    changes = release.changes
    affected = [*changes["moved"], *changes["cancelled"]]
    if not affected:
        return
    now_by_id = {entry["id"]: entry for entry in snapshot}
    registrations = (
        Registration.objects.filter(
            item_id__in=affected,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
        )
        .select_related("participant")
        .order_by("item_id", "id")
    )
    agenda_url = absolute_reverse("agenda:agenda")
    messages = []
    for registration in registrations:
        before = changes["before"][str(registration.item_id)]
        current = now_by_id.get(registration.item_id)
        participant = registration.participant
        messages.append(
            Message(
                to=participant.email,
                context={
                    "participant_name": participant.full_name,
                    "title": before["title"],
                    "change": "moved" if current else "cancelled",
                    "was": where_text(release.event, before),
                    "now": where_text(release.event, current) if current else "",
                    "release": release.number,
                    "agenda_url": agenda_url,
                },
                language=participant.preferred_language or "en",
                idempotency_key=(
                    f"programme:change:{release.pk}:{registration.item_id}:"
                    f"{participant.pk}"
                ),
                about=registration,
            )
        )
    email_queue_many(kind=PROGRAMME_CHANGE, messages=messages, event=release.event)
