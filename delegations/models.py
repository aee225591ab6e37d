"""Who comes: organisations, delegations and the people in them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import (
    PHOTO_EXEMPT_RANKS,
    STATE_KINDS,
    DelegationRole,
    DelegationStatus,
    Gender,
    Honorific,
    InvitationStatus,
    OrganisationKind,
    OrganisationRequestStatus,
    ParticipantStatus,
    PreferredLanguage,
    ProtocolRank,
    RegionalGroup,
)

_STATE_KIND_VALUES = [kind.value for kind in STATE_KINDS]


class Organisation(models.Model):
    """A State (Member or observer) or another body that sends a delegation."""

    name = models.CharField(
        _("name"), max_length=255, unique=True, help_text=_("For States, the UN name.")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    iso2 = models.CharField(
        _("ISO 3166 alpha-2"), max_length=2, unique=True, null=True, blank=True
    )
    iso3 = models.CharField(
        _("ISO 3166 alpha-3"), max_length=3, unique=True, null=True, blank=True
    )
    regional_group = models.CharField(
        _("UN regional group"), max_length=32, choices=RegionalGroup.choices, blank=True
    )
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=_STATE_KIND_VALUES)
                | (Q(iso2__isnull=False) & Q(iso3__isnull=False)),
                name="organisation_state_has_iso_codes",
                violation_error_message=_(
                    "A State needs its ISO alpha-2 and alpha-3 codes."
                ),
            ),
            models.CheckConstraint(
                condition=Q(iso2__isnull=True) | Q(iso2__regex=r"^[A-Z]{2}$"),
                name="organisation_iso2_format",
                violation_error_message=_("ISO alpha-2 is two capital letters."),
            ),
            models.CheckConstraint(
                condition=Q(iso3__isnull=True) | Q(iso3__regex=r"^[A-Z]{3}$"),
                name="organisation_iso3_format",
                violation_error_message=_("ISO alpha-3 is three capital letters."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Blank codes are "no code": store NULL so uniqueness ignores them.
        self.iso2 = (self.iso2 or "").strip().upper() or None
        self.iso3 = (self.iso3 or "").strip().upper() or None
        errors = {}
        if self.is_state:
            if not self.iso2:
                errors["iso2"] = _("A State needs its ISO alpha-2 code.")
            if not self.iso3:
                errors["iso3"] = _("A State needs its ISO alpha-3 code.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_state(self) -> bool:
        return self.kind in _STATE_KIND_VALUES


class DelegationRoleQuota(models.Model):
    """At most ``max_count`` members of ``role`` per delegation at ``event``."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="role_quotas",
        verbose_name=_("event"),
    )
    role = models.CharField(_("role"), max_length=16, choices=DelegationRole.choices)
    max_count = models.PositiveSmallIntegerField(_("maximum per delegation"))

    class Meta:
        verbose_name = _("delegation role quota")
        verbose_name_plural = _("delegation role quotas")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "role"],
                name="quota_one_per_event_role",
                violation_error_message=_(
                    "This event already has a quota for this role."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.max_count}"


class Delegation(models.Model):
    """An organisation's delegation to one event."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.PROTECT,
        related_name="delegations",
        verbose_name=_("event"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="delegations",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DelegationStatus.choices,
        default=DelegationStatus.NOT_INVITED,
    )
    focal_point = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focal_point_of",
        verbose_name=_("focal point (DAO)"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    note_verbale = models.FileField(
        _("note verbale or letter of credentials (PDF)"),
        upload_to="credentials/",
        blank=True,
        help_text=_("Private: served only to the focal point and to staff."),
    )
    note_verbale_uploaded_at = models.DateTimeField(
        _("note verbale uploaded"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"],
                name="delegation_one_per_organisation_event",
                violation_error_message=_(
                    "This organisation already has a delegation at this event."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Participant(models.Model):
    """A person in a delegation at an event."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("event"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("delegation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role in the delegation"),
        max_length=16,
        choices=DelegationRole.choices,
        default=DelegationRole.DELEGATE,
    )
    protocol_rank = models.PositiveSmallIntegerField(
        _("protocol rank"), choices=ProtocolRank.choices, default=ProtocolRank.OFFICIAL
    )
    is_spouse_of_dignitary = models.BooleanField(
        _(
            "spouse of a Head of State/Government, Vice-President or Crown Prince/Princess"
        ),
        default=False,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ParticipantStatus.choices,
        default=ParticipantStatus.NOMINATED,
    )

    # Identity, as in the passport.
    honorific = models.CharField(
        _("honorific"), max_length=8, choices=Honorific.choices, blank=True
    )
    given_names = models.CharField(_("given names (as in passport)"), max_length=150)
    family_name = models.CharField(_("family name (as in passport)"), max_length=150)
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, blank=True
    )
    function_title = models.CharField(_("function / title"), max_length=255, blank=True)
    nationality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind__in": _STATE_KIND_VALUES},
        verbose_name=_("nationality"),
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=32, blank=True)
    passport_expiry = models.DateField(_("passport expiry"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    photo = models.ImageField(_("photo"), upload_to="photos/", blank=True)

    # Travel and stay.
    arrival_at = models.DateTimeField(_("arrival"), null=True, blank=True)
    departure_at = models.DateTimeField(_("departure"), null=True, blank=True)
    hotel = models.CharField(_("hotel"), max_length=255, blank=True)
    needs_visa_letter = models.BooleanField(
        _("visa support letter requested"), default=False
    )

    # Needs and preferences.
    dietary_needs = models.CharField(_("dietary needs"), max_length=255, blank=True)
    accessibility_needs = models.CharField(
        _("accessibility needs"), max_length=255, blank=True
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=PreferredLanguage.choices,
        default=PreferredLanguage.ENGLISH,
    )
    consent_list_of_participants = models.BooleanField(
        _("consents to appear in the List of Participants"), default=False
    )

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["family_name", "given_names"]
        indexes = [
            models.Index(fields=["event", "status"], name="participant_event_status"),
        ]
        permissions = [
            ("view_passport", _("Can view passport data")),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "event",
                name="participant_email_unique_per_event",
                violation_error_message=_(
                    "A participant with this email is already registered for this event."
                ),
            ),
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(role=DelegationRole.HEAD)
                & ~Q(status=ParticipantStatus.WITHDRAWN),
                name="participant_one_head_per_delegation",
                violation_error_message=_(
                    "This delegation already has a Head of Delegation."
                ),
            ),
            models.CheckConstraint(
                condition=Q(departure_at__isnull=True)
                | Q(arrival_at__isnull=True)
                | Q(departure_at__gte=models.F("arrival_at")),
                name="participant_departure_not_before_arrival",
                violation_error_message=_("Departure cannot be before arrival."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        self.email = (self.email or "").strip().lower()
        errors = {}
        if (
            self.delegation_id
            and self.event_id
            and self.delegation.event_id != self.event_id
        ):
            errors["delegation"] = _("The delegation belongs to another event.")
        if (
            self.arrival_at
            and self.departure_at
            and self.departure_at < self.arrival_at
        ):
            errors["departure_at"] = _("Departure cannot be before arrival.")
        if (
            self.passport_expiry
            and self.event_id
            and self.passport_expiry < self.event.end_date
        ):
            errors["passport_expiry"] = _("The passport expires before the event ends.")
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name.upper()}".strip()

    @property
    def photo_required(self) -> bool:
        return not (
            self.protocol_rank in PHOTO_EXEMPT_RANKS or self.is_spouse_of_dignitary
        )


class Invitation(models.Model):
    """A one-time, expiring link that makes its holder a delegation's focal
    point. Only the SHA-256 hash of the token is stored; the token itself
    exists only in the email. "Expired" is not stored: a pending invitation
    past ``expires_at`` is expired (see ``effective_status``)."""

    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("delegation"),
    )
    email = models.EmailField(_("invited email"))
    token_hash = models.CharField(
        _("token hash"), max_length=64, unique=True, editable=False
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=[
            (InvitationStatus.PENDING, InvitationStatus.PENDING.label),
            (InvitationStatus.ACCEPTED, InvitationStatus.ACCEPTED.label),
            (InvitationStatus.REVOKED, InvitationStatus.REVOKED.label),
        ],
        default=InvitationStatus.PENDING,
    )
    expires_at = models.DateTimeField(_("expires"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(status="pending"),
                name="invitation_one_pending_per_delegation",
                violation_error_message=_(
                    "This delegation already has a pending invitation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation} → {self.email}"

    @property
    def is_expired(self) -> bool:
        return (
            self.status == InvitationStatus.PENDING
            and self.expires_at <= timezone.now()
        )

    @property
    def effective_status(self) -> str:
        return InvitationStatus.EXPIRED if self.is_expired else self.status

    def get_effective_status_display(self) -> str:
        return InvitationStatus(self.effective_status).label


class RegistrationCode(models.Model):
    """A code the organizer gives to organisations that are not States
    (NGOs, media, private sector, academia) so they can ask to register."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="registration_codes",
        verbose_name=_("event"),
    )
    code = models.CharField(_("code"), max_length=32, unique=True)
    label = models.CharField(
        _("label"), max_length=255, blank=True, help_text=_("Who it was given to.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    max_uses = models.PositiveIntegerField(
        _("maximum uses"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration code")
        verbose_name_plural = _("registration codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        self.code = (self.code or "").strip().upper()


class OrganisationRequest(models.Model):
    """An organisation that is not a State asking to register, with a code.
    Approval creates the organisation and its delegation, with the requester
    as focal point."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="organisation_requests",
        verbose_name=_("event"),
    )
    registration_code = models.ForeignKey(
        RegistrationCode,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("registration code"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_requests",
        verbose_name=_("requested by"),
    )
    name = models.CharField(_("organisation name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganisationRequestStatus.choices,
        default=OrganisationRequestStatus.PENDING,
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation registration request")
        verbose_name_plural = _("organisation registration requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "requested_by"],
                condition=Q(status="pending"),
                name="orgrequest_one_pending_per_user_event",
                violation_error_message=_(
                    "You already have a request waiting for approval."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=_STATE_KIND_VALUES),
                name="orgrequest_not_a_state",
                violation_error_message=_(
                    "States are invited by the secretariat; they do not use codes."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TransferLog(models.Model):
    """One import or export of a list (participants, delegations,
    organisations, programme items, the security clearance list): who, when,
    which file, what came of it. Written by ``delegations.services.imports``
    and ``exports``; the admin lists them.

    An import keeps its uploaded file (``payload``) from the check to the
    confirmation and drops it once imported, refused or expired; a background
    export keeps the file it made until it expires. The stored report never
    holds passport data (``fields.RESTRICTED_FIELDS``)."""

    class Direction(models.TextChoices):
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")

    class Source(models.TextChoices):
        ADMIN = "admin", _("Admin")
        PORTAL = "portal", _("Portal")
        COMMAND = "command", _("Command line")

    class Status(models.TextChoices):
        RUNNING = "running", _("In progress")
        CHECKED = "checked", _("Checked, waiting for confirmation")
        DONE = "done", _("Done")
        FAILED = "failed", _("Refused (nothing written)")
        EXPIRED = "expired", _("Not confirmed (discarded)")

    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices
    )
    kind = models.CharField(_("list"), max_length=32)
    source = models.CharField(_("from"), max_length=8, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RUNNING
    )
    phase = models.CharField(_("phase"), max_length=16, blank=True)
    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transfer_logs",
        verbose_name=_("delegation"),
        help_text=_("Portal imports: the focal point's delegation."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor = models.CharField(
        _("by"), max_length=255, help_text=_("Who, as written at the time.")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveIntegerField(_("file size (bytes)"), default=0)
    payload = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    options = models.JSONField(_("options"), default=dict, blank=True)
    dry_run = models.BooleanField(_("check only"), default=False)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    message = models.TextField(_("message"), blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import or export")
        verbose_name_plural = _("imports and exports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["-created_at"], name="transferlog_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.kind}: {self.file_name}"
