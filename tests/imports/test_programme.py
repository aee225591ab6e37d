"""Programme items in and out: rooms by name, times in the event's zone,
the room conflict rule across the file and the stored programme, the
export's ID updating the same item."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from delegations.services.imports import import_file
from sessions.models import ProgrammeItem
from tests.factories import ProgrammeItemFactory, RoomFactory
from tests.imports.conftest import csv_bytes

HEADER = ["Title", "Type", "Room", "Starts", "Ends", "Published", "Languages"]


@pytest.fixture
def rooms(event):
    return {
        "plenary": RoomFactory(event=event, name="Plenary Hall"),
        "b": RoomFactory(event=event, name="Room B"),
    }


def _run(event, rows, **kw):
    _log, report = import_file(
        kind="programme_items",
        data=csv_bytes(rows),
        file_name="p.csv",
        event=event,
        **kw,
    )
    return report


def test_items_are_created_in_event_time(event, rooms):
    report = _run(
        event,
        [
            HEADER,
            [
                "Opening",
                "Opening",
                "plenary hall",
                "2025-10-25 09:00",
                "2025-10-25 10:15",
                "yes",
                "en, fr",
            ],
            [
                "Panel",
                "Panel",
                "Room B",
                "25/10/2025 09:00",
                "25/10/2025 10:00",
                "no",
                "",
            ],
        ],
    )

    assert report.ok, report.problems
    opening = ProgrammeItem.objects.get(title="Opening")
    assert opening.starts_at == dt.datetime(2025, 10, 25, 2, 0, tzinfo=dt.UTC)
    assert (opening.room, opening.is_published, opening.languages) == (
        rooms["plenary"],
        True,
        ["en", "fr"],
    )


def test_room_conflicts_in_the_file_and_with_the_stored_programme(event, rooms):
    ProgrammeItemFactory(
        event=event,
        title="Stored",
        room=rooms["b"],
        starts_at=dt.datetime(2025, 10, 25, 2, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2025, 10, 25, 3, 0, tzinfo=dt.UTC),
    )

    report = _run(
        event,
        [
            HEADER,
            [
                "A",
                "Panel",
                "Plenary Hall",
                "2025-10-25 09:00",
                "2025-10-25 10:00",
                "",
                "",
            ],
            [
                "B",
                "Panel",
                "Plenary Hall",
                "2025-10-25 09:30",
                "2025-10-25 10:30",
                "",
                "",
            ],
            ["C", "Panel", "Room B", "2025-10-25 09:30", "2025-10-25 09:45", "", ""],
            ["D", "Panel", "Room Z", "2025-10-25 11:00", "2025-10-25 12:00", "", ""],
            ["E", "Panel", "Room B", "2025-10-28 09:00", "2025-10-28 10:00", "", ""],
        ],
    )

    assert [(p.row, p.column, p.code) for p in report.problems] == [
        (2, "C (Room)", "room_conflict"),
        (3, "C (Room)", "room_conflict"),
        (4, "C (Room)", "room_conflict"),
        (5, "C (Room)", "unknown_room"),
        (6, "D (Starts)", "outside_event"),
    ]
    assert "“Stored”" in report.problems[2].message
    assert ProgrammeItem.objects.count() == 1


def test_export_then_import_updates_by_id(admin_client, event, rooms):
    item = ProgrammeItemFactory(event=event, title="Panel on evidence", room=rooms["b"])
    response = admin_client.post(
        reverse("admin:event_sessions_programmeitem_export_list"),
        {"kind": "programme_items", "format": "csv"},
    )
    text = response.content.decode("utf-8-sig").replace(
        "Panel on evidence", "Panel on electronic evidence"
    )
    upload = io.BytesIO(text.encode())
    upload.name = "programme.csv"

    checked = admin_client.post(
        reverse("admin:event_sessions_programmeitem_import_list"),
        {"file": upload, "event": event.pk},
    )
    admin_client.post(checked["Location"])

    item.refresh_from_db()
    assert item.title == "Panel on electronic evidence"
    assert ProgrammeItem.objects.count() == 1
