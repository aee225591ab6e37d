from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CardSize(models.TextChoices):
    """Card sizes the badge printers take; one badge per page."""

    CR80 = "cr80", _("CR80 card, 54 × 85.6 mm (portrait)")
    BADGE_4X3 = "4x3", _("Event badge, 4 × 3 in (landscape)")
    A6 = "a6", _("A6, 105 × 148 mm (portrait)")


class PrintJobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Printing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# The default badge categories of an event: (code, name, colour, printed
# label, requires a confirmation at the gate, zones).
DEFAULT_ZONES = (
    # (code, name, re-entry allowed, must exit before entering again)
    ("venue", _("Venue (NCC)"), True, True),
    ("plenary", _("Plenary hall"), True, True),
    ("signing", _("Signing ceremony hall"), False, True),
    ("vip_lounge", _("VIP lounge"), True, True),
    ("media_centre", _("Media centre"), True, False),
)

VIP = "vip"
PARTY = "party"
OBSERVER = "observer"
IGO_UN = "igo_un"
NGO = "ngo"
MEDIA = "media"
STAFF = "staff"
SECURITY = "security"

DEFAULT_CATEGORIES = (
    (
        VIP,
        _("VIP"),
        "#B8860B",
        "VIP",
        True,
        ("venue", "plenary", "signing", "vip_lounge"),
    ),
    (PARTY, _("Party"), "#1F4E9E", "PARTY", False, ("venue", "plenary", "signing")),
    (OBSERVER, _("Observer"), "#2E7D32", "OBSERVER", False, ("venue", "plenary")),
    (
        IGO_UN,
        _("IGO / UN"),
        "#0277BD",
        "UN / IGO",
        False,
        ("venue", "plenary", "signing"),
    ),
    (NGO, _("NGO"), "#6A1B9A", "NGO", False, ("venue",)),
    (MEDIA, _("Media"), "#C62828", "MEDIA", False, ("venue", "media_centre")),
    (
        STAFF,
        _("Staff"),
        "#455A64",
        "STAFF",
        False,
        ("venue", "plenary", "signing", "vip_lounge", "media_centre"),
    ),
    (
        SECURITY,
        _("Security"),
        "#212121",
        "SECURITY",
        False,
        ("venue", "plenary", "signing", "vip_lounge", "media_centre"),
    ),
)
