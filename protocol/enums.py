from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningStatus(models.TextChoices):
    """Where a State's request to sign stands."""

    AWAITING_FULL_POWERS = "awaiting", _("Awaiting full powers")
    CLEARED = "cleared", _("Cleared to sign")
    SIGNED = "signed", _("Signed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FullPowersStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("Not required (VCLT art. 7(2)(a))")
    MISSING = "missing", _("Not uploaded yet")
    UNDER_REVIEW = "under_review", _("Uploaded, under review")
    CLEARED = "cleared", _("Cleared")
    REJECTED = "rejected", _("Rejected")


class SpeechKind(models.TextChoices):
    STATEMENT = "statement", _("Statement")
    REPLY = "reply", _("Right of reply")


class SpeakerStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SPEAKING = "speaking", _("Speaking")
    DONE = "done", _("Has spoken")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RankGroup(models.IntegerChoices):
    """The order of the high-level segment's speaking list (a lower value
    speaks first); see ``protocol.ranks.rank_group``."""

    HEAD_OF_STATE = 1, _("Head of State")
    VICE_PRESIDENT_OR_CROWN_PRINCE = 2, _("Vice-President or Crown Prince/Princess")
    HEAD_OF_GOVERNMENT = 3, _("Head of Government")
    DEPUTY_HEAD_OF_GOVERNMENT = 4, _("Deputy Head of Government")
    MINISTER = 5, _("Minister")
    VICE_MINISTER = 6, _("Vice-Minister")
    AMBASSADOR_HEAD_OF_DELEGATION = 7, _("Head of Delegation at ambassador level")
    OTHER = 8, _("Other")
