from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MEMBER_STATE = "member_state", _("UN Member State")
    OBSERVER_STATE = "observer_state", _("Observer State")
    UN_ENTITY = "un_entity", _("UN entity")
    IGO = "igo", _("Intergovernmental organisation")
    NGO = "ngo", _("Non-governmental organisation")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    MEDIA = "media", _("Media")


STATE_KINDS = (OrganisationKind.MEMBER_STATE, OrganisationKind.OBSERVER_STATE)


class RegionalGroup(models.TextChoices):
    AFRICAN = "african", _("African States")
    ASIA_PACIFIC = "asia_pacific", _("Asia-Pacific States")
    EASTERN_EUROPEAN = "eastern_european", _("Eastern European States")
    GRULAC = "grulac", _("Latin American and Caribbean States")
    WEOG = "weog", _("Western European and other States")


class DelegationStatus(models.TextChoices):
    NOT_INVITED = "not_invited", _("Not invited")
    INVITED = "invited", _("Invited")
    REGISTERING = "registering", _("Registering")
    SUBMITTED = "submitted", _("Submitted for accreditation")
    ACCREDITED = "accredited", _("Accredited")
    DECLINED = "declined", _("Declined")


class DelegationRole(models.TextChoices):
    HEAD = "head", _("Head of Delegation")
    ALTERNATE = "alternate", _("Alternate")
    ADVISER = "adviser", _("Adviser")
    DELEGATE = "delegate", _("Delegate")
    SECURITY = "security", _("Security")
    PRESS = "press", _("Press")


class ProtocolRank(models.IntegerChoices):
    """Order of precedence: a lower value comes first."""

    HEAD_OF_STATE = 10, _("Head of State")
    HEAD_OF_GOVERNMENT = 20, _("Head of Government")
    VICE_PRESIDENT = 30, _("Vice-President")
    CROWN_PRINCE = 35, _("Crown Prince or Princess")
    DEPUTY_HEAD_OF_GOVERNMENT = 40, _("Deputy Prime Minister")
    MINISTER_FOR_FOREIGN_AFFAIRS = 50, _("Minister for Foreign Affairs")
    MINISTER = 60, _("Minister")
    VICE_MINISTER = 70, _("Vice-Minister")
    HEAD_OF_ORGANISATION = 75, _("Head of an organisation")
    AMBASSADOR = 80, _("Ambassador / Permanent Representative")
    SENIOR_OFFICIAL = 90, _("Senior official")
    OFFICIAL = 100, _("Official")
    OTHER = 200, _("Other")


# UN practice: no photo is required of these ranks (nor of their spouses).
PHOTO_EXEMPT_RANKS = frozenset(
    {
        ProtocolRank.HEAD_OF_STATE,
        ProtocolRank.HEAD_OF_GOVERNMENT,
        ProtocolRank.VICE_PRESIDENT,
        ProtocolRank.CROWN_PRINCE,
    }
)


class ParticipantStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Honorific(models.TextChoices):
    HE_MR = "he_mr", _("H.E. Mr.")
    HE_MS = "he_ms", _("H.E. Ms.")
    MR = "mr", _("Mr.")
    MS = "ms", _("Ms.")
    MX = "mx", _("Mx.")
    DR = "dr", _("Dr.")
    PROF = "prof", _("Prof.")
    HM = "hm", _("H.M.")
    HRH = "hrh", _("H.R.H.")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class PreferredLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    RUSSIAN = "ru", _("Russian")
    CHINESE = "zh-hans", _("Chinese")
    ARABIC = "ar", _("Arabic")
    VIETNAMESE = "vi", _("Vietnamese")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class OrganisationRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
