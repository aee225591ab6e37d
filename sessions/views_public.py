"""The public programme: the last release of the current event, by day,
filtered by type, room and language, searchable; each item's page; the
"now and next" screen for the venue; what changed between releases; iCal
feeds of the whole programme and of a participant's own agenda.

Everything public is read from the release's snapshot (one row), so the
number of queries does not depend on the number of items. Times are shown
in the event's time zone, with the zone named."""

from __future__ import annotations

import copy as copy_module
import datetime as dt
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hanoi_event.links import absolute_url
from hanoi_event.selectors import current_event

from . import caching, ical, selectors, services
from .access import access_error, category_names
from .enums import InterpretationLanguage, ProgrammeItemKind, RegistrationStatus
from .models import ProgrammeItem, Registration
from .services.programme import where_text


@dataclass
class Entry:
    """One item of a release, ready to show."""

    id: int
    kind: str
    kind_label: str
    title: str
    description: str
    room: str
    starts_at: dt.datetime  # in the event's time zone
    ends_at: dt.datetime
    languages: list[str]
    language_labels: list[str]
    registration_required: bool
    seats: int | None
    chairs: list[dict]
    moderators: list[dict]
    speakers: list[dict]
    access_categories: list[str]
    search_text: str = ""
    seats_left: int | None = None
    waiting: int = 0
    my_status: str = ""

    @property
    def day(self) -> dt.date:
        return self.starts_at.date()


@dataclass
class Programme:
    release_pk: int
    number: int
    published_at: dt.datetime
    entries: list[Entry] = field(default_factory=list)
    # Filter choices, computed once per release.
    days: list[dt.date] = field(default_factory=list)
    kinds: list[tuple[str, str]] = field(default_factory=list)
    rooms: list[str] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)

    def index(self) -> None:
        entries = self.entries
        self.days = sorted({e.day for e in entries})
        self.kinds = sorted(
            {(e.kind, e.kind_label) for e in entries}, key=lambda k: k[1]
        )
        self.rooms = sorted({e.room for e in entries if e.room})
        self.languages = sorted(
            {
                pair
                for e in entries
                for pair in zip(e.languages, e.language_labels, strict=True)
            },
            key=lambda pair: pair[1],
        )


_KIND_LABELS = dict(ProgrammeItemKind.choices)
_LANGUAGE_LABELS = dict(InterpretationLanguage.choices)
# Releases never change: parsed once per process (a few, at most).
_parsed: dict[tuple[int, str], Programme] = {}
_parsed_lock = threading.Lock()


def _programme(release, event) -> Programme:
    key = (release.pk, get_language() or "en")
    cached = _parsed.get(key)
    if cached is not None:
        return cached
    tz = event.tzinfo
    programme = Programme(release.pk, release.number, release.published_at)
    for raw in selectors.release_snapshot(release):
        names = [p["name"] for p in raw["chairs"] + raw["moderators"] + raw["speakers"]]
        programme.entries.append(
            Entry(
                id=raw["id"],
                kind=raw["kind"],
                kind_label=str(_KIND_LABELS.get(raw["kind"], raw["kind"])),
                title=raw["title"],
                description=raw["description"],
                room=raw["room"],
                starts_at=parse_datetime(raw["starts_at"]).astimezone(tz),
                ends_at=parse_datetime(raw["ends_at"]).astimezone(tz),
                languages=raw["languages"],
                language_labels=[
                    str(_LANGUAGE_LABELS.get(code, code)) for code in raw["languages"]
                ],
                registration_required=raw["registration_required"],
                seats=raw["seats"],
                chairs=raw["chairs"],
                moderators=raw["moderators"],
                speakers=raw["speakers"],
                access_categories=raw["access_categories"],
                search_text=" ".join(
                    [raw["title"], raw["description"], raw["room"], *names]
                ).casefold(),
            )
        )
    programme.index()
    with _parsed_lock:
        if len(_parsed) > 32:
            _parsed.clear()
        _parsed[key] = programme
    return programme


def _event_and_programme(request):
    event = current_event()
    if event is None:
        raise Http404(_("There is no event."))
    release = selectors.latest_release(event)
    return event, release, (_programme(release, event) if release else None)


def _with_seats(entries: list[Entry], event) -> list[Entry]:
    """Copies of ``entries`` with seats left and waiting counts (one query)."""
    counts = selectors.seat_counts(event)
    shown = []
    for entry in entries:
        copy = copy_module.copy(entry)
        count = counts.get(entry.id)
        if entry.registration_required and entry.seats is not None and count:
            copy.seats_left = max(entry.seats - count["confirmed"], 0)
            copy.waiting = count["waiting"]
        elif entry.registration_required and entry.seats is not None:
            copy.seats_left = entry.seats
        shown.append(copy)
    return shown


def _statuses(participant) -> dict[int, str]:
    """{item id: "confirmed" or "waiting"} of the participant's own seats."""
    if participant is None:
        return {}
    return dict(
        Registration.objects.filter(
            participant=participant, status__in=selectors.ACTIVE
        ).values_list("item_id", "status")
    )


def _my_statuses(request, event) -> tuple[object | None, dict[int, str]]:
    participant = selectors.participant_for_user(request.user, event)
    return participant, _statuses(participant)


def _filters(request) -> dict[str, str]:
    """The programme's filters from the query string, trimmed (anything else
    in the query string changes nothing)."""
    get = request.GET.get
    return {
        "day": get("day", "")[:10],
        "type": get("type", "")[:32],
        "room": get("room", "")[:128],
        "lang": get("lang", "")[:16],
        "q": " ".join(get("q", "")[:400].split())[:100],
    }


# Stands for the requester's CSRF token in a page kept in the cache.
_CSRF_PLACEHOLDER = "programme-page-csrf-token"


def programme(request):
    """The public programme. The page's content (heading, filters, list) is
    kept in the cache under everything that changes it
    (``sessions.caching``). For a visitor who is not signed in and has no
    messages waiting, so is the whole page, with their own CSRF token (the
    language form's) put in for each request; for others the frame around
    the content (navigation, messages) is rendered for each request."""
    event = getattr(request, "current_event", None) or current_event()
    if event is None:
        raise Http404(_("There is no event."))
    participant = selectors.participant_for_user(request.user, event)
    filters = _filters(request)
    parts = (
        event.time_zone,
        event.short_name,
        get_language(),
        timezone.get_current_timezone_name(),
        sorted(filters.items()),
        participant.pk if participant is not None else None,
    )

    def content() -> str:
        # Rendered by our own template, escaped there.
        return mark_safe(  # noqa: S308
            caching.cached_page(
                event.pk,
                parts,
                lambda: _programme_content(request, event, participant, filters),
            )
        )

    if not _page_is_shared(request):
        return render(
            request, "public/programme.html", {"event": event, "content": content()}
        )
    page = caching.cached_page(
        event.pk,
        ("page", request.get_full_path(), *parts),
        lambda: render_to_string(
            "public/programme.html",
            {"event": event, "content": content(), "csrf_token": _CSRF_PLACEHOLDER},
            request,
        ).encode(),
    )
    return HttpResponse(
        page.replace(_CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    )


def _page_is_shared(request) -> bool:
    """Whether the whole page is the same for everyone who sends this
    request: not signed in (no session), no messages waiting."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def _programme_content(request, event, participant, filters: dict[str, str]) -> str:
    release = selectors.latest_release(event)
    context = {"event": event, "release": release}
    if release is None:
        return render_to_string("public/_programme_content.html", context, request)
    parsed = _programme(release, event)
    entries = parsed.entries
    try:
        day = parse_date(filters["day"])
    except ValueError:  # well formed, but no such date
        day = None
    if day not in parsed.days:
        day = None
    kind, room, language, query = (
        filters["type"],
        filters["room"],
        filters["lang"],
        filters["q"],
    )
    shown = entries
    if day:
        shown = [e for e in shown if e.day == day]
    if kind:
        shown = [e for e in shown if e.kind == kind]
    if room:
        shown = [e for e in shown if e.room == room]
    if language:
        shown = [e for e in shown if language in e.languages]
    if query:
        needle = query.casefold()
        shown = [e for e in shown if needle in e.search_text]
    shown = _with_seats(shown, event)
    mine = _statuses(participant)
    by_day: dict[dt.date, list[Entry]] = {}
    for entry in shown:
        entry.my_status = mine.get(entry.id, "")
        by_day.setdefault(entry.day, []).append(entry)
    context.update(
        {
            "days": parsed.days,
            "kinds": parsed.kinds,
            "rooms": parsed.rooms,
            "language_choices": parsed.languages,
            "selected": {
                "day": day.isoformat() if day else "",
                "type": kind,
                "room": room,
                "lang": language,
                "q": query,
            },
            "by_day": sorted(by_day.items()),
            "count": len(shown),
            "total": len(entries),
            "filtered": bool(day or kind or room or language or query),
        }
    )
    return render_to_string("public/_programme_content.html", context, request)


def item(request, pk: int):
    event, release, parsed = _event_and_programme(request)
    found = next((e for e in parsed.entries if e.id == pk), None) if parsed else None
    if found is None:
        raise Http404(_("This item is not in the published programme."))
    entry = _with_seats([found], event)[0]
    participant, mine = _my_statuses(request, event)
    entry.my_status = mine.get(pk, "")
    registration = None
    position = None
    if participant is not None and pk in mine:
        registration = Registration.objects.filter(
            participant=participant, item_id=pk, status__in=selectors.ACTIVE
        ).first()
        position = services.waiting_position(registration) if registration else None
    refusal = ""
    if participant is not None and registration is None and entry.access_categories:
        # The rule registration applies: the item's categories as they are now.
        codes = (
            ProgrammeItem.objects.filter(pk=pk)
            .values_list("access_categories", flat=True)
            .first()
        )
        refusal = access_error(
            participant=participant, codes=codes or [], title=entry.title
        )
    return render(
        request,
        "public/item.html",
        {
            "event": event,
            "release": release,
            "entry": entry,
            "access_names": category_names(event, entry.access_categories),
            "participant": participant,
            "registration": registration,
            "position": position,
            "refusal": refusal,
            "statuses": RegistrationStatus,
        },
    )


def changes(request):
    event = current_event()
    if event is None:
        raise Http404(_("There is no event."))
    releases = list(event.programme_releases.order_by("-number")[:10])
    shown = []
    for release in releases:
        by_id = {entry["id"]: entry for entry in release.snapshot}
        before = release.changes.get("before", {})
        shown.append(
            {
                "release": release,
                "new": [
                    by_id[pk] for pk in release.changes.get("new", []) if pk in by_id
                ],
                "moved": [
                    {
                        "now": by_id[pk],
                        "was_text": where_text(event, before[str(pk)]),
                        "now_text": where_text(event, by_id[pk]),
                    }
                    for pk in release.changes.get("moved", [])
                    if pk in by_id and str(pk) in before
                ],
                "cancelled": [
                    {**before[str(pk)], "was_text": where_text(event, before[str(pk)])}
                    for pk in release.changes.get("cancelled", [])
                    if str(pk) in before
                ],
            }
        )
    return render(request, "public/changes.html", {"event": event, "releases": shown})


@never_cache
def now_and_next(request):
    """For screens at the venue: what runs now and what starts next; the
    page reloads itself every minute. ``?at=`` (ISO time) shows another
    moment, for rehearsals."""
    event, release, parsed = _event_and_programme(request)
    at = parse_datetime(request.GET.get("at", "") or "") or timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at, event.tzinfo)
    at = at.astimezone(event.tzinfo)
    entries = parsed.entries if parsed else []
    running = [e for e in entries if e.starts_at <= at < e.ends_at]
    upcoming = [e for e in entries if e.starts_at > at]
    following = [e for e in upcoming if e.starts_at < at + dt.timedelta(hours=3)][:8]
    if not following:
        following = upcoming[:4]
    return render(
        request,
        "public/now.html",
        {
            "event": event,
            "at": at,
            "running": running,
            "following": following,
            "refresh_seconds": 60,
        },
    )


def _calendar_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def programme_ics(request):
    event, release, parsed = _event_and_programme(request)
    entries = parsed.entries if parsed else []
    body = ical.calendar(
        name=f"{event.short_name}: {_('programme')}",
        time_zone=event.time_zone,
        events=[
            ical.CalendarEvent(
                uid=f"item-{entry.id}@{event.slug}",
                starts_at=entry.starts_at,
                ends_at=entry.ends_at,
                summary=entry.title,
                location=entry.room,
                description=entry.description,
                url=absolute_url(reverse("programme:item", args=[entry.id])),
            )
            for entry in entries
        ],
    )
    return _calendar_response(body, f"{event.slug}-programme.ics")


@never_cache
def agenda_ics(request, token: str):
    """A participant's own agenda (confirmed seats) at a secret, revocable
    URL."""
    agenda = services.agenda_from_feed_token(token)
    if agenda is None:
        raise Http404(_("This calendar link is not valid (any more)."))
    participant = agenda.participant
    event = participant.event
    registrations = (
        selectors.confirmed_registrations(event)
        .filter(participant=participant)
        .order_by("item__starts_at")
    )
    body = ical.calendar(
        name=f"{event.short_name}: {_('my agenda')}",
        time_zone=event.time_zone,
        events=[
            ical.CalendarEvent(
                uid=f"item-{r.item_id}@{event.slug}",
                starts_at=r.item.starts_at,
                ends_at=r.item.ends_at,
                summary=r.item.title,
                location=r.item.room.name if r.item.room_id else "",
                url=absolute_url(reverse("programme:item", args=[r.item_id])),
            )
            for r in registrations
        ],
    )
    return _calendar_response(body, "agenda.ics")
