"""The signing ceremony (requests, full powers, slots, signatures) and the
speaking list of the high-level segment."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from delegations.enums import ProtocolRank

from .enums import FullPowersStatus, SigningStatus, SpeakerStatus, SpeechKind


class SigningCeremony(models.Model):
    """When an event's signing ceremony runs and how long a slot lasts.
    Slot ``n`` (from 1) starts at ``starts_at + (n - 1) * slot_minutes``."""

    event = models.OneToOneField(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="signing_ceremony",
        verbose_name=_("event"),
    )
    starts_at = models.DateTimeField(_("first slot starts"))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=5
    )
    slot_count = models.PositiveSmallIntegerField(_("number of slots"), default=60)
    place = models.CharField(_("place"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("signing ceremony")
        verbose_name_plural = _("signing ceremonies")
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=1) & Q(slot_count__gte=1),
                name="signingceremony_positive_slots",
                violation_error_message=_(
                    "A ceremony needs at least one slot of at least one minute."
                ),
            )
        ]

    def __str__(self) -> str:
        return str(_("Signing ceremony of %(event)s") % {"event": self.event})

    def slot_starts_at(self, slot: int) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.slot_minutes * (slot - 1))


class SigningRequest(models.Model):
    """A State delegation's request to sign, with its signatory.

    The signatory is a named person with a title and protocol rank (what the
    instrument of full powers must name); when they are a registered member
    of the delegation, ``signatory_participant`` links them and the name,
    title and rank are taken from that record when the request is made."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.PROTECT,
        related_name="signing_requests",
        verbose_name=_("event"),
    )
    delegation = models.ForeignKey(
        "delegations.Delegation",
        on_delete=models.PROTECT,
        related_name="signing_requests",
        verbose_name=_("delegation"),
    )
    signatory_participant = models.ForeignKey(
        "delegations.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signing_requests",
        verbose_name=_("signatory (registered member)"),
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=255)
    signatory_title = models.CharField(_("signatory's title"), max_length=255)
    signatory_rank = models.PositiveSmallIntegerField(
        _("signatory's protocol rank"), choices=ProtocolRank.choices
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SigningStatus.choices,
        default=SigningStatus.AWAITING_FULL_POWERS,
    )
    full_powers_status = models.CharField(
        _("full powers"),
        max_length=16,
        choices=FullPowersStatus.choices,
        default=FullPowersStatus.MISSING,
    )
    full_powers = models.FileField(
        _("instrument of full powers (PDF)"),
        upload_to="full_powers/",
        blank=True,
        help_text=_("Private: served only to the focal point and to staff."),
    )
    full_powers_pages = models.PositiveSmallIntegerField(
        _("pages of the instrument"), null=True, blank=True
    )
    full_powers_uploaded_at = models.DateTimeField(
        _("full powers uploaded"), null=True, blank=True
    )
    full_powers_name = models.CharField(
        _("name in the full powers"), max_length=255, blank=True
    )
    full_powers_title = models.CharField(
        _("title in the full powers"), max_length=255, blank=True
    )
    full_powers_decided_at = models.DateTimeField(
        _("full powers decided"), null=True, blank=True
    )
    full_powers_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("full powers decided by"),
    )
    full_powers_rejection_reason = models.TextField(
        _("reason for rejecting the full powers"), blank=True
    )
    slot = models.PositiveSmallIntegerField(_("signing slot"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    signature_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature recorded by"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("signing request")
        verbose_name_plural = _("signing requests")
        ordering = ["slot", "delegation__organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slot"],
                name="signingrequest_one_per_slot",
                violation_error_message=_("This signing slot is already booked."),
            ),
            models.UniqueConstraint(
                fields=["delegation"],
                condition=~Q(status=SigningStatus.WITHDRAWN),
                name="signingrequest_one_open_per_delegation",
                violation_error_message=_(
                    "This delegation already has a request to sign."
                ),
            ),
            models.CheckConstraint(
                condition=Q(slot__isnull=True)
                | Q(status__in=[SigningStatus.CLEARED, SigningStatus.SIGNED]),
                name="signingrequest_slot_only_when_cleared",
                violation_error_message=_("Only a cleared request gets a slot."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.delegation)

    def clean(self) -> None:
        if (
            self.delegation_id
            and self.event_id
            and self.delegation.event_id != self.event_id
        ):
            raise ValidationError(
                {"delegation": _("The delegation belongs to another event.")}
            )


class SpeakingList(models.Model):
    """One day's list of speakers of the high-level segment, with the
    chair's countdown (coupled to the current speaker, as OpenSlides couples
    its list-of-speakers countdown)."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="speaking_lists",
        verbose_name=_("event"),
    )
    title = models.CharField(_("title"), max_length=255)
    day = models.DateField(_("day"))
    time_limit_seconds = models.PositiveSmallIntegerField(
        _("time limit per statement (seconds)"), default=300
    )
    reply_time_limit_seconds = models.PositiveSmallIntegerField(
        _("time limit per right of reply (seconds)"), default=180
    )
    is_open = models.BooleanField(_("open for requests"), default=True)
    countdown_duration = models.PositiveIntegerField(
        _("countdown length (seconds)"), default=300
    )
    countdown_elapsed = models.FloatField(
        _("countdown seconds elapsed before the current run"), default=0
    )
    countdown_started_at = models.DateTimeField(
        _("countdown running since"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("speaking list")
        verbose_name_plural = _("speaking lists")
        ordering = ["day", "title"]

    def __str__(self) -> str:
        return self.title

    def countdown_remaining(self, now: dt.datetime | None = None) -> float:
        """Seconds left (negative once over time)."""
        elapsed = self.countdown_elapsed
        if self.countdown_started_at is not None:
            now = now or timezone.now()
            elapsed += (now - self.countdown_started_at).total_seconds()
        return self.countdown_duration - elapsed


class SpeakingRequest(models.Model):
    """A delegation's request to speak: a statement, or a right of reply
    (heard at the end of the day). The speaker is a member of the
    delegation, so the list follows their protocol rank as it changes."""

    speaking_list = models.ForeignKey(
        SpeakingList,
        on_delete=models.CASCADE,
        related_name="requests",
        verbose_name=_("speaking list"),
    )
    delegation = models.ForeignKey(
        "delegations.Delegation",
        on_delete=models.PROTECT,
        related_name="speaking_requests",
        verbose_name=_("delegation"),
    )
    speaker = models.ForeignKey(
        "delegations.Participant",
        on_delete=models.PROTECT,
        related_name="speaking_requests",
        verbose_name=_("speaker"),
    )
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=SpeechKind.choices,
        default=SpeechKind.STATEMENT,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SpeakerStatus.choices,
        default=SpeakerStatus.WAITING,
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    time_limit_seconds = models.PositiveSmallIntegerField(
        _("time limit (seconds)"),
        null=True,
        blank=True,
        help_text=_("Empty: the list's limit for this kind of speech."),
    )
    # A manual move pins the request between its new neighbours: its sort
    # key becomes these values instead of (rank group, time of request, id).
    moved_group = models.PositiveSmallIntegerField(null=True, blank=True)
    moved_at = models.DateTimeField(null=True, blank=True)
    moved_seq = models.FloatField(null=True, blank=True)
    begin_at = models.DateTimeField(_("began speaking"), null=True, blank=True)
    end_at = models.DateTimeField(_("ended speaking"), null=True, blank=True)
    pause_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    total_pause_seconds = models.FloatField(_("paused (seconds)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request to speak")
        verbose_name_plural = _("requests to speak")
        ordering = ["speaking_list", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["speaking_list", "delegation", "kind"],
                condition=Q(status__in=["waiting", "speaking"]),
                name="speakingrequest_one_open_per_delegation_kind",
                violation_error_message=_(
                    "This delegation is already on this list for this kind of speech."
                ),
            ),
            models.UniqueConstraint(
                fields=["speaking_list"],
                condition=Q(status="speaking"),
                name="speakingrequest_one_speaking_per_list",
                violation_error_message=_("Someone is already speaking."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation}: {self.speaker}"

    @property
    def effective_time_limit(self) -> int:
        if self.time_limit_seconds:
            return self.time_limit_seconds
        if self.kind == SpeechKind.REPLY:
            return self.speaking_list.reply_time_limit_seconds
        return self.speaking_list.time_limit_seconds

    def spoken_seconds(self, now: dt.datetime | None = None) -> float:
        """Time on the floor, pauses excluded (OpenSlides' total_pause)."""
        if self.begin_at is None:
            return 0.0
        end = self.end_at or self.pause_at or now or timezone.now()
        return max(
            0.0, (end - self.begin_at).total_seconds() - self.total_pause_seconds
        )


class SpeakerMove(models.Model):
    """A manual move on a speaking list, with its reason (who, when, from
    which position to which)."""

    request = models.ForeignKey(
        SpeakingRequest,
        on_delete=models.CASCADE,
        related_name="moves",
        verbose_name=_("request to speak"),
    )
    from_position = models.PositiveSmallIntegerField(_("from position"))
    to_position = models.PositiveSmallIntegerField(_("to position"))
    reason = models.TextField(_("reason"))
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moved by"),
    )
    moved_at = models.DateTimeField(_("moved"), auto_now_add=True)

    class Meta:
        verbose_name = _("speaker move")
        verbose_name_plural = _("speaker moves")
        ordering = ["-moved_at"]

    def __str__(self) -> str:
        return f"{self.request}: {self.from_position} → {self.to_position}"
