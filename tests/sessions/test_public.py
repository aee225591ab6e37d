"""The public programme (from the last release), releases and what changed,
the now-and-next screen, iCal feeds; query counts at 10 and 200 items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hanoi_event.models import OutboundEmail
from sessions.enums import ProgrammeItemKind
from sessions.mail import PROGRAMME_CHANGE
from sessions.models import ProgrammeItem, Room
from sessions.services import (
    agenda_feed_enable,
    agenda_feed_revoke,
    agenda_feed_token,
    programme_item_save,
    release_publish,
    seat_register,
)
from tests.factories import DelegationFactory, ParticipantFactory, RoomFactory

from .conftest import at, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(future_event):
    hall = RoomFactory(event=future_event, name="Plenary Hall")
    room = RoomFactory(event=future_event, name="Meeting Room 4")
    opening = ProgrammeItem.objects.create(
        event=future_event,
        room=hall,
        kind=ProgrammeItemKind.OPENING,
        title="Opening ceremony",
        starts_at=at(1, "08:30"),
        ends_at=at(1, "09:45"),
        is_published=True,
        languages=["en", "fr", "vi"],
    )
    side = make_item(future_event, room=room, title="Ransomware", languages=["en"])
    make_item(
        future_event,
        room=room,
        title="Hidden",
        start="11:00",
        end="12:00",
        is_published=False,
    )
    release_publish(event=future_event)
    return {"opening": opening, "side": side, "room": room}


def _titles(response) -> list[str]:
    """The titles the programme page lists, in order."""
    import re

    return re.findall(
        r'class="programme-title"[^>]*>([^<]+)<', response.content.decode()
    )


def _text(response) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_programme_shows_the_release_by_day_in_the_event_time_zone(client, published):
    response = client.get(reverse("programme:programme"))

    text = _text(response)
    assert "Release 1. Times are in Asia/Ho_Chi_Minh time." in text
    assert "Friday, 25 October 2030 08:30 – 09:45 Opening ceremony" in text
    assert "Saturday, 26 October 2030 09:00 – 10:15 Ransomware" in text
    assert "Hidden" not in text


def test_programme_filters_by_day_type_room_language_and_search(client, published):
    url = reverse("programme:programme")

    def titles(**params):
        return _titles(client.get(url, params))

    assert titles(day="2030-10-26") == ["Ransomware"]
    assert titles(type="opening") == ["Opening ceremony"]
    assert titles(room="Meeting Room 4") == ["Ransomware"]
    assert titles(lang="vi") == ["Opening ceremony"]
    assert titles(q="RANSOM") == ["Ransomware"]
    assert titles(day="2030-10-25", type="side_event") == []
    assert titles(day="not-a-day") == ["Opening ceremony", "Ransomware"]


def test_item_page_and_unpublished_item(client, published):
    page = client.get(reverse("programme:item", args=[published["side"].pk]))
    hidden = ProgrammeItem.objects.get(title="Hidden")

    assert "Saturday, 26 October 2030 at 09:00 – 10:15 (Asia/Ho_Chi_Minh)" in _text(
        page
    )
    assert "Sign in to register" in _text(page)
    assert client.get(reverse("programme:item", args=[hidden.pk])).status_code == 404


def test_changes_list_and_emails_to_people_registered_for_moved_items(
    client, published, future_event, django_capture_on_commit_callbacks
):
    person = ParticipantFactory(
        delegation=DelegationFactory(event=future_event), email="mai@example.org"
    )
    seat_register(participant=person, item=published["side"])
    side = published["side"]
    side.starts_at, side.ends_at = at(2, "12:00"), at(2, "13:15")
    programme_item_save(item=side)
    opening = published["opening"]
    opening.is_cancelled = True
    programme_item_save(item=opening)
    ProgrammeItem.objects.filter(title="Hidden").update(is_published=True)

    with django_capture_on_commit_callbacks(execute=True):
        release = release_publish(event=future_event, comment="Afternoon slot")
        release_publish(event=future_event)  # nothing changed: nobody told again

    hidden = ProgrammeItem.objects.get(title="Hidden")
    assert (
        release.number,
        release.changes["moved"],
        release.changes["cancelled"],
        release.changes["new"],
    ) == (2, [side.pk], [opening.pk], [hidden.pk])
    email = OutboundEmail.objects.get(kind=PROGRAMME_CHANGE)
    assert email.to_email == "mai@example.org"
    assert email.subject == "Hanoi 2030: “Ransomware” is moved"
    assert (
        "Before: Sat 26 Oct, 09:00–10:15 (Asia/Ho_Chi_Minh), Meeting Room 4"
        in email.text_body
    )
    assert (
        "Now:    Sat 26 Oct, 12:00–13:15 (Asia/Ho_Chi_Minh), Meeting Room 4"
        in email.text_body
    )
    text = _text(client.get(reverse("programme:changes")))
    assert "Release 2" in text and "Afternoon slot" in text
    assert (
        "Ransomware was Sat 26 Oct, 09:00–10:15 (Asia/Ho_Chi_Minh), Meeting Room 4"
        in text
    )
    assert "Opening ceremony (cancelled;" in text


def test_now_and_next(client, published):
    response = client.get(reverse("programme:now"), {"at": "2030-10-26T09:30"})

    assert [e.title for e in response.context["running"]] == ["Ransomware"]
    assert response.context["following"] == []
    assert '<meta http-equiv="refresh" content="60">' in response.content.decode()
    before = client.get(reverse("programme:now"), {"at": "2030-10-25T08:00"})
    assert [e.title for e in before.context["following"]] == ["Opening ceremony"]


def test_programme_ical_feed(client, published):
    body = client.get(reverse("programme:programme_ics")).content.decode()

    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "SUMMARY:Ransomware\r\nLOCATION:Meeting Room 4\r\n" in body
    assert "DTSTART:20301026T020000Z\r\nDTEND:20301026T031500Z\r\n" in body
    assert body.count("BEGIN:VEVENT") == 2


def test_personal_feed_at_a_secret_revocable_url(client, published, future_event):
    person = ParticipantFactory(delegation=DelegationFactory(event=future_event))
    seat_register(participant=person, item=published["side"])
    agenda = agenda_feed_enable(participant=person)
    url = reverse("programme:agenda_ics", args=[agenda_feed_token(agenda)])

    body = client.get(url).content.decode()
    assert body.count("BEGIN:VEVENT") == 1 and "SUMMARY:Ransomware" in body

    agenda_feed_revoke(participant=person)
    assert client.get(url).status_code == 404
    assert client.get(url.replace(".ics", "x.ics")).status_code == 404
    renewed = agenda_feed_enable(participant=person)
    assert (
        client.get(
            reverse("programme:agenda_ics", args=[agenda_feed_token(renewed)])
        ).status_code
        == 200
    )


def _bulk_items(event, count):
    rooms = Room.objects.bulk_create(
        Room(event=event, name=f"R{n:03d}-{count}", capacity=50) for n in range(count)
    )
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            event=event,
            room=room,
            kind=ProgrammeItemKind.SIDE_EVENT,
            title=f"Item {n}",
            starts_at=at(2, "09:00"),
            ends_at=at(2, "10:15"),
            is_published=True,
            registration_required=True,
        )
        for n, room in enumerate(rooms)
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["programme:programme", "programme:programme_ics"])
def test_query_count_does_not_grow_with_items(client, future_event, url_name):
    url = reverse(url_name)
    _bulk_items(future_event, 10)
    release_publish(event=future_event)
    client.get(url)
    at_10 = _queries(client, url)
    _bulk_items(future_event, 190)
    release_publish(event=future_event)
    client.get(url)
    at_200 = _queries(client, url)

    print(f"{url_name}: {at_10} queries at 10 items, {at_200} at 200")
    assert at_10 == at_200
    assert at_200 <= 4


def test_programme_rendered_afresh_reads_as_many_queries_at_10_and_200_items(
    client, future_event
):
    from django.core.cache import cache

    url = reverse("programme:programme")
    _bulk_items(future_event, 10)
    release_publish(event=future_event)
    cache.clear()
    at_10 = _queries(client, url)
    _bulk_items(future_event, 190)
    release_publish(event=future_event)
    cache.clear()
    at_200 = _queries(client, url)

    print(f"programme, not cached: {at_10} queries at 10 items, {at_200} at 200")
    assert at_10 == at_200 == 4
