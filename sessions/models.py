"""What happens: rooms and the programme.

No model here is called ``Session``: that name belongs to Django's sessions.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .enums import (
    ApplicationStatus,
    InterpretationLanguage,
    ProgrammeItemKind,
    RegistrationStatus,
    SideEventFormat,
    SpeakerRole,
)

LANGUAGE_CODES = frozenset(InterpretationLanguage.values)


def validate_languages(value) -> None:
    if not isinstance(value, list) or any(v not in LANGUAGE_CODES for v in value):
        raise ValidationError(
            _("Choose languages from: %(codes)s."),
            params={"codes": ", ".join(sorted(LANGUAGE_CODES))},
            code="invalid_languages",
        )


def validate_code_list(value) -> None:
    if not isinstance(value, list) or any(
        not isinstance(v, str) or not v.strip() for v in value
    ):
        raise ValidationError(
            _('Give a list of codes (for example ["A", "VIP"]).'),
            code="invalid_codes",
        )


class Room(models.Model):
    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="rooms",
        verbose_name=_("event"),
    )
    name = models.CharField(_("name"), max_length=128)
    capacity = models.PositiveIntegerField(_("capacity"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    open_to_side_events = models.BooleanField(
        _("open to side events"),
        default=False,
        help_text=_("The allocator places side events only in these rooms."),
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="room_name_unique_per_event",
                violation_error_message=_(
                    "This event already has a room with this name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="room_capacity_positive",
                violation_error_message=_("The capacity must be at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeItem(models.Model):
    """One item of the programme: a meeting, ceremony, side event, reception."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="programme_items",
        verbose_name=_("event"),
    )
    kind = models.CharField(_("type"), max_length=32, choices=ProgrammeItemKind.choices)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_items",
        verbose_name=_("room"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Shown in the next release of the public programme."),
    )
    is_cancelled = models.BooleanField(
        _("cancelled"),
        default=False,
        help_text=_(
            "A cancelled item frees its room, takes no registrations and is "
            "listed as cancelled in the next release."
        ),
    )
    languages = models.JSONField(
        _("interpretation languages"),
        default=list,
        blank=True,
        validators=[validate_languages],
    )
    access_categories = models.JSONField(
        _("access by badge category"),
        default=list,
        blank=True,
        validators=[validate_code_list],
        help_text=_("Badge categories admitted; empty: every accredited participant."),
    )
    capacity = models.PositiveIntegerField(
        _("seats"),
        null=True,
        blank=True,
        help_text=_("Seats to register for; empty: the room's capacity."),
    )
    registration_required = models.BooleanField(_("registration needed"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["starts_at", "room__name"]
        indexes = [
            models.Index(fields=["event", "starts_at"], name="programme_event_start")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="programme_item_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="programme_item_capacity_positive",
                violation_error_message=_("The number of seats must be at least 1."),
            ),
        ]
        # On PostgreSQL, also an exclusion constraint: no two items that are
        # not cancelled in one room at overlapping times (migration 0003; it
        # is not declared here because SQLite cannot hold it).

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("programme:item", args=[self.pk])

    def clean(self) -> None:
        from .conflicts import days_error, room_conflicts

        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must be after the start.")
        if self.room_id and self.event_id and self.room.event_id != self.event_id:
            errors["room"] = _("The room belongs to another event.")
        if not errors and self.starts_at and self.ends_at and self.event_id:
            message = days_error(self.event, self.starts_at, self.ends_at)
            if message:
                errors["starts_at"] = message
            elif self.room_id and not self.is_cancelled:
                clashes = room_conflicts(
                    room=self.room,
                    starts_at=self.starts_at,
                    ends_at=self.ends_at,
                    exclude_pk=self.pk,
                )
                if clashes:
                    errors["room"] = clashes
        if errors:
            raise ValidationError(errors)

    @property
    def seats(self) -> int | None:
        """Seats to register for: the item's own number, else the room's."""
        if self.capacity is not None:
            return self.capacity
        return self.room.capacity if self.room_id else None


class ProgrammeRole(models.Model):
    """A chair, moderator or speaker of an item: a participant, or a named
    outside speaker. ``speaker_key`` identifies the person across items (the
    email address, else the name), for the "one speaker in two places" rule."""

    item = models.ForeignKey(
        ProgrammeItem,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("programme item"),
    )
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=SpeakerRole.choices,
        default=SpeakerRole.SPEAKER,
    )
    participant = models.ForeignKey(
        "delegations.Participant",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="programme_roles",
        verbose_name=_("participant"),
    )
    name = models.CharField(
        _("name"),
        max_length=255,
        blank=True,
        help_text=_("For an outside speaker; a participant's own name is used."),
    )
    affiliation = models.CharField(
        _("function and organisation"), max_length=255, blank=True
    )
    email = models.EmailField(_("email"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    speaker_key = models.CharField(max_length=320, editable=False, db_index=True)
    # Copies of the item's event, times and cancellation, so that the
    # database holds the speaker rule itself: an exclusion constraint sees
    # one table only. On PostgreSQL a foreign key on these columns (with the
    # item's id) cascades every change of the item to them, so they cannot
    # drift (migration 0006); ``copy_item`` fills them for a new row.
    # (blank: filled by ``clean()``, after the field checks.)
    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("event"),
    )
    starts_at = models.DateTimeField(_("starts"), blank=True, editable=False)
    ends_at = models.DateTimeField(_("ends"), blank=True, editable=False)
    item_cancelled = models.BooleanField(
        _("item cancelled"), default=False, editable=False
    )

    class Meta:
        verbose_name = _("chair or speaker")
        verbose_name_plural = _("chairs and speakers")
        ordering = ["item", "order", "pk"]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        if not self.participant_id and not self.name.strip():
            raise ValidationError(
                {"name": _("Choose a participant or give the speaker's name.")}
            )
        if self.item_id or getattr(self, "item", None) is not None:
            self.copy_item(self.item)
        self.speaker_key = speaker_key(
            participant_email=self.participant.email if self.participant_id else "",
            email=self.email,
            name=self.display_name,
        )

    def copy_item(self, item: ProgrammeItem) -> None:
        """Take ``item``'s event, times and cancellation (as the database
        keeps them in step)."""
        self.event_id = item.event_id
        self.starts_at = item.starts_at
        self.ends_at = item.ends_at
        self.item_cancelled = item.is_cancelled

    @property
    def display_name(self) -> str:
        if self.participant_id:
            return self.participant.full_name
        return self.name.strip()


def speaker_key(*, participant_email: str = "", email: str = "", name: str = "") -> str:
    """One person's key: their email address, else their name (case and
    spaces ignored)."""
    address = (participant_email or email or "").strip().lower()
    if address:
        return f"e:{address}"
    return "n:" + " ".join(name.casefold().split())


class Release(models.Model):
    """A numbered release of the public programme: what it showed (a
    snapshot of the published items) and what changed since the release
    before (moved, cancelled, new)."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="programme_releases",
        verbose_name=_("event"),
    )
    number = models.PositiveIntegerField(_("number"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    comment = models.CharField(_("comment"), max_length=255, blank=True)
    snapshot = models.JSONField(_("items"), default=list, editable=False)
    changes = models.JSONField(_("changes"), default=dict, editable=False)

    class Meta:
        verbose_name = _("programme release")
        verbose_name_plural = _("programme releases")
        ordering = ["event", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "number"],
                name="release_number_unique_per_event",
                violation_error_message=_("This release number exists already."),
            ),
        ]

    def __str__(self) -> str:
        return _("Release %(number)s") % {"number": self.number}


class SideEventSlot(models.Model):
    """One slot of the side-event grid (day, start, end)."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="side_event_slots",
        verbose_name=_("event"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("side-event slot")
        verbose_name_plural = _("side-event slots")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "starts_at"],
                name="slot_start_unique_per_event",
                violation_error_message=_("The event has a slot at this time already."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="slot_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self) -> str:
        from django.utils import timezone

        from hanoi_event.formatting import format_datetime

        tz = self.event.tzinfo
        end = timezone.localtime(self.ends_at, tz)
        return (
            f"{format_datetime(self.starts_at, 'short_day_clock', tz=tz)}–{end:%H:%M}"
        )

    def clean(self) -> None:
        from .conflicts import days_error

        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                raise ValidationError(
                    {"ends_at": _("The end must be after the start.")}
                )
            if self.event_id:
                message = days_error(self.event, self.starts_at, self.ends_at)
                if message:
                    raise ValidationError({"starts_at": message})


class SideEventApplication(models.Model):
    """A delegation's application for a side event, made by its focal point."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="side_event_applications",
        verbose_name=_("event"),
    )
    delegation = models.ForeignKey(
        "delegations.Delegation",
        on_delete=models.PROTECT,
        related_name="side_event_applications",
        verbose_name=_("applicant delegation"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    title = models.CharField(_("title"), max_length=255)
    abstract = models.TextField(_("abstract"))
    organiser = models.CharField(_("organiser"), max_length=255)
    co_sponsors = models.TextField(
        _("co-sponsors"), blank=True, help_text=_("One per line.")
    )
    format = models.CharField(
        _("format"), max_length=16, choices=SideEventFormat.choices
    )
    preferred_slots = models.ManyToManyField(
        SideEventSlot,
        blank=True,
        related_name="preferred_by",
        verbose_name=_("preferred slots"),
    )
    expected_audience = models.PositiveIntegerField(_("expected audience"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    score = models.PositiveSmallIntegerField(
        _("score (1-5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    programme_item = models.OneToOneField(
        ProgrammeItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("placed as"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("side-event application")
        verbose_name_plural = _("side-event applications")
        ordering = ["event", "created_at"]
        indexes = [
            models.Index(fields=["event", "status"], name="application_event_status")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_audience__gt=0),
                name="application_audience_positive",
                violation_error_message=_("The expected audience must be at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.delegation_id and self.event_id:
            if self.delegation.event_id != self.event_id:
                raise ValidationError(
                    {"delegation": _("The delegation belongs to another event.")}
                )


class SideEventSpeaker(models.Model):
    application = models.ForeignKey(
        SideEventApplication,
        on_delete=models.CASCADE,
        related_name="speakers",
        verbose_name=_("application"),
    )
    name = models.CharField(_("name"), max_length=255)
    function_title = models.CharField(_("function / title"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)
    nationality = models.CharField(_("nationality"), max_length=128, blank=True)
    # Passport data: in the admin only with delegations.view_passport
    # (sessions/admin.py), in the portal only for the applicant's focal point.
    passport_copy = models.FileField(
        _("passport copy"),
        upload_to="speaker_passports/",
        blank=True,
        help_text=_("The passport's photo page: a PDF, JPEG or PNG file."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("side-event speaker")
        verbose_name_plural = _("side-event speakers")
        ordering = ["application", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def key(self) -> str:
        return speaker_key(email=self.email, name=self.name)


class AllocationProposal(models.Model):
    """What the allocator proposes: a slot and room for each accepted,
    unplaced side event, and what it could not place with the reason.
    Nothing is placed until an organizer confirms it."""

    event = models.ForeignKey(
        "hanoi_event.Event",
        on_delete=models.CASCADE,
        related_name="allocation_proposals",
        verbose_name=_("event"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    placements = models.JSONField(_("placements"), default=list, editable=False)
    unplaced = models.JSONField(_("not placed"), default=list, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    result = models.JSONField(_("result"), default=dict, editable=False)

    class Meta:
        verbose_name = _("allocation proposal")
        verbose_name_plural = _("allocation proposals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("Proposal of %(when)s") % {
            "when": self.created_at.strftime("%Y-%m-%d %H:%M")
            if self.created_at
            else ""
        }


class Agenda(models.Model):
    """A participant's agenda: the row their seat changes lock (so one
    person's registrations are taken one at a time) and their personal
    calendar feed (a signed URL; revoking it moves ``feed_version``)."""

    participant = models.OneToOneField(
        "delegations.Participant",
        on_delete=models.CASCADE,
        related_name="agenda",
        verbose_name=_("participant"),
    )
    feed_version = models.PositiveIntegerField(_("feed version"), default=1)
    feed_enabled = models.BooleanField(_("calendar feed on"), default=False)

    class Meta:
        verbose_name = _("agenda")
        verbose_name_plural = _("agendas")

    def __str__(self) -> str:
        return str(self.participant)


class Registration(models.Model):
    """A participant's seat (confirmed) or place in line (waiting) for an
    item. Cancelled rows are kept. Waiting order is the row id: rows are
    written while the item row is locked, so ids follow arrival order."""

    item = models.ForeignKey(
        ProgrammeItem,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("programme item"),
    )
    participant = models.ForeignKey(
        "delegations.Participant",
        on_delete=models.CASCADE,
        related_name="programme_registrations",
        verbose_name=_("participant"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    promoted_at = models.DateTimeField(
        _("promoted from the waiting list"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("seat registration")
        verbose_name_plural = _("seat registrations")
        ordering = ["item", "id"]
        indexes = [
            models.Index(
                fields=["item", "status", "id"], name="registration_item_status"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "participant"],
                condition=Q(status__in=["confirmed", "waiting"]),
                name="registration_one_active_per_item",
                violation_error_message=_("You are registered for this item already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.item} ({self.get_status_display()})"
