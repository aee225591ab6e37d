"""The admin for rooms and the programme."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.enums import ProgrammeItemKind
from sessions.models import ProgrammeItem, Room
from sessions.services import allocation_propose, release_publish
from tests.factories import (
    DelegationFactory,
    EventFactory,
    ProgrammeItemFactory,
    RoomFactory,
    SideEventApplicationFactory,
    SideEventSlotFactory,
)

pytestmark = pytest.mark.django_db

# A fixed ceiling for one changelist page as a superuser.
CHANGELIST_MAX_QUERIES = 15


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The superuser and users here need a password, not a slow hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def one_of_each(db):
    event = EventFactory(is_current=True)
    room = RoomFactory(event=event, name="Plenary Hall")
    item = ProgrammeItemFactory(event=event, room=room)
    application = SideEventApplicationFactory(
        delegation=DelegationFactory(event=event), status="accepted"
    )
    return {
        "room": room,
        "programmeitem": item,
        "release": release_publish(event=event),
        "sideeventslot": SideEventSlotFactory(event=event),
        "sideeventapplication": application,
        "allocationproposal": allocation_propose(event=event),
    }


ADD_PAGES = {"room", "programmeitem", "release", "sideeventslot"}


@pytest.mark.parametrize(
    "model_name",
    [
        "room",
        "programmeitem",
        "release",
        "sideeventslot",
        "sideeventapplication",
        "allocationproposal",
    ],
)
@pytest.mark.parametrize("page", ["changelist", "add", "change"])
def test_admin_page_answers_for_superuser(admin_client, one_of_each, model_name, page):
    if page == "add" and model_name not in ADD_PAGES:
        return  # added through the portal or by the allocator, not here
    args = [one_of_each[model_name].pk] if page == "change" else []

    response = admin_client.get(
        reverse(f"admin:event_sessions_{model_name}_{page}", args=args)
    )

    assert response.status_code == 200


def test_programme_changelist_shows_times_in_the_event_time_zone(admin_client):
    hanoi = EventFactory(time_zone="Asia/Ho_Chi_Minh", is_current=True)
    vienna = EventFactory(time_zone="Europe/Vienna")
    ProgrammeItemFactory(
        event=hanoi,
        kind=ProgrammeItemKind.OPENING,
        title="Opening ceremony",
        starts_at=dt.datetime(2025, 10, 25, 2, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2025, 10, 25, 3, 15, tzinfo=dt.UTC),
    )
    ProgrammeItemFactory(
        event=vienna,
        title="Vienna briefing",
        starts_at=dt.datetime(2025, 10, 25, 8, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2025, 10, 25, 9, 0, tzinfo=dt.UTC),
    )

    response = admin_client.get(
        reverse("admin:event_sessions_programmeitem_changelist")
    )

    cl = response.context["cl"]
    admin = cl.model_admin
    rows = {item.title: item for item in cl.result_list}
    opening, briefing = rows["Opening ceremony"], rows["Vienna briefing"]
    assert (admin.starts(opening), admin.ends(opening)) == (
        "2025-10-25 09:00",
        "2025-10-25 10:15",
    )
    # Vienna is on summer time (UTC+2) until the last Sunday of October.
    assert (admin.starts(briefing), admin.ends(briefing)) == (
        "2025-10-25 10:00",
        "2025-10-25 11:00",
    )
    assert "2025-10-25 09:00" in response.content.decode()


def changelist_query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def bulk_rooms_and_items(event, start: int, count: int) -> None:
    """``count`` rooms with one programme item each."""
    rooms = Room.objects.bulk_create(
        Room(event=event, name=f"Room {n:04d}", capacity=50)
        for n in range(start, start + count)
    )
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            event=event,
            kind=ProgrammeItemKind.SIDE_EVENT,
            title=f"Side event {n:04d}",
            room=room,
            starts_at=dt.datetime(2025, 10, 26, 2, 0, tzinfo=dt.UTC),
            ends_at=dt.datetime(2025, 10, 26, 3, 15, tzinfo=dt.UTC),
        )
        for n, room in zip(range(start, start + count), rooms, strict=True)
    )


@pytest.mark.parametrize("model_name", ["programmeitem", "room"])
def test_changelist_queries_do_not_grow_with_rows(admin_client, model_name):
    event = EventFactory(is_current=True)
    url = reverse(f"admin:event_sessions_{model_name}_changelist")
    bulk_rooms_and_items(event, 0, 10)
    admin_client.get(url)  # warm caches once

    queries_at_10 = changelist_query_count(admin_client, url)
    bulk_rooms_and_items(event, 10, 290)
    queries_at_300 = changelist_query_count(admin_client, url)

    print(
        f"{model_name} changelist: {queries_at_10} queries at 10 rows, "
        f"{queries_at_300} at 300 rows"
    )
    assert queries_at_10 == queries_at_300
    assert queries_at_300 <= CHANGELIST_MAX_QUERIES


def test_placement_page_shows_conflicts_then_places(admin_client, one_of_each):
    application = one_of_each["sideeventapplication"]
    slot = one_of_each["sideeventslot"]
    room = RoomFactory(event=application.event, name="Meeting Room 4")
    url = reverse(
        "admin:event_sessions_sideeventapplication_place", args=[application.pk]
    )

    check = admin_client.post(url, {"slot": slot.pk, "room": room.pk, "check": "1"})
    placed = admin_client.post(url, {"slot": slot.pk, "room": room.pk, "place": "1"})

    assert check.status_code == 200
    assert check.context["check"].errors == []
    assert check.context["check"].warnings == [
        "Meeting Room 4 is not open to side events."
    ]
    assert placed.status_code == 302
    application.refresh_from_db()
    assert application.programme_item.room == room


def test_allocation_proposal_is_confirmed_from_its_page(admin_client, one_of_each):
    proposal = one_of_each["allocationproposal"]
    page = admin_client.get(
        reverse("admin:event_sessions_allocationproposal_change", args=[proposal.pk])
    )
    assert "Confirm and place these side events" in page.content.decode()

    response = admin_client.post(
        reverse("admin:event_sessions_allocationproposal_confirm", args=[proposal.pk])
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.confirmed_at is not None


def test_publishing_a_release_from_the_admin(admin_client, one_of_each):
    event = one_of_each["room"].event
    response = admin_client.post(
        reverse("admin:event_sessions_release_add"),
        {"event": event.pk, "comment": "Second"},
    )
    assert response.status_code == 302
    assert list(event.programme_releases.values_list("number", "comment")) == [
        (2, "Second"),
        (1, ""),
    ]
