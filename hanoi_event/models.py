"""What the whole event shares: the Event, and the email outbox and templates."""

import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .enums import BulkSendStatus, EmailStatus
from .mail_kinds import mail_kind_label


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


class EmailTemplate(models.Model):
    """The subject and bodies of one kind of message in one language.

    Written in Django template syntax; the placeholders each kind offers are
    declared with the kind (``hanoi_event.mail_kinds``). English ships for
    every templated kind (created after ``migrate`` from the files the kind
    names; ``manage.py email_templates_load``).
    """

    # A kind from the mail-kind registry (not choices: a kind an app adds
    # needs no migration here).
    kind = models.CharField(_("kind"), max_length=32)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    subject = models.CharField(_("subject"), max_length=255)
    text_body = models.TextField(_("text body"))
    html_body = models.TextField(
        _("HTML body"),
        blank=True,
        help_text=_("Optional. Without it, the message is sent as plain text only."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("email template")
        verbose_name_plural = _("email templates")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language"],
                name="email_template_one_per_kind_language",
                violation_error_message=_(
                    "There is already a template for this kind and language."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"

    def get_kind_display(self) -> str:
        return mail_kind_label(self.kind)


class BulkSend(models.Model):
    """An organizer's message to many recipients, queued in the background.

    Progress (sent / failed / waiting of ``total``) is counted from the
    outbox rows that point here.
    """

    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bulk_sends",
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
    subject = models.CharField(_("subject"), max_length=255)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    recipients = models.JSONField(
        _("recipients"),
        default=list,
        help_text=_("[email, language, content type id, object id] per recipient."),
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=BulkSendStatus.choices,
        default=BulkSendStatus.PENDING,
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    queued_at = models.DateTimeField(_("all queued"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk send")
        verbose_name_plural = _("bulk sends")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class OutboundEmail(models.Model):
    """One outgoing message: the outbox row is written before anything is sent.

    Lifecycle: queued -> sending -> sent, or -> failed (permanent error, or
    too many temporary ones). ``idempotency_key`` is unique, so queuing the
    same message twice returns the first row and sends nothing more.
    """

    to_email = models.CharField(_("recipient"), max_length=254)
    kind = models.CharField(_("kind"), max_length=32)
    language = models.CharField(_("language"), max_length=8, default="en")
    subject = models.CharField(_("subject"), max_length=500)
    text_body = models.TextField(_("text body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EmailStatus.choices,
        default=EmailStatus.QUEUED,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=255, unique=True
    )
    message_id = models.CharField(
        _("Message-ID"),
        max_length=255,
        blank=True,
        help_text=_(
            "The same on every attempt, so a receiving server can spot a repeat."
        ),
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about (type)"),
    )
    object_id = models.CharField(_("about (id)"), max_length=64, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_emails",
        verbose_name=_("event"),
    )
    bulk_send = models.ForeignKey(
        BulkSend,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("bulk send"),
    )
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt due"),
        null=True,
        blank=True,
        help_text=_(
            "When the message was last handed to the workers, or when its retry "
            "is due. The sweeper hands it over again if it waits much longer."
        ),
    )
    sending_started_at = models.DateTimeField(
        _("sending started"), null=True, blank=True
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"], name="outbox_status_due"
            ),
            models.Index(fields=["bulk_send", "status"], name="outbox_bulk_status"),
            models.Index(fields=["content_type", "object_id"], name="outbox_about"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_email}"

    def get_kind_display(self) -> str:
        return mail_kind_label(self.kind)


class AccountLanguage(models.Model):
    """The language a person chose for their account: applied at every
    sign-in, on any device. Anonymous visitors' choice is a cookie; the
    browser's language is the first guess for both."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_language",
        verbose_name=_("account"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("account language")
        verbose_name_plural = _("account languages")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
