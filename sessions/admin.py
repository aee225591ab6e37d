"""Admin for rooms and the programme (themed by unfold)."""

import datetime as dt

from django.contrib import admin
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RelatedDropdownFilter
from unfold.decorators import display

from hanoi_event.admin_safety import SafeModelAdmin

from .models import ProgrammeItem, Room


def _in_event_time(value: dt.datetime, item: ProgrammeItem) -> str:
    """``value`` as a wall-clock time in the item's own event's time zone."""
    local = timezone.localtime(value, item.event.tzinfo)
    return formats.date_format(local, "Y-m-d H:i")


@admin.register(Room)
class RoomAdmin(SafeModelAdmin):
    list_display = ["name", "event", "capacity", "location"]
    list_select_related = ["event"]
    list_filter = [("event", RelatedDropdownFilter)]
    list_filter_submit = True
    search_fields = ["name", "location"]


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(SafeModelAdmin):
    list_display = ["title", "kind", "room", "starts", "ends", "is_published"]
    list_select_related = ["event", "room"]
    list_filter = [
        ("event", RelatedDropdownFilter),
        ("kind", ChoicesDropdownFilter),
        ("room", RelatedDropdownFilter),
        "is_published",
    ]
    list_filter_submit = True
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["room"]
    fields = [
        "event",
        "kind",
        "title",
        "description",
        "room",
        "starts_at",
        "ends_at",
        "is_published",
    ]

    @display(description=_("starts (event time)"), ordering="starts_at")
    def starts(self, obj: ProgrammeItem) -> str:
        return _in_event_time(obj.starts_at, obj)

    @display(description=_("ends (event time)"), ordering="ends_at")
    def ends(self, obj: ProgrammeItem) -> str:
        return _in_event_time(obj.ends_at, obj)
