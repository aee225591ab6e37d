"""Writes and workflows of the bottom layer: the email outbox.

- ``outbox``: render templates, queue messages (one or many), send failed
  ones again;
- ``delivery``: claim, send and mark messages; retries; the sweeper;
- ``bulk``: an organizer's message to many recipients.

Reminders belong to the apps whose data they read (delegations, sessions).
"""

from .bulk import (
    bulk_send_enqueue,
    bulk_send_queue,
    bulk_send_start,
)
from .delivery import (
    DeliveryOutcome,
    email_deliver,
    email_deliver_many,
    email_sweep,
)
from .outbox import (
    Message,
    created_count,
    email_enqueue,
    email_queue,
    email_queue_many,
    email_queue_rendered,
    email_render,
    email_send_again,
    event_context,
)

__all__ = [
    "DeliveryOutcome",
    "Message",
    "bulk_send_enqueue",
    "bulk_send_queue",
    "bulk_send_start",
    "created_count",
    "email_deliver",
    "email_deliver_many",
    "email_enqueue",
    "email_queue",
    "email_queue_many",
    "email_queue_rendered",
    "email_render",
    "email_send_again",
    "email_sweep",
    "event_context",
]
