from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeItemKind(models.TextChoices):
    OPENING = "opening", _("Opening")
    SIGNING_CEREMONY = "signing_ceremony", _("Signing ceremony")
    PLENARY = "plenary", _("Plenary / high-level segment")
    HIGH_LEVEL_EVENT = "high_level_event", _("High-level event")
    PANEL = "panel", _("Panel")
    SIDE_EVENT = "side_event", _("Side event")
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    RECEPTION = "reception", _("Reception")
    BILATERAL = "bilateral", _("Bilateral meeting")
    CLOSING = "closing", _("Closing")
