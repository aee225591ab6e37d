"""Check-in: gates, enrolled devices, scans and who is inside where."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accreditation.models import Badge, Zone

from .enums import Direction, Reason, Verdict


class Gate(models.Model):
    """A checkpoint into or out of a zone."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="gates",
        verbose_name=_("event"),
    )
    name = models.CharField(_("name"), max_length=128)
    zone = models.ForeignKey(
        Zone, on_delete=models.PROTECT, related_name="gates", verbose_name=_("zone")
    )
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.ENTRY
    )
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("gate")
        verbose_name_plural = _("gates")
        ordering = ["event", "zone__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="gate_name_unique_per_event",
                violation_error_message=_(
                    "This event already has a gate with this name."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_direction_display()})"


class Device(models.Model):
    """A phone or scanner at the gates. Enrolled once with a one-time setup
    code an organizer creates; then it holds its own token (only hashes are
    stored). Revoking it refuses its token at once."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="checkin_devices",
        verbose_name=_("event"),
    )
    name = models.CharField(_("name"), max_length=128)
    setup_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    setup_code_expires_at = models.DateTimeField(
        _("setup code valid until"), null=True, blank=True
    )
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    enrolled_at = models.DateTimeField(_("enrolled"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in device")
        verbose_name_plural = _("check-in devices")
        ordering = ["event", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"],
                condition=~Q(token_hash=""),
                name="device_token_hash_unique",
            ),
            models.UniqueConstraint(
                fields=["setup_code_hash"],
                condition=~Q(setup_code_hash=""),
                name="device_setup_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Scan(models.Model):
    """One scan at a gate, as the server settled it. ``scanned_at`` is the
    device's clock, ``received_at`` the server's. A scan made offline keeps
    what the device showed (``offline_verdict``); ``disputed`` marks one the
    device accepted and the server would have refused."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("event"),
    )
    gate = models.ForeignKey(
        Gate, on_delete=models.PROTECT, related_name="scans", verbose_name=_("gate")
    )
    device = models.ForeignKey(
        Device,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scans",
        verbose_name=_("device"),
    )
    nonce = models.CharField(_("nonce"), max_length=64, blank=True)
    badge = models.ForeignKey(
        Badge,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scans",
        verbose_name=_("badge"),
    )
    code = models.CharField(_("code read (shortened)"), max_length=80, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    reason = models.CharField(
        _("reason"), max_length=16, choices=Reason.choices, blank=True
    )
    needs_confirmation = models.BooleanField(_("confirmation asked"), default=False)
    confirmed = models.BooleanField(_("confirmed by the operator"), null=True)
    scanned_at = models.DateTimeField(_("scanned"))
    received_at = models.DateTimeField(_("received"))
    offline = models.BooleanField(_("scanned offline"), default=False)
    offline_verdict = models.CharField(
        _("verdict shown offline"), max_length=16, choices=Verdict.choices, blank=True
    )
    disputed = models.BooleanField(
        _("accepted offline, refused by the server"), default=False
    )
    late = models.BooleanField(_("uploaded late"), default=False)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "nonce"],
                condition=~Q(nonce=""),
                name="scan_device_nonce_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "-received_at"], name="scan_event_received"),
            models.Index(
                fields=["gate", "verdict", "scanned_at"], name="scan_gate_verdict"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} @ {self.gate}"


class Presence(models.Model):
    """Where a badge is: inside a zone or not, and how often it entered.
    One row per badge and zone; a scan locks the badge's row first, so two
    scans of one badge are settled one after the other."""

    badge = models.ForeignKey(
        Badge, on_delete=models.CASCADE, related_name="+", verbose_name=_("badge")
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, related_name="+", verbose_name=_("zone")
    )
    inside = models.BooleanField(_("inside"), default=False)
    entries = models.PositiveIntegerField(_("entries"), default=0)
    last_entry_at = models.DateTimeField(_("last entry"), null=True, blank=True)
    last_exit_at = models.DateTimeField(_("last exit"), null=True, blank=True)

    class Meta:
        verbose_name = _("presence")
        verbose_name_plural = _("presences")
        constraints = [
            models.UniqueConstraint(
                fields=["badge", "zone"], name="presence_one_per_badge_zone"
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "inside"], name="presence_zone_inside"),
        ]

    def __str__(self) -> str:
        return f"{self.badge} in {self.zone}: {self.inside}"
