"""What the whole event shares: the Event itself."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone (for example Asia/Ho_Chi_Minh)."),
            params={"value": value},
            code="invalid_time_zone",
        )


class Event(models.Model):
    """One event (a signing ceremony, a conference); everything hangs off it."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=64)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    theme = models.CharField(_("theme"), max_length=255, blank=True)
    venue = models.CharField(_("venue"), max_length=255)
    city = models.CharField(_("city"), max_length=128)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("IANA name, for example Asia/Ho_Chi_Minh. Times are shown in it."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"), null=True, blank=True
    )
    side_event_application_deadline = models.DateTimeField(
        _("side-event application deadline"), null=True, blank=True
    )
    contact_email = models.EmailField(_("contact email"))
    invitation_validity_days = models.PositiveSmallIntegerField(
        _("invitation validity (days)"),
        default=14,
        help_text=_("How long an invitation link to a focal point stays valid."),
    )
    is_current = models.BooleanField(
        _("current event"),
        default=False,
        help_text=_("The event the portal and the admin show by default. Only one."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="event_end_not_before_start",
                violation_error_message=_(
                    "The end date cannot be before the start date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_deadline__isnull=True)
                | Q(registration_deadline__gt=models.F("registration_opens_at")),
                name="event_registration_deadline_after_opening",
                violation_error_message=_(
                    "The registration deadline must be after registration opens."
                ),
            ),
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="event_only_one_current",
                violation_error_message=_(
                    "Another event is already the current event."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if (
            self.registration_opens_at
            and self.registration_deadline
            and self.registration_deadline <= self.registration_opens_at
        ):
            errors["registration_deadline"] = _(
                "The registration deadline must be after registration opens."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)
