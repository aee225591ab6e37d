"""Writes and workflows of the programme.

- ``programme``: items (every conflict rule), releases with what changed;
- ``side_events``: applications, review, placement by hand and by the
  allocator;
- ``seats``: registration, waiting list, cancellation and promotion, the
  personal calendar feed;
- ``reminders``: the day-before agenda and "starting in 30 minutes".
"""

from .programme import (
    SpeakerSpec,
    programme_conflicts,
    programme_item_save,
    programme_snapshot,
    release_publish,
)
from .reminders import reminders_send_day_before, reminders_send_starting_soon
from .seats import (
    agenda_feed_enable,
    agenda_feed_revoke,
    agenda_feed_token,
    agenda_from_feed_token,
    seat_cancel,
    seat_register,
    seats_fill,
    waiting_position,
)
from .side_events import (
    allocation_confirm,
    allocation_propose,
    application_deadline_error,
    application_place,
    application_review,
    application_save,
    placement_check,
)

__all__ = [
    "SpeakerSpec",
    "agenda_feed_enable",
    "agenda_feed_revoke",
    "agenda_feed_token",
    "agenda_from_feed_token",
    "allocation_confirm",
    "allocation_propose",
    "application_deadline_error",
    "application_place",
    "application_review",
    "application_save",
    "placement_check",
    "programme_conflicts",
    "programme_item_save",
    "programme_snapshot",
    "release_publish",
    "reminders_send_day_before",
    "reminders_send_starting_soon",
    "seat_cancel",
    "seat_register",
    "seats_fill",
    "waiting_position",
]
