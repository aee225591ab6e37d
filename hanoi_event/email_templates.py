"""What each kind of message can say: its placeholders with sample values.

The shipped English texts live under templates/emails/ (``<kind>.subject.txt``,
``<kind>.txt`` and optionally ``<kind>.html``); migration 0003 and
``manage.py email_templates_load`` copy them into EmailTemplate rows that
organizers edit in the admin.

Context values are JSON-friendly primitives (strings, numbers, booleans, lists
and dicts of them), so a template can be previewed with the samples below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from .enums import PRE_RENDERED_KINDS, EmailKind

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "emails"


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str
    sample: Any


# Added by the outbox service to every message about an event.
COMMON_PLACEHOLDERS = [
    Placeholder(
        "event_name",
        _("The event's name"),
        "Signing Ceremony of the UN Convention against Cybercrime",
    ),
    Placeholder("event_short_name", _("The event's short name"), "Hanoi Convention"),
    Placeholder("event_dates", _("The event's dates"), "25–26 October 2025"),
    Placeholder("event_venue", _("The venue"), "National Convention Center"),
    Placeholder("event_city", _("The city"), "Hanoi"),
    Placeholder(
        "event_contact_email", _("The organizers' address"), "secretariat@example.org"
    ),
    Placeholder(
        "recipient_email", _("The recipient's address"), "focal.point@example.org"
    ),
]

_RECIPIENT = Placeholder("recipient_name", _("The recipient's name"), "Ms. Jane DOE")
_PARTICIPANT = Placeholder(
    "participant_name", _("The participant's name"), "Mr. Nguyen Van AN"
)
_ORGANISATION = Placeholder(
    "organisation_name", _("The delegation's organisation"), "Republic of Example"
)
_PORTAL = Placeholder(
    "portal_url", _("Link to the portal"), "https://event.example.org/portal/"
)

PLACEHOLDERS: dict[str, list[Placeholder]] = {
    EmailKind.INVITATION: [
        _RECIPIENT,
        _ORGANISATION,
        Placeholder(
            "invitation_url",
            _("The one-time invitation link"),
            "https://event.example.org/invitations/abc123/",
        ),
        Placeholder("expires_on", _("When the link expires"), "8 October 2025"),
    ],
    EmailKind.MEMBER_INVITATION: [
        _RECIPIENT,
        _ORGANISATION,
        Placeholder(
            "focal_point_name", _("The focal point who nominated them"), "Ms. Jane DOE"
        ),
        Placeholder(
            "profile_url",
            _("Link to complete the profile"),
            "https://event.example.org/profile/xyz789/",
        ),
        Placeholder("expires_on", _("When the link expires"), "8 October 2025"),
    ],
    EmailKind.REGISTRATION_RECEIVED: [_PARTICIPANT, _ORGANISATION, _PORTAL],
    EmailKind.ACCREDITATION_APPROVED: [
        _PARTICIPANT,
        _ORGANISATION,
        Placeholder("badge_number", _("Badge number"), "HN-000123"),
        Placeholder("badge_category", _("Badge category"), "Delegate"),
        Placeholder(
            "access_zones",
            _("Access zones (a list)"),
            ["Plenary hall", "Side-event rooms"],
        ),
        Placeholder(
            "badge_collection",
            _("Where and when to collect the badge"),
            "Accreditation desk, Gate 2, from 23 October, 09:00–18:00",
        ),
        _PORTAL,
    ],
    EmailKind.ACCREDITATION_REJECTED: [
        _PARTICIPANT,
        _ORGANISATION,
        Placeholder(
            "reason",
            _("The reason given"),
            "The nomination was not confirmed by the focal point.",
        ),
    ],
    EmailKind.SIDE_EVENT_DECISION: [
        _RECIPIENT,
        Placeholder(
            "side_event_title",
            _("The side event's title"),
            "Capacity building against ransomware",
        ),
        Placeholder("accepted", _("True if accepted"), True),
        Placeholder(
            "decision_note",
            _("The organizers' note"),
            "Room B2, 26 October 13:15–14:30.",
        ),
        _PORTAL,
    ],
    EmailKind.WAITLIST_PROMOTION: [
        _PARTICIPANT,
        Placeholder(
            "session_title",
            _("The session"),
            "High-level panel on international cooperation",
        ),
        Placeholder(
            "session_starts", _("When it starts (event time)"), "25 October 2025, 14:00"
        ),
        Placeholder("room", _("The room"), "Room B1"),
    ],
    EmailKind.REMINDER_DEADLINE: [
        _RECIPIENT,
        _ORGANISATION,
        Placeholder(
            "deadline",
            _("The registration deadline (event time)"),
            "10 October 2025, 23:59",
        ),
        Placeholder("days_left", _("Days left"), 7),
        _PORTAL,
    ],
    EmailKind.REMINDER_MISSING_DATA: [
        _PARTICIPANT,
        Placeholder(
            "missing",
            _("What is missing (a list)"),
            ["photo", "passport number and expiry date"],
        ),
        _PORTAL,
    ],
    EmailKind.REMINDER_DAY_BEFORE: [
        _PARTICIPANT,
        Placeholder("day", _("The day (event time)"), "Saturday 25 October 2025"),
        Placeholder(
            "items",
            _("The sessions (a list of time, title, room)"),
            [
                {"time": "09:00", "title": "Opening ceremony", "room": "Plenary hall"},
                {"time": "14:00", "title": "High-level panel", "room": "Room B1"},
            ],
        ),
    ],
}

TEMPLATED_KINDS = [kind for kind in EmailKind if kind not in PRE_RENDERED_KINDS]


def placeholders_for(kind: str) -> list[Placeholder]:
    return [*PLACEHOLDERS.get(kind, []), *COMMON_PLACEHOLDERS]


def sample_context(kind: str) -> dict[str, Any]:
    return {p.name: p.sample for p in placeholders_for(kind)}


def shipped_template(kind: str) -> dict[str, str]:
    """The English texts shipped for ``kind`` under templates/emails/."""
    html = TEMPLATE_DIR / f"{kind}.html"
    return {
        "subject": (TEMPLATE_DIR / f"{kind}.subject.txt").read_text().strip(),
        "text_body": (TEMPLATE_DIR / f"{kind}.txt").read_text(),
        "html_body": html.read_text() if html.exists() else "",
    }
