"""The public programme page is kept in the cache under everything that
changes it: a change shows up at once, languages and filters are cached
apart, and a signed-in participant's own seats never reach anyone else."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.caching import programme_version
from sessions.services import programme_item_save, release_publish, seat_register
from tests.factories import (
    DelegationFactory,
    ParticipantFactory,
    RoomFactory,
    UserFactory,
)

from .conftest import make_item

pytestmark = pytest.mark.django_db

URL = "/programme/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programme(future_event):
    room = RoomFactory(event=future_event, name="Meeting Room 4", capacity=40)
    side = make_item(future_event, room=room, title="Ransomware", seats=3)
    panel = make_item(
        future_event,
        room=RoomFactory(event=future_event, name="Plenary Hall"),
        title="Opening panel",
        day=1,
        kind="panel",
        registration_required=False,
    )
    release_publish(event=future_event)
    return {"event": future_event, "side": side, "panel": panel, "room": room}


def titles(response) -> list[str]:
    return re.findall(
        r'class="programme-title"[^>]*>([^<]+)<', response.content.decode()
    )


def seats_badge(response) -> str:
    found = re.search(r"(\d+ seats? left|Full: waiting list open)", response.text)
    return found.group(1) if found else ""


def test_a_second_request_is_served_from_the_cache_without_reading_the_programme(
    client, programme
):
    client.get(URL)

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)

    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    assert response.status_code == 200
    assert titles(response) == ["Opening panel", "Ransomware"]
    assert "event_sessions_" not in tables  # no release, no seat counts
    assert len(ctx.captured_queries) == 1  # the current event (middleware)


def test_a_seat_taken_shows_at_once(client, programme):
    person = ParticipantFactory(delegation=DelegationFactory(event=programme["event"]))
    assert seats_badge(client.get(URL)) == "3 seats left"

    seat_register(participant=person, item=programme["side"])

    assert seats_badge(client.get(URL)) == "2 seats left"


def test_a_release_shows_at_once_and_an_unreleased_change_does_not(client, programme):
    event = programme["event"]
    assert titles(client.get(URL)) == ["Opening panel", "Ransomware"]
    item = programme["side"]
    item.title = "Ransomware and extortion"
    programme_item_save(item=item)  # saved, not released yet

    assert titles(client.get(URL)) == ["Opening panel", "Ransomware"]

    release_publish(event=event)

    assert titles(client.get(URL)) == ["Opening panel", "Ransomware and extortion"]


def test_the_change_counter_moves_again_when_the_transaction_commits(
    programme, django_capture_on_commit_callbacks
):
    event = programme["event"]
    before = programme_version(event.pk)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        release_publish(event=event)

    assert len(callbacks) == 1
    assert programme_version(event.pk) == before + 2


def test_a_lost_counter_starts_from_a_number_never_used_before(programme):
    event = programme["event"]
    before = programme_version(event.pk)
    cache.delete(f"programme:changes:{event.pk}")

    assert programme_version(event.pk) > before


def test_two_languages_are_cached_apart(client, programme):
    english = client.get(URL, headers={"accept-language": "en"})
    french = client.get(URL, headers={"accept-language": "fr"})
    english_again = client.get(URL, headers={"accept-language": "en"})

    # Day headings are written by ICU in the page's language.
    assert "Friday, 25 October 2030" in english.text
    assert "vendredi 25 octobre 2030" in french.text
    assert "vendredi" not in english_again.text
    assert "Friday, 25 October 2030" in english_again.text


def test_a_filter_is_never_served_another_filters_page(client, programme):
    assert titles(client.get(URL)) == ["Opening panel", "Ransomware"]
    assert titles(client.get(URL, {"type": "panel"})) == ["Opening panel"]
    assert titles(client.get(URL, {"type": "side_event"})) == ["Ransomware"]
    assert titles(client.get(URL, {"q": "ransom"})) == ["Ransomware"]
    assert titles(client.get(URL, {"q": "opening"})) == ["Opening panel"]
    assert titles(client.get(URL, {"day": "2030-10-26"})) == ["Ransomware"]
    assert titles(client.get(URL, {"day": "2030-02-31"})) == [
        "Opening panel",
        "Ransomware",
    ]
    assert titles(client.get(URL, {"type": "panel"})) == ["Opening panel"]


def test_a_participants_own_seat_is_never_shown_to_others(client, programme):
    person = ParticipantFactory(
        delegation=DelegationFactory(event=programme["event"]), user=UserFactory()
    )
    seat_register(participant=person, item=programme["side"])
    client.force_login(person.user)
    mine = client.get(URL)
    client.logout()

    anonymous = client.get(URL)

    assert "Your seat is confirmed" in mine.text
    assert "Your seat is confirmed" not in anonymous.text
    assert seats_badge(anonymous) == "2 seats left"


def test_the_frame_is_rendered_for_each_request(client, programme):
    """The language form's CSRF token is the requester's own, not the one of
    whoever filled the cache."""
    first = client.get(URL)
    other = client.__class__()
    second = other.get(URL)

    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second.text)
    assert token is not None
    response = other.post(
        reverse("set_language"),
        {"language": "fr", "next": URL, "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302


def test_a_visitors_page_and_a_signed_in_page_are_never_mixed(client, programme):
    anonymous = client.get(URL)
    client.force_login(UserFactory())
    signed_in = client.get(URL)
    client.logout()
    anonymous_again = client.get(URL)

    assert "Sign out" not in anonymous.text
    assert "Sign out" in signed_in.text
    assert "My agenda" in signed_in.text
    assert "Sign out" not in anonymous_again.text
    assert (
        titles(signed_in)
        == titles(anonymous_again)
        == [
            "Opening panel",
            "Ransomware",
        ]
    )


def test_a_visitors_page_comes_whole_from_the_cache(client, programme):
    client.get(URL, {"type": "panel"})

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"type": "panel"})

    assert titles(response) == ["Opening panel"]
    assert 'name="next" type="hidden" value="/programme/?type=panel"' in response.text
    assert "programme-page-csrf-token" not in response.text
    assert len(ctx.captured_queries) == 1
