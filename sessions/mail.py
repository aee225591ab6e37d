"""The programme's kinds of email, with their placeholders and sample
values; the shipped English texts are in ``sessions/emails/``. Registered by
``EventSessionsConfig.ready()``."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from hanoi_event.mail_kinds import MailKind, Placeholder

REMINDER_DAY_BEFORE = "reminder_day_before"
SIDE_EVENT_DECISION = "side_event_decision"
WAITLIST_PROMOTION = "waitlist_promotion"
PROGRAMME_CHANGE = "programme_change"
STARTING_SOON = "starting_soon"

_EMAILS = Path(__file__).resolve().parent / "emails"
_NAME = Placeholder(
    "participant_name", _("The participant's name"), "Mr. Nguyen Van AN"
)
_TITLE = Placeholder(
    "title", _("The programme item"), "Protecting children online under the Convention"
)
_WHEN = Placeholder(
    "when",
    _("Day and time (event time, with the time zone)"),
    "Sun 26 Oct 10:30–11:45 (Asia/Ho_Chi_Minh)",
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
            Placeholder("day", _("The day (event time)"), "Saturday 25 October 2025"),
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
                "Sun 26 Oct 09:00–10:15 (Asia/Ho_Chi_Minh), Meeting Room 3",
            ),
            Placeholder(
                "now",
                _("Time and room now"),
                "Sun 26 Oct 12:00–13:15 (Asia/Ho_Chi_Minh), Meeting Room 5",
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
