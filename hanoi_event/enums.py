"""Choices shared by the event-wide models (the email outbox and its templates)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailKind(models.TextChoices):
    """What a message is for; one template per kind and language."""

    INVITATION = "invitation", _("Invitation to a delegation's focal point")
    MEMBER_INVITATION = "member_invitation", _("Invitation to a delegation member")
    REGISTRATION_RECEIVED = "registration_received", _("Registration received")
    ACCREDITATION_APPROVED = "accreditation_approved", _("Accreditation approved")
    ACCREDITATION_REJECTED = "accreditation_rejected", _("Accreditation rejected")
    SIDE_EVENT_DECISION = "side_event_decision", _("Side-event decision")
    WAITLIST_PROMOTION = "waitlist_promotion", _("Waiting-list promotion")
    REMINDER_DEADLINE = "reminder_deadline", _("Reminder: registration deadline")
    REMINDER_MISSING_DATA = (
        "reminder_missing_data",
        _("Reminder: missing photo or passport data"),
    )
    REMINDER_DAY_BEFORE = "reminder_day_before", _("Reminder: tomorrow's agenda")
    ACCOUNT = "account", _("Account (sign-up, password)")
    BULK = "bulk", _("Message to many (bulk send)")


# Kinds whose text is written elsewhere (allauth, an organizer's bulk text):
# they have no editable template.
PRE_RENDERED_KINDS = frozenset({EmailKind.ACCOUNT, EmailKind.BULK})


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class BulkSendStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    QUEUING = "queuing", _("Queuing messages")
    QUEUED = "queued", _("All messages queued")
