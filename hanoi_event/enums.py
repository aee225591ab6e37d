"""Choices of the event-wide models (the email outbox and bulk sends).

Kinds of email are not choices: apps declare them in the mail-kind registry
(``hanoi_event.mail_kinds``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class BulkSendStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    QUEUING = "queuing", _("Queuing messages")
    QUEUED = "queued", _("All messages queued")
