"""The programme's kinds of email, with their placeholders and sample
values; the shipped English texts are in ``sessions/emails/``. Registered by
``EventSessionsConfig.ready()``."""

import datetime as dt
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from hanoi_event.formatting import format_date, format_datetime
from hanoi_event.mail_kinds import SAMPLE_TIME_ZONE, MailKind, Placeholder

REMINDER_DAY_BEFORE = "reminder_day_before"
SIDE_EVENT_DECISION = "side_event_decision"
WAITLIST_PROMOTION = "waitlist_promotion"
PROGRAMME_CHANGE = "programme_change"
STARTING_SOON = "starting_soon"

_EMAILS = Path(__file__).resolve().parent / "emails"


def _sample_span(day: int, start: tuple[int, int], end: tuple[int, int]) -> str:
    """A span as the services write it (``conflicts.local_span``), in the
    preview's language: "Sun 26 Oct, 10:30–11:45 (Asia/Ho_Chi_Minh)"."""
    local = dt.datetime(2025, 10, day, *start) - dt.timedelta(hours=7)
    starts_at = local.replace(tzinfo=dt.UTC)
    first = format_datetime(starts_at, "short_day_clock", tz=SAMPLE_TIME_ZONE)
    return f"{first}–{end[0]:02d}:{end[1]:02d} ({SAMPLE_TIME_ZONE})"


_NAME = Placeholder(
    "participant_name", _("The participant's name"), "Mr. Nguyen Van AN"
)
_TITLE = Placeholder(
    "title", _("The programme item"), "Protecting children online under the Convention"
)
_WHEN = Placeholder(
    "when",
    _("Day and time (event time, with the time zone)"),
    lambda: _sample_span(26, (10, 30), (11, 45)),
)
_ROOM = Placeholder("room", _("The room"), "Meeting Room 4")
_AGENDA_URL = Placeholder(
    "agenda_url",
    _("Link to the participant's agenda"),
    "https://example.org/portal/programme/agenda/",
)

MAIL_KINDS = (
    MailKind(
        REMINDER_DAY_BEFORE,
        _("Reminder: tomorrow's agenda"),
        placeholders=[
            Placeholder(
                "participant_name", _("The participant's name"), "Mr. Nguyen Van AN"
            ),
            Placeholder(
                "day",
                _("The day (event time)"),
                lambda: format_date(dt.date(2025, 10, 25), "weekday_date"),
            ),
            Placeholder(
                "items",
                _("The sessions (a list of time, title, room)"),
                [
                    {
                        "time": "09:00",
                        "title": "Opening ceremony",
                        "room": "Plenary hall",
                    },
                    {"time": "14:00", "title": "High-level panel", "room": "Room B1"},
                ],
            ),
        ],
        shipped_dir=_EMAILS,
    ),
    MailKind(
        SIDE_EVENT_DECISION,
        _("Side-event application: decision"),
        placeholders=[
            Placeholder("delegation", _("The applicant delegation"), "Viet Nam"),
            Placeholder(
                "title",
                _("The side event's title"),
                "Electronic evidence across borders",
            ),
            Placeholder("decision", _("accepted, rejected or pending"), "accepted"),
            Placeholder(
                "comment",
                _("The reviewers' comment"),
                "Please confirm the speakers by 22 September.",
            ),
            Placeholder(
                "applications_url",
                _("Link to the delegation's applications"),
                "https://example.org/portal/programme/side-events/",
            ),
        ],
        shipped_dir=_EMAILS,
    ),
    MailKind(
        WAITLIST_PROMOTION,
        _("Waiting list: a seat for you"),
        placeholders=[_NAME, _TITLE, _WHEN, _ROOM, _AGENDA_URL],
        shipped_dir=_EMAILS,
    ),
    MailKind(
        PROGRAMME_CHANGE,
        _("Programme change for a registered item"),
        placeholders=[
            _NAME,
            _TITLE,
            Placeholder("change", _("moved or cancelled"), "moved"),
            Placeholder(
                "was",
                _("Time and room before"),
                lambda: _sample_span(26, (9, 0), (10, 15)) + ", Meeting Room 3",
            ),
            Placeholder(
                "now",
                _("Time and room now"),
                lambda: _sample_span(26, (12, 0), (13, 15)) + ", Meeting Room 5",
            ),
            Placeholder("release", _("The release number"), 3),
            _AGENDA_URL,
        ],
        shipped_dir=_EMAILS,
    ),
    MailKind(
        STARTING_SOON,
        _("Reminder: a session starts in 30 minutes"),
        placeholders=[_NAME, _TITLE, _WHEN, _ROOM],
        shipped_dir=_EMAILS,
    ),
)
