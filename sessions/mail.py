"""The programme's kinds of email, with their placeholders and sample
values; the shipped English texts are in ``sessions/emails/``. Registered by
``EventSessionsConfig.ready()``."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from hanoi_event.mail_kinds import MailKind, Placeholder

REMINDER_DAY_BEFORE = "reminder_day_before"

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
        shipped_dir=Path(__file__).resolve().parent / "emails",
    ),
)
