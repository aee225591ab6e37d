"""Seats: registering for a programme item, the waiting list, cancelling,
and the promotion of the first in line when a seat frees.

Race-free by locks, always taken in one order: the participant's agenda row
first (so one person's registrations are decided one at a time: nobody
holds seats in overlapping items), then the item row (so the seats of one
item are counted and given one at a time). Waiting rows are written while
the item is locked, so their ids follow arrival order, and the waiting list
is read in id order.

"Holding a seat" covers the waiting list: a participant cannot wait for one
item while registered for another at the same time, so a promotion never
creates an overlap.
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delegations.enums import ParticipantStatus
from delegations.models import Participant
from hanoi_event.links import absolute_reverse
from hanoi_event.services import email_queue

from ..access import access_error
from ..caching import programme_changed
from ..conflicts import local_span
from ..enums import RegistrationStatus
from ..mail import WAITLIST_PROMOTION
from ..models import Agenda, ProgrammeItem, Registration

ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)
# Participants who may take a seat: not withdrawn, not rejected.
SEAT_HOLDER_STATUSES = (
    ParticipantStatus.NOMINATED,
    ParticipantStatus.SUBMITTED,
    ParticipantStatus.APPROVED,
)


def _lock_agenda(participant: Participant) -> Agenda:
    Agenda.objects.get_or_create(participant=participant)
    return Agenda.objects.select_for_update().get(participant=participant)


def _lock_item(item: ProgrammeItem) -> ProgrammeItem:
    return (
        ProgrammeItem.objects.select_for_update(of=("self",))
        .select_related("room", "event")
        .get(pk=item.pk)
    )


def _registrable_error(item: ProgrammeItem, participant: Participant) -> str:
    if item.event_id != participant.event_id:
        return _("This item belongs to another event.")
    if participant.status not in SEAT_HOLDER_STATUSES:
        return _("Your registration was withdrawn or rejected: you cannot take seats.")
    if item.is_cancelled:
        return _("“%(title)s” is cancelled.") % {"title": item.title}
    if not item.is_published or not item.registration_required:
        return _("“%(title)s” takes no registrations.") % {"title": item.title}
    if item.starts_at <= timezone.now():
        return _("“%(title)s” has started: registration is closed.") % {
            "title": item.title
        }
    if item.seats is None:
        return _("“%(title)s” has no seats to register for.") % {"title": item.title}
    return access_error(
        participant=participant, codes=item.access_categories, title=item.title
    )


def waiting_position(registration: Registration) -> int | None:
    """1 for the first in line; None unless waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    return Registration.objects.filter(
        item_id=registration.item_id,
        status=RegistrationStatus.WAITING,
        id__lte=registration.id,
    ).count()


@transaction.atomic
def seat_register(*, participant: Participant, item: ProgrammeItem) -> Registration:
    """A seat for ``participant`` at ``item``, or a place on its waiting list
    when it is full. Idempotent: registering again returns the active row.
    Refuses (ValidationError, nothing written) an item that takes no
    registrations and one that overlaps an item the participant holds a seat
    or a place in line for, naming it, and an item open to badge categories
    that do not include the participant's, naming both."""
    _lock_agenda(participant)
    item = _lock_item(item)
    error = _registrable_error(item, participant)
    if error:
        raise ValidationError(error)
    existing = Registration.objects.filter(
        item=item, participant=participant, status__in=ACTIVE
    ).first()
    if existing is not None:
        return existing
    clash = (
        Registration.objects.filter(
            participant=participant,
            status__in=ACTIVE,
            item__is_cancelled=False,
            item__starts_at__lt=item.ends_at,
            item__ends_at__gt=item.starts_at,
        )
        .select_related("item__event")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _(
                "You are registered for “%(other)s” (%(span)s) at the same time. "
                "Cancel it first to register here."
            )
            % {
                "other": clash.item.title,
                "span": local_span(
                    clash.item.event, clash.item.starts_at, clash.item.ends_at
                ),
            }
        )
    _promote(item)  # seats freed by a larger capacity go to those in line first
    confirmed = Registration.objects.filter(
        item=item, status=RegistrationStatus.CONFIRMED
    ).count()
    registration = Registration(
        item=item,
        participant=participant,
        status=RegistrationStatus.CONFIRMED
        if confirmed < item.seats
        else RegistrationStatus.WAITING,
    )
    registration.full_clean(validate_constraints=False)
    registration.save()
    programme_changed(item.event_id)
    return registration


@transaction.atomic
def seat_cancel(*, participant: Participant, item: ProgrammeItem) -> list[Registration]:
    """Give up ``participant``'s seat or place in line at ``item``; a freed
    seat goes to the first in line, who is told by email (once). Idempotent:
    nothing to cancel changes nothing. Returns the promoted registrations."""
    _lock_agenda(participant)
    item = _lock_item(item)
    registration = Registration.objects.filter(
        item=item, participant=participant, status__in=ACTIVE
    ).first()
    if registration is None:
        return []
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    programme_changed(item.event_id)
    return _promote(item)


@transaction.atomic
def seats_fill(*, item: ProgrammeItem) -> list[Registration]:
    """Give the free seats of ``item`` (after its capacity grew) to those in
    line, in order, and tell them. Returns the promoted registrations."""
    return _promote(_lock_item(item))


def _promote(item: ProgrammeItem) -> list[Registration]:
    """With ``item`` locked: confirm the first in line for each free seat and
    queue their email."""
    if item.seats is None or item.is_cancelled:
        return []
    confirmed = Registration.objects.filter(
        item=item, status=RegistrationStatus.CONFIRMED
    ).count()
    free = item.seats - confirmed
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(item=item, status=RegistrationStatus.WAITING)
        .select_related("participant")
        .order_by("id")[:free]
    )
    now = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        _tell_promoted(registration, item)
    if promoted:
        programme_changed(item.event_id)
    return promoted


def _tell_promoted(registration: Registration, item: ProgrammeItem) -> None:
    participant = registration.participant
    email_queue(
        to=participant.email,
        kind=WAITLIST_PROMOTION,
        context={
            "participant_name": participant.full_name,
            "title": item.title,
            "when": local_span(item.event, item.starts_at, item.ends_at),
            "room": item.room.name if item.room_id else "",
            "agenda_url": absolute_reverse("agenda:agenda"),
        },
        language=participant.preferred_language or "en",
        idempotency_key=f"seat:promoted:{registration.pk}",
        about=registration,
        event=item.event,
    )


# Personal calendar feed -------------------------------------------------------

_FEED_SALT = "event_sessions.agenda_feed"


def agenda_feed_token(agenda: Agenda) -> str:
    """The secret of ``agenda``'s feed URL (signed; nothing secret is stored:
    revoking moves ``feed_version`` and every older URL stops working)."""
    return signing.Signer(salt=_FEED_SALT).sign(
        f"{agenda.participant_id}.{agenda.feed_version}"
    )


def agenda_from_feed_token(token: str) -> Agenda | None:
    """The agenda whose current feed ``token`` is, else None."""
    try:
        value = signing.Signer(salt=_FEED_SALT).unsign(token)
        participant_id, version = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        return None
    return (
        Agenda.objects.filter(
            participant_id=participant_id, feed_version=version, feed_enabled=True
        )
        .select_related("participant__event")
        .first()
    )


@transaction.atomic
def agenda_feed_enable(*, participant: Participant) -> Agenda:
    """Turn the participant's calendar feed on (idempotent)."""
    agenda = _lock_agenda(participant)
    if not agenda.feed_enabled:
        agenda.feed_enabled = True
        agenda.save(update_fields=["feed_enabled"])
    return agenda


@transaction.atomic
def agenda_feed_revoke(*, participant: Participant) -> Agenda:
    """Turn the feed off: its URL is refused from now on; turning it on again
    gives a new URL."""
    agenda = _lock_agenda(participant)
    agenda.feed_version += 1
    agenda.feed_enabled = False
    agenda.save(update_fields=["feed_version", "feed_enabled"])
    return agenda
