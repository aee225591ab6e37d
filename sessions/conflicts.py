"""The programme's conflict rules, each with a message that names the other
item: one room at overlapping times, one speaker in two places at once, a
time outside the event's days. Read-only; the services call them under a
lock (and PostgreSQL's exclusion constraint backs the room rule)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from hanoi_event.formatting import format_date, format_datetime
from hanoi_event.models import Event


def local_span(event: Event, starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """ "Sat 25 Oct 09:00–10:15 (Asia/Ho_Chi_Minh)"."""
    tz = event.tzinfo
    start = timezone.localtime(starts_at, tz)
    end = timezone.localtime(ends_at, tz)
    first = format_datetime(start, "short_day_clock", tz=tz)
    if end.date() != start.date():
        last = format_datetime(end, "short_day_clock", tz=tz)
        return f"{first} – {last} ({event.time_zone})"
    return f"{first}–{end:%H:%M} ({event.time_zone})"


def days_error(event: Event, starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """A message if the span is not within the event's days (event time)."""
    tz = event.tzinfo
    first = timezone.localtime(starts_at, tz).date()
    # An item ending at midnight ends on the day before.
    last = timezone.localtime(ends_at - dt.timedelta(microseconds=1), tz).date()
    if first < event.start_date or last > event.end_date:
        return _("%(span)s is outside the event's days (%(first)s to %(last)s).") % {
            "span": local_span(event, starts_at, ends_at),
            "first": format_date(event.start_date),
            "last": format_date(event.end_date),
        }
    return ""


def _overlapping(queryset, starts_at: dt.datetime, ends_at: dt.datetime):
    return queryset.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


def room_conflicts(
    *, room, starts_at: dt.datetime, ends_at: dt.datetime, exclude_pk: int | None
) -> list[str]:
    """Messages for the items (not cancelled) in ``room`` that overlap."""
    from .models import ProgrammeItem

    clashes = _overlapping(
        ProgrammeItem.objects.filter(room=room, is_cancelled=False), starts_at, ends_at
    ).select_related("event")
    if exclude_pk:
        clashes = clashes.exclude(pk=exclude_pk)
    return [
        _("%(room)s is taken at this time by “%(other)s” (%(span)s).")
        % {
            "room": room.name,
            "other": other.title,
            "span": local_span(other.event, other.starts_at, other.ends_at),
        }
        for other in clashes.order_by("starts_at", "pk")
    ]


def speaker_conflicts(
    *,
    event: Event,
    speakers: Iterable[tuple[str, str]],
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    exclude_pk: int | None,
) -> list[str]:
    """Messages for ``speakers`` ((key, name) pairs) who already have a role
    in another item of ``event`` (not cancelled) at an overlapping time."""
    from .models import ProgrammeRole

    names = dict(speakers)
    if not names:
        return []
    roles = ProgrammeRole.objects.filter(
        speaker_key__in=list(names),
        item__event=event,
        item__is_cancelled=False,
        item__starts_at__lt=ends_at,
        item__ends_at__gt=starts_at,
    ).select_related("item")
    if exclude_pk:
        roles = roles.exclude(item_id=exclude_pk)
    messages = []
    seen = set()
    for role in roles.order_by("item__starts_at", "item_id", "pk"):
        if (role.speaker_key, role.item_id) in seen:
            continue
        seen.add((role.speaker_key, role.item_id))
        messages.append(
            _("%(name)s speaks at the same time in “%(other)s” (%(span)s).")
            % {
                "name": names[role.speaker_key],
                "other": role.item.title,
                "span": local_span(event, role.item.starts_at, role.item.ends_at),
            }
        )
    return messages
