"""The accreditation app's kinds of email (the review's decisions); the
shipped English texts are in ``accreditation/emails/``. Registered by
``AccreditationConfig.ready()``."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from hanoi_event.mail_kinds import MailKind, Placeholder

ACCREDITATION_APPROVED = "accreditation_approved"
ACCREDITATION_REJECTED = "accreditation_rejected"

_SHIPPED = Path(__file__).resolve().parent / "emails"
_PARTICIPANT = Placeholder(
    "participant_name", _("The participant's name"), "Mr. Nguyen Van AN"
)
_ORGANISATION = Placeholder(
    "organisation_name", _("The delegation's organisation"), "Republic of Example"
)
_PORTAL = Placeholder(
    "portal_url",
    _("Link to the participant's page"),
    "https://event.example.org/portal/",
)

MAIL_KINDS = (
    MailKind(
        ACCREDITATION_APPROVED,
        _("Accreditation approved"),
        placeholders=[
            _PARTICIPANT,
            _ORGANISATION,
            Placeholder("badge_number", _("The badge number"), "00042"),
            Placeholder("badge_category", _("The badge category"), "Party"),
            _PORTAL,
        ],
        shipped_dir=_SHIPPED,
    ),
    MailKind(
        ACCREDITATION_REJECTED,
        _("Accreditation rejected"),
        placeholders=[
            _PARTICIPANT,
            _ORGANISATION,
            Placeholder(
                "reason",
                _("The reason for the rejection"),
                "The photo does not meet the requirements.",
            ),
            _PORTAL,
        ],
        shipped_dir=_SHIPPED,
    ),
)
