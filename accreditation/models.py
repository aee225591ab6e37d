"""Accreditation: the review's decisions, badge categories and access zones,
signing keys and badges, batch printing jobs."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from delegations.models import Participant
from hanoi_event.formatting import format_datetime

from .enums import CardSize, Decision, PrintJobStatus

_COLOUR = RegexValidator(
    r"^#[0-9A-Fa-f]{6}$", _("A colour is written #RRGGBB, for example #1F4E9E.")
)


class Zone(models.Model):
    """An area behind gates (the venue, the plenary hall, the VIP lounge)
    with its rules for coming back in."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="zones",
        verbose_name=_("event"),
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=128)
    reentry_allowed = models.BooleanField(
        _("re-entry allowed"),
        default=True,
        help_text=_("Off: a badge enters this zone once only."),
    )
    exit_required = models.BooleanField(
        _("must exit before entering again"),
        default=True,
        help_text=_("On: a badge recorded inside cannot enter again until it exits."),
    )

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["event", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "code"],
                name="zone_code_unique_per_event",
                violation_error_message=_(
                    "This event already has a zone with this code."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BadgeCategory(models.Model):
    """A kind of badge: its colour, printed label and access zones."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="badge_categories",
        verbose_name=_("event"),
    )
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=128)
    colour = models.CharField(_("colour"), max_length=7, validators=[_COLOUR])
    label = models.CharField(
        _("printed label"), max_length=24, help_text=_("Printed on the badge band.")
    )
    zones = models.ManyToManyField(
        Zone, blank=True, related_name="categories", verbose_name=_("access zones")
    )
    requires_confirmation = models.BooleanField(
        _("confirm at the gate"),
        default=False,
        help_text=_(
            "On (VIP): a valid scan waits for the operator to confirm after "
            "comparing the photo."
        ),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("badge category")
        verbose_name_plural = _("badge categories")
        ordering = ["event", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "code"],
                name="badgecategory_code_unique_per_event",
                violation_error_message=_(
                    "This event already has a badge category with this code."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CategoryChoice(models.Model):
    """An officer's choice of category for a participant, instead of the
    default from the delegation's kind and the participant's role or rank."""

    participant = models.OneToOneField(
        Participant,
        on_delete=models.CASCADE,
        related_name="badge_category_choice",
        verbose_name=_("participant"),
    )
    category = models.ForeignKey(
        BadgeCategory,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("badge category"),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set"), auto_now=True)

    class Meta:
        verbose_name = _("badge category choice")
        verbose_name_plural = _("badge category choices")

    def __str__(self) -> str:
        return f"{self.participant}: {self.category}"


class AccreditationDecision(models.Model):
    """One decision of the review: who decided what, when and why, and the
    reviewed fields as they were (so the next review shows what changed)."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("event"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="accreditation_decisions",
        verbose_name=_("participant"),
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"))
    snapshot = models.JSONField(_("reviewed data"), default=dict, editable=False)

    class Meta:
        verbose_name = _("accreditation decision")
        verbose_name_plural = _("accreditation decisions")
        ordering = ["-decided_at", "-pk"]
        indexes = [
            models.Index(
                fields=["participant", "-decided_at"], name="decision_participant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_decision_display()}"


class SigningKey(models.Model):
    """An Ed25519 key that signs an event's badges. The active key signs new
    badges; older keys stay valid (badges printed with them still pass) until
    they are retired. Only the public half ever leaves the server."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="badge_signing_keys",
        verbose_name=_("event"),
    )
    key_id = models.PositiveIntegerField(_("key id"), unique=True)
    public_key = models.CharField(_("public key (base64url)"), max_length=64)
    private_key_encrypted = models.TextField(editable=False)
    is_active = models.BooleanField(_("signs new badges"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(
        _("retired"),
        null=True,
        blank=True,
        help_text=_("Badges signed with a retired key are refused."),
    )

    class Meta:
        verbose_name = _("badge signing key")
        verbose_name_plural = _("badge signing keys")
        ordering = ["event", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(is_active=True),
                name="signingkey_one_active_per_event",
                violation_error_message=_("This event already has an active key."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_id:08x}"

    @property
    def key_id_hex(self) -> str:
        return f"{self.key_id:08x}"


class Badge(models.Model):
    """One printed badge. Its number stays with the participant across
    reprints; each reprint is a new row with the next version, and the old
    one is revoked. The QR code carries the signed payload of this row."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.PROTECT,
        related_name="badges",
        verbose_name=_("event"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="badges",
        verbose_name=_("participant"),
    )
    number = models.PositiveIntegerField(_("badge number"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    category = models.ForeignKey(
        BadgeCategory,
        on_delete=models.PROTECT,
        related_name="badges",
        verbose_name=_("category"),
    )
    zone_ids = models.JSONField(_("zones (as signed)"), default=list)
    key = models.ForeignKey(
        SigningKey,
        on_delete=models.PROTECT,
        related_name="badges",
        verbose_name=_("signed with"),
    )
    fingerprint = models.CharField(max_length=64, editable=False)
    flagged = models.BooleanField(
        _("flagged"),
        default=False,
        help_text=_("A valid scan waits for the operator to confirm."),
    )
    flag_note = models.CharField(_("note for the gate"), max_length=255, blank=True)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issue_reason = models.CharField(
        _("reason for printing"), max_length=255, blank=True
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.CharField(
        _("reason for revoking"), max_length=255, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["event", "number", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "number", "version"],
                name="badge_number_version_unique",
            ),
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(revoked_at__isnull=True),
                name="badge_one_valid_per_participant",
                violation_error_message=_(
                    "This participant already has a valid badge."
                ),
            ),
            models.UniqueConstraint(
                fields=["event", "number"],
                condition=Q(revoked_at__isnull=True),
                name="badge_number_unique_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "revoked_at"], name="badge_event_revoked"),
            models.Index(fields=["event", "updated_at"], name="badge_event_updated"),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return badge_number_text(self.number)

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class BadgeFlagChange(models.Model):
    """A badge flagged or unflagged: who, when and why, and the note the gate
    was given. Written by ``badge_flag`` / ``badge_unflag`` only."""

    badge = models.ForeignKey(
        Badge,
        on_delete=models.CASCADE,
        related_name="flag_changes",
        verbose_name=_("badge"),
    )
    flagged = models.BooleanField(_("flagged"))
    note = models.CharField(_("note for the gate"), max_length=255, blank=True)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("badge flag change")
        verbose_name_plural = _("badge flag changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.badge}: {self.flagged}"


def badge_number_text(number: int) -> str:
    """The number as printed and typed at the gate: at least 5 digits."""
    return f"{number:05d}"


class BadgePrintJob(models.Model):
    """A batch of badges printed into one PDF in the background."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("event"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    badge_ids = models.JSONField(_("badges"), default=list)
    card_size = models.CharField(
        _("card size"), max_length=8, choices=CardSize.choices, default=CardSize.CR80
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PrintJobStatus.choices,
        default=PrintJobStatus.PENDING,
    )
    total = models.PositiveIntegerField(_("badges"), default=0)
    done = models.PositiveIntegerField(_("printed"), default=0)
    file = models.FileField(_("PDF"), upload_to="badges/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("badge print job")
        verbose_name_plural = _("badge print jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # In the event's time zone, with the zone written.
        return _("%(count)s badges, %(when)s") % {
            "count": self.total,
            "when": format_datetime(self.created_at, "datetime", tz=self.event.tzinfo)
            if self.created_at
            else "",
        }


class ParticipantReview(Participant):
    """The review queue in the admin: participants as accreditation officers
    see them (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("participant to review")
        verbose_name_plural = _("review queue")
