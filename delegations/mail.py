"""The delegations app's kinds of email, with their placeholders and sample
values; the shipped English texts are in ``delegations/emails/``. Registered
by ``DelegationsConfig.ready()``."""

import datetime as dt
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from hanoi_event.mail_kinds import MailKind, Placeholder

INVITATION = "invitation"
MEMBER_INVITATION = "member_invitation"
REGISTRATION_RECEIVED = "registration_received"
REMINDER_DEADLINE = "reminder_deadline"
REMINDER_MISSING_DATA = "reminder_missing_data"

_SHIPPED = Path(__file__).resolve().parent / "emails"

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
_EXPIRES = Placeholder("expires_on", _("When the link expires"), dt.date(2025, 10, 8))

MAIL_KINDS = (
    MailKind(
        INVITATION,
        _("Invitation to a delegation's focal point"),
        placeholders=[
            _RECIPIENT,
            _ORGANISATION,
            Placeholder(
                "invitation_url",
                _("The one-time invitation link"),
                "https://event.example.org/invitations/abc123/",
            ),
            _EXPIRES,
        ],
        shipped_dir=_SHIPPED,
    ),
    MailKind(
        MEMBER_INVITATION,
        _("Invitation to a delegation member"),
        placeholders=[
            _RECIPIENT,
            _ORGANISATION,
            Placeholder(
                "focal_point_name",
                _("The focal point who nominated them"),
                "Ms. Jane DOE",
            ),
            Placeholder(
                "focal_point_email",
                _("The focal point's address"),
                "jane.doe@mfa.example.org",
            ),
            Placeholder(
                "profile_url",
                _("Link to complete the profile"),
                "https://event.example.org/profile/xyz789/",
            ),
            Placeholder(
                "expires_on",
                _("The date to complete it by (empty once it has passed)"),
                dt.date(2025, 10, 10),
            ),
        ],
        shipped_dir=_SHIPPED,
    ),
    MailKind(
        REGISTRATION_RECEIVED,
        _("Registration received"),
        placeholders=[_PARTICIPANT, _ORGANISATION, _PORTAL],
        shipped_dir=_SHIPPED,
    ),
    MailKind(
        REMINDER_DEADLINE,
        _("Reminder: registration deadline"),
        placeholders=[
            _RECIPIENT,
            _ORGANISATION,
            Placeholder(
                "deadline",
                _("The registration deadline (event time)"),
                dt.datetime(2025, 10, 10, 16, 59, tzinfo=dt.UTC),
            ),
            Placeholder("days_left", _("Days left"), 7),
            _PORTAL,
        ],
        shipped_dir=_SHIPPED,
    ),
    MailKind(
        REMINDER_MISSING_DATA,
        _("Reminder: missing registration data"),
        placeholders=[
            _PARTICIPANT,
            Placeholder(
                "missing",
                _("What is missing (a list)"),
                ["photo", "passport number", "passport expiry"],
            ),
            _PORTAL,
        ],
        shipped_dir=_SHIPPED,
    ),
)
