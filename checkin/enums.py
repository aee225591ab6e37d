from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")


class Verdict(models.TextChoices):
    VALID = "valid", _("Valid")
    ALREADY_INSIDE = "already_inside", _("Already inside")
    REVOKED = "revoked", _("Revoked")
    UNKNOWN = "unknown", _("Unknown")
    ZONE_DENIED = "zone_denied", _("Not allowed in this zone")
    WRONG_EVENT = "wrong_event", _("Wrong event")


class Reason(models.TextChoices):
    """Why a verdict was given (shown to operators and staff)."""

    NONE = "", _("-")
    MALFORMED = "malformed", _("Not a badge code")
    UNKNOWN_KEY = "unknown_key", _("Signed with a key this event does not know")
    BAD_SIGNATURE = (
        "bad_signature",
        _("The signature does not match (tampered or forged)"),
    )
    RETIRED_KEY = "retired_key", _("Signed with a retired key")
    NO_SUCH_BADGE = "no_such_badge", _("No such badge")
    BADGE_REVOKED = "badge_revoked", _("The badge was revoked")
    NOT_APPROVED = "not_approved", _("The accreditation is no longer approved")
    NOT_IN_ZONE = "not_in_zone", _("The badge's category has no access to this zone")
    INSIDE = "inside", _("Recorded inside; must exit first")
    NO_REENTRY = "no_reentry", _("Entered before; this zone allows no re-entry")
    NOT_INSIDE = "not_inside", _("Was not recorded inside")
    OTHER_EVENT = "other_event", _("A badge of another event")
