"""Reads of the programme that other modules reuse."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet
from django.utils import timezone

from delegations.models import Participant
from hanoi_event.models import Event

from .enums import RegistrationStatus
from .models import Registration, Release

ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


def _day_bounds(event: Event, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = event.tzinfo
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def confirmed_registrations(event: Event) -> QuerySet[Registration]:
    """Confirmed seats at published, not cancelled items of ``event``."""
    return Registration.objects.filter(
        item__event=event,
        item__is_published=True,
        item__is_cancelled=False,
        status=RegistrationStatus.CONFIRMED,
    ).select_related("participant", "item__room")


def day_before_agenda_recipients(event: Event, day: dt.date) -> list[dict]:
    """Who gets the agenda of ``day`` (event time): a list of
    ``{"participant": Participant, "items": [{"time", "title", "room"}, ...]}``
    for each participant with a confirmed seat that day, items in time order.
    One query."""
    start, end = _day_bounds(event, day)
    rows = (
        confirmed_registrations(event)
        .filter(item__starts_at__gte=start, item__starts_at__lt=end)
        .order_by("participant_id", "item__starts_at", "item_id")
    )
    entries: dict[int, dict] = {}
    for registration in rows:
        item = registration.item
        entry = entries.setdefault(
            registration.participant_id,
            {"participant": registration.participant, "items": []},
        )
        entry["items"].append(
            {
                "time": timezone.localtime(item.starts_at, event.tzinfo).strftime(
                    "%H:%M"
                ),
                "title": item.title,
                "room": item.room.name if item.room_id else "",
            }
        )
    return list(entries.values())


def starting_soon_registrations(
    event: Event, *, now: dt.datetime, within: dt.timedelta
) -> list[Registration]:
    """Confirmed seats at items that start after ``now`` and at most
    ``within`` later."""
    return list(
        confirmed_registrations(event)
        .filter(item__starts_at__gt=now, item__starts_at__lte=now + within)
        .order_by("item__starts_at", "id")
    )


def latest_release(event: Event) -> Release | None:
    """The last release, without its snapshot (``release_snapshot`` reads
    it, once per process: a release never changes)."""
    return (
        Release.objects.filter(event=event)
        .defer("snapshot", "changes")
        .order_by("-number")
        .first()
    )


def release_snapshot(release: Release) -> list[dict]:
    return Release.objects.values_list("snapshot", flat=True).get(pk=release.pk)


def seat_counts(event: Event) -> dict[int, dict[str, int]]:
    """{item id: {"confirmed": n, "waiting": n}} for the items of ``event``
    that have registrations (one query)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Registration.objects.filter(item__event=event, status__in=ACTIVE)
        .order_by()
        .values_list("item_id", "status")
        .annotate(n=Count("id"))
    )
    for item_id, status, n in rows:
        counts.setdefault(item_id, {"confirmed": 0, "waiting": 0})[status] = n
    return counts


def participant_for_user(user, event: Event) -> Participant | None:
    """The user's own participant record at ``event`` (not withdrawn)."""
    if not user.is_authenticated:
        return None
    return (
        Participant.objects.filter(user=user, event=event)
        .select_related("event")
        .first()
    )


def agenda_registrations(participant: Participant) -> list[Registration]:
    """The participant's seats and places in line, in time order, each with
    ``position`` (in line; None for a seat). Two queries."""
    registrations = list(
        Registration.objects.filter(participant=participant, status__in=ACTIVE)
        .select_related("item__room", "item__event")
        .order_by("item__starts_at", "id")
    )
    waiting = [r for r in registrations if r.status == RegistrationStatus.WAITING]
    positions = {}
    if waiting:
        ahead = (
            Registration.objects.filter(
                item_id__in=[r.item_id for r in waiting],
                status=RegistrationStatus.WAITING,
            )
            .order_by("item_id", "id")
            .values_list("item_id", "id")
        )
        counter: dict[int, int] = {}
        for item_id, pk in ahead:
            counter[item_id] = counter.get(item_id, 0) + 1
            positions[pk] = counter[item_id]
    for registration in registrations:
        registration.position = positions.get(registration.pk)
    return registrations
