"""Template filters that write dates and numbers per language
(``hanoi_event.formatting``)::

    {% load l10n_dates %}
    {{ item.starts_at|when:"short_datetime" }}      in the current time zone
    {{ item.starts_at|when_in:event }}               in the event's zone ("datetime")
    {{ item.starts_at|when_in:event|... }}
    {{ event.start_date|when:"date" }}
    {% date_range event.start_date event.end_date %}
    {{ count|number }}
"""

from __future__ import annotations

from django import template

from .. import formatting

register = template.Library()


@register.filter
def when(value, style="datetime"):
    """``value`` in ``style`` (see formatting.STYLES), in the current zone."""
    return formatting.format_datetime(value, style or "datetime")


@register.simple_tag
def when_in(value, event, style="datetime"):
    """``value`` in ``style``, in ``event``'s time zone:
    ``{% when_in item.starts_at event "short_datetime" %}``."""
    tz = getattr(event, "tzinfo", None) or getattr(event, "time_zone", None)
    return formatting.format_datetime(value, style, tz=tz)


@register.simple_tag
def date_range(start, end):
    return formatting.format_date_range(start, end)


@register.filter
def number(value):
    if value in (None, ""):
        return ""
    return formatting.format_number(value)
