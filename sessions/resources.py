"""Programme items in and out (django-import-export resource, and an
importer for the engine of ``delegations.resources``).

A row is found by its ID (the export's first column) when it has one, else
by its title and start; others are created. Times are written in the
event's time zone. Every conflict rule of the programme holds: a room taken
at an overlapping time (by a stored item or by another row of the file), a
time outside the event's days; items are saved through
``services.programme_item_save`` (the room locked, the exclusion constraint
behind it, freed seats given to the waiting list). Chairs and speakers are
not imported.

Registered in ``EventSessionsConfig.ready()``.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from delegations.resources import Exporter, register_exporter, register_importer
from delegations.resources.columns import Column, Layout, Row, Table
from delegations.resources.importer import (
    ImportContext,
    Importer,
    Plan,
    RowProblems,
)
from delegations.resources.report import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Change,
    ImportReport,
    Problem,
)
from delegations.resources.values import (
    CellError,
    Choices,
    clean_bool,
    clean_datetime,
    clean_limited_text,
    clean_text,
    fold,
    is_blank,
)

from .conflicts import days_error, local_span
from .enums import InterpretationLanguage, ProgrammeItemKind
from .models import ProgrammeItem, Room

PROGRAMME_LAYOUT = Layout(
    (
        Column(
            "id",
            "ID",
            ("Item ID", "Programme item ID"),
            help=gettext_lazy(
                "Leave empty for a new item; the export's ID updates that item."
            ),
        ),
        Column(
            "title",
            "Title",
            ("Name", "Session", "Event title"),
            required=True,
            example="Opening ceremony",
        ),
        Column(
            "kind",
            "Type",
            ("Kind", "Session type", "Category"),
            required_new=True,
            help=gettext_lazy(
                "Opening, Signing ceremony, Plenary, High-level event, Panel, Side "
                "event, Press conference, Reception, Bilateral meeting, Closing."
            ),
            example="Opening",
        ),
        Column(
            "room",
            "Room",
            ("Venue", "Location", "Hall"),
            help=gettext_lazy("The name of one of the event's rooms."),
            example="Plenary Hall",
        ),
        Column(
            "starts_at",
            "Starts",
            ("Start", "Start time", "From", "Begins"),
            required_new=True,
            help=gettext_lazy("YYYY-MM-DD HH:MM, in the event's time zone."),
            example="2025-10-25 09:00",
        ),
        Column(
            "ends_at",
            "Ends",
            ("End", "End time", "To", "Until"),
            required_new=True,
            example="2025-10-25 10:15",
        ),
        Column("description", "Description", ("Abstract", "Details")),
        Column(
            "is_published",
            "Published",
            ("Publish", "Public"),
            help=gettext_lazy("Yes or no."),
        ),
        Column(
            "is_cancelled", "Cancelled", ("Canceled",), help=gettext_lazy("Yes or no.")
        ),
        Column(
            "capacity",
            "Seats",
            ("Capacity",),
            help=gettext_lazy("A number; empty: the room's."),
        ),
        Column(
            "registration_required",
            "Registration needed",
            ("Registration", "Registration required"),
            help=gettext_lazy("Yes or no."),
        ),
        Column(
            "languages",
            "Languages",
            ("Interpretation", "Interpretation languages"),
            help=gettext_lazy("Codes separated by commas: ar, zh, en, fr, ru, es, vi."),
            example="en, fr, vi",
        ),
    )
)

KIND_CHOICES = Choices(
    ProgrammeItemKind.choices,
    {
        "Plenary": ProgrammeItemKind.PLENARY,
        "High-level segment": ProgrammeItemKind.PLENARY,
    },
)
LANGUAGE_CHOICES = Choices(InterpretationLanguage.choices)
BOOLEANS = ("is_published", "is_cancelled", "registration_required")
_LENGTHS = {"title": 255}


class ProgrammeImporter(Importer):
    kind = "programme_items"
    verbose_name = gettext_lazy("programme items")
    layout = PROGRAMME_LAYOUT
    permissions = (
        "event_sessions.add_programmeitem",
        "event_sessions.change_programmeitem",
    )

    def prepare(self, context: ImportContext, table: Table) -> dict:
        event = context.event
        items = list(
            ProgrammeItem.objects.filter(event=event).select_related("room", "event")
        )
        return {
            "event": event,
            "tz": event.tzinfo,
            "rooms": {fold(r.name): r for r in Room.objects.filter(event=event)},
            "by_pk": {i.pk: i for i in items},
            "by_title_start": {(fold(i.title), i.starts_at): i for i in items},
            "items": items,
        }

    def _value(self, st: dict, key: str, raw):
        if key == "kind":
            return KIND_CHOICES.clean(raw)
        if key in BOOLEANS:
            return clean_bool(raw)
        if key in ("starts_at", "ends_at"):
            return clean_datetime(raw, st["tz"])
        if key == "room":
            room = st["rooms"].get(fold(clean_text(raw)))
            if room is None:
                raise CellError(
                    _("No room of this name at the event: %(rooms)s.")
                    % {
                        "rooms": ", ".join(sorted(r.name for r in st["rooms"].values()))
                    },
                    code="unknown_room",
                )
            return room
        if key == "capacity":
            text = clean_text(raw)
            if not text.isdigit() or int(text) < 1:
                raise CellError(_("A whole number, at least 1."), code="invalid_number")
            return int(text)
        if key == "languages":
            codes = [c.strip() for c in clean_text(raw).replace(";", ",").split(",")]
            return [LANGUAGE_CHOICES.clean(c) for c in codes if c]
        if key == "description":
            return str(raw).strip()
        return clean_limited_text(raw, _LENGTHS.get(key))

    def check_row(self, st: dict, row: Row, problems: RowProblems) -> Plan | None:
        values = {}
        item_id = None
        for key, raw in row.cells.items():
            if is_blank(raw):
                continue
            if key == "id":
                text = clean_text(raw)
                if not text.isdigit() or int(text) not in st["by_pk"]:
                    problems.add(
                        "id",
                        _("No programme item with this ID at the event."),
                        "unknown_id",
                    )
                else:
                    item_id = int(text)
                continue
            try:
                values[key] = self._value(st, key, raw)
            except CellError as exc:
                problems.cell_error(key, exc)
        if "title" not in values and "title" not in problems.keys:
            problems.add("title", _("Required."), "required", value="")
        if problems.count:
            return None
        existing = st["by_pk"].get(item_id)
        if existing is None and "starts_at" in values:
            existing = st["by_title_start"].get(
                (fold(values["title"]), values["starts_at"])
            )
        if existing is None:
            for key in ("kind", "starts_at", "ends_at"):
                if key not in values:
                    problems.add(
                        key, _("Required for a new item."), "required", value=""
                    )
            if problems.count:
                return None
            item = ProgrammeItem(event=st["event"], **values)
            return self._checked(st, row, item, CREATE, list(values), [], problems)
        changed = [k for k, v in values.items() if getattr(existing, k) != v]
        if not changed:
            return Plan(
                row=row.number, action=UNCHANGED, obj=existing, label=existing.title
            )
        changes = [
            Change(
                field=self.layout.header(k),
                old=self._shown(st, k, getattr(existing, k)),
                new=self._shown(st, k, values[k]),
            )
            for k in changed
        ]
        for key in changed:
            setattr(existing, key, values[key])
        return self._checked(st, row, existing, UPDATE, changed, changes, problems)

    def _checked(self, st, row, item, action, changed, changes, problems):
        if item.ends_at <= item.starts_at:
            problems.add(
                "ends_at", _("The end must be after the start."), "invalid_time"
            )
            return None
        message = days_error(st["event"], item.starts_at, item.ends_at)
        if message:
            problems.add("starts_at", message, "outside_event")
            return None
        return Plan(
            row=row.number,
            action=action,
            obj=item,
            label=item.title,
            group=local_span(st["event"], item.starts_at, item.ends_at),
            fields=changed,
            changes=changes,
        )

    @staticmethod
    def _shown(st, key, value) -> str:
        if value is None or value == "":
            return ""
        if key == "kind":
            return KIND_CHOICES.label(value)
        if key in BOOLEANS:
            return _("yes") if value else _("no")
        if key in ("starts_at", "ends_at"):
            return timezone.localtime(value, st["tz"]).strftime("%Y-%m-%d %H:%M")
        if key == "languages":
            return ", ".join(value)
        return str(value)

    def check_all(
        self, st, plans: list[Plan], report: ImportReport, table: Table
    ) -> None:
        """A room taken twice at overlapping times, by two rows or by a row
        and a stored item (not cancelled)."""
        planned = {id(p.obj): p for p in plans}
        final = [i for i in st["items"] if id(i) not in planned]
        final += [p.obj for p in plans]
        booked: dict[int, list] = {}
        for item in final:
            if item.room_id and not item.is_cancelled:
                booked.setdefault(item.room_id, []).append(item)
        for plan in sorted(plans, key=lambda p: p.row):
            item = plan.obj
            if not item.room_id or item.is_cancelled or plan.action == UNCHANGED:
                continue
            for other in booked[item.room_id]:
                if other is item or not (
                    other.starts_at < item.ends_at and other.ends_at > item.starts_at
                ):
                    continue
                other_plan = planned.get(id(other))
                where = (
                    _("row %(row)s") % {"row": other_plan.row}
                    if other_plan
                    else _("the stored programme")
                )
                report.add(
                    Problem(
                        row=plan.row,
                        column=table.ref("room"),
                        value=item.room.name,
                        message=_(
                            "%(room)s is taken at this time by “%(other)s” (%(span)s, %(where)s)."
                        )
                        % {
                            "room": item.room.name,
                            "other": other.title,
                            "span": local_span(
                                st["event"], other.starts_at, other.ends_at
                            ),
                            "where": where,
                        },
                        code="room_conflict",
                    )
                )
                break

    def lock(self, context: ImportContext) -> None:
        list(
            Room.objects.select_for_update()
            .filter(event=context.event)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def write(self, st, plans: list[Plan], context: ImportContext) -> None:
        from .services.programme import programme_item_save

        for plan in plans:
            if plan.action != UNCHANGED:
                programme_item_save(item=plan.obj)


PROGRAMME_IMPORTER = ProgrammeImporter()


class ProgrammeItemResource(resources.ModelResource):
    id = fields.Field(attribute="id", column_name="ID")
    title = fields.Field(attribute="title", column_name="Title")
    kind = fields.Field(column_name="Type")
    room = fields.Field(column_name="Room")
    starts_at = fields.Field(column_name="Starts")
    ends_at = fields.Field(column_name="Ends")
    description = fields.Field(attribute="description", column_name="Description")
    is_published = fields.Field(column_name="Published")
    is_cancelled = fields.Field(column_name="Cancelled")
    capacity = fields.Field(column_name="Seats")
    registration_required = fields.Field(column_name="Registration needed")
    languages = fields.Field(column_name="Languages")

    class Meta:
        model = ProgrammeItem
        fields = tuple(c.key for c in PROGRAMME_LAYOUT.columns)
        export_order = fields

    @staticmethod
    def queryset(queryset):
        return queryset.select_related("room", "event")

    def _local(self, value, item) -> str:
        return timezone.localtime(value, item.event.tzinfo).strftime("%Y-%m-%d %H:%M")

    def dehydrate_kind(self, item):
        return item.get_kind_display()

    def dehydrate_room(self, item):
        return item.room.name if item.room_id else ""

    def dehydrate_starts_at(self, item):
        return self._local(item.starts_at, item)

    def dehydrate_ends_at(self, item):
        return self._local(item.ends_at, item)

    def dehydrate_is_published(self, item):
        return "yes" if item.is_published else "no"

    def dehydrate_is_cancelled(self, item):
        return "yes" if item.is_cancelled else "no"

    def dehydrate_capacity(self, item):
        return item.capacity if item.capacity is not None else ""

    def dehydrate_registration_required(self, item):
        return "yes" if item.registration_required else "no"

    def dehydrate_languages(self, item):
        return ", ".join(item.languages or [])


def register() -> None:
    """Called from ``EventSessionsConfig.ready()``."""
    register_importer(PROGRAMME_IMPORTER)
    register_exporter(
        Exporter(
            kind="programme_items",
            verbose_name=gettext_lazy("Programme items"),
            model=ProgrammeItem,
            resource=lambda user: ProgrammeItemResource(),
            permissions=("event_sessions.view_programmeitem",),
            file_stem="programme",
        )
    )


__all__ = ["PROGRAMME_LAYOUT", "ProgrammeImporter", "ProgrammeItemResource", "register"]
