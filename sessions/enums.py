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


class SpeakerRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MODERATOR = "moderator", _("Moderator")
    SPEAKER = "speaker", _("Speaker")


class InterpretationLanguage(models.TextChoices):
    """The six UN languages and the host country's."""

    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")
    VIETNAMESE = "vi", _("Vietnamese")


class SideEventFormat(models.TextChoices):
    PANEL = "panel", _("Panel discussion")
    ROUNDTABLE = "roundtable", _("Round table")
    WORKSHOP = "workshop", _("Workshop")
    PRESENTATION = "presentation", _("Presentation or launch")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")
