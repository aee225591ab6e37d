"""Admin columns and fields that show a stored time (UTC) in its event's
time zone with the zone written ("25 October 2025, 14:30 GMT+7"), by
``hanoi_event.formatting``. Used by the accreditation and check-in admins
for any model with an ``event``."""

from __future__ import annotations

from unfold.decorators import display

from hanoi_event.formatting import format_datetime


def event_time(field: str, description):
    """A display method for the ``field`` time of an object with an
    ``event``, sortable by the field; empty when the time is not set. Put
    ``event`` in the admin's ``list_select_related``."""

    @display(description=description, ordering=field)
    def column(self, obj):
        value = getattr(obj, field)
        if value is None:
            return None
        return format_datetime(value, "datetime", tz=obj.event.tzinfo)

    column.__name__ = f"{field}_in_event_zone"
    return column
