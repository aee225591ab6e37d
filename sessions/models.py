"""What happens: rooms and the programme.

No model here is called ``Session``: that name belongs to Django's sessions.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .enums import ProgrammeItemKind


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
    is_published = models.BooleanField(_("published"), default=False)

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
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must be after the start.")
        if self.room_id and self.event_id and self.room.event_id != self.event_id:
            errors["room"] = _("The room belongs to another event.")
        if errors:
            raise ValidationError(errors)
