"""Writes and workflows for what the whole event shares: the email outbox.

- ``outbox``: render templates, queue messages, send failed ones again;
- ``delivery``: claim, send and mark messages; retries; the sweeper;
- ``bulk``: an organizer's message to many recipients;
- ``reminders``: the scheduled reminders.
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
    email_enqueue,
    email_queue,
    email_queue_rendered,
    email_render,
    email_send_again,
    event_context,
)
from .reminders import (
    reminders_send_day_before,
    reminders_send_deadline,
    reminders_send_missing_data,
)

__all__ = [
    "bulk_send_enqueue",
    "DeliveryOutcome",
    "bulk_send_queue",
    "bulk_send_start",
    "email_deliver",
    "email_deliver_many",
    "email_enqueue",
    "email_queue",
    "email_queue_rendered",
    "email_render",
    "email_send_again",
    "email_sweep",
    "event_context",
    "reminders_send_day_before",
    "reminders_send_deadline",
    "reminders_send_missing_data",
]
