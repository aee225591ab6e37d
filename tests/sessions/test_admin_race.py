"""Two organizers saving the same programme item in the admin at once: the
one who saves second gets a clear message in the form (their changes are
not saved, nothing half-written), never an error page; a save the database
refuses (a room or a speaker taken at that moment) is a message too."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from hanoi_event.roles import roles_sync
from sessions.enums import SpeakerRole
from sessions.models import ProgrammeItem, ProgrammeRole
from sessions.services import SpeakerSpec, programme_item_save
from tests.conftest import staff_two_factor_pass
from tests.factories import EventFactory, RoomFactory, UserFactory

from .conftest import FIRST_DAY, at
from .test_seats import _run_in_threads

CHANGED = "Someone else saved this item while you were editing it"


class _Form(HTMLParser):
    """The fields a browser would post from the page's main form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(a.get("value", default))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def form_data(page) -> dict[str, list[str]]:
    parser = _Form()
    parser.feed(page.content.decode())
    return parser.data


def _organizer():
    roles_sync()
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Organizer"))
    client = Client()
    staff_two_factor_pass(client, user)
    return client


def _panel(event, title, room, start, end, speaker) -> ProgrammeItem:
    """A panel on day 2 in a new room ``room``, saved with ``speaker``."""
    return programme_item_save(
        item=ProgrammeItem(
            event=event,
            room=RoomFactory(event=event, name=room),
            kind="panel",
            title=title,
            starts_at=at(2, start),
            ends_at=at(2, end),
        ),
        speakers=[speaker],
    )


@pytest.fixture
def setup(db):
    event = EventFactory(
        start_date=FIRST_DAY, end_date=FIRST_DAY.replace(day=26), is_current=True
    )
    item = _panel(
        event,
        "Ransomware",
        "Meeting Room 4",
        "09:00",
        "10:15",
        SpeakerSpec(role=SpeakerRole.CHAIR, name="Amina Diallo"),
    )
    url = reverse("admin:event_sessions_programmeitem_change", args=[item.pk])
    return event, item, url


@pytest.mark.django_db(transaction=True)
def test_two_organizers_saving_one_item_at_once(setup):
    _event, item, url = setup
    alice, bob = _organizer(), _organizer()
    alice_data = form_data(alice.get(url))
    bob_data = form_data(bob.get(url))
    alice_data["title"] = ["Ransomware: the state of play"]
    bob_data["title"] = ["Ransomware and extortion"]
    bob_data["roles-0-name"] = ["Li Wei"]

    results = _run_in_threads(
        [lambda: alice.post(url, alice_data), lambda: bob.post(url, bob_data)]
    )

    assert [r for r in results if isinstance(r, Exception)] == []
    statuses = sorted(r.status_code for r in results)
    assert statuses == [200, 302], statuses
    winner = next(r for r in results if r.status_code == 302)
    loser = next(r for r in results if r.status_code == 200)
    assert CHANGED in loser.content.decode()
    item.refresh_from_db()
    won_with = alice_data if winner is results[0] else bob_data
    assert item.title == won_with["title"][0]
    assert list(ProgrammeRole.objects.values_list("name", flat=True)) == [
        won_with["roles-0-name"][0]
    ]


@pytest.mark.django_db
def test_a_form_opened_before_another_save_is_refused_with_a_message(setup):
    _event, item, url = setup
    alice, bob = _organizer(), _organizer()
    bob_data = form_data(bob.get(url))
    alice_data = form_data(alice.get(url))
    alice_data["starts_at_1"] = ["09:30"]
    assert alice.post(url, alice_data).status_code == 302

    bob_data["title"] = ["Ransomware and extortion"]
    page = bob.post(url, bob_data)

    assert page.status_code == 200
    assert CHANGED in page.content.decode()
    item.refresh_from_db()
    assert (item.title, item.starts_at) == ("Ransomware", at(2, "09:30"))
    # The form keeps what Bob typed; opening the item again lets him save.
    assert "Ransomware and extortion" in page.content.decode()
    again = form_data(bob.get(url))
    again["title"] = ["Ransomware and extortion"]
    assert bob.post(url, again).status_code == 302


@pytest.mark.django_db
def test_a_speaker_the_database_refuses_is_a_message_and_nothing_is_saved(
    setup, monkeypatch
):
    """The check of the chairs and speakers passed, but before the save
    another item took the speaker (a race): the database refuses, the whole
    save is rolled back and the form says why, naming the other item."""
    event, item, url = setup
    _panel(
        event,
        "Fraud",
        "Plenary Hall",
        "10:00",
        "11:00",
        SpeakerSpec(name="Li Wei", email="li@example.org"),
    )
    alice = _organizer()
    data = form_data(alice.get(url))
    data["title"] = ["Ransomware: the state of play"]
    data["roles-0-name"] = ["Li Wei"]
    data["roles-0-email"] = ["li@example.org"]
    import sessions.admin

    monkeypatch.setattr(sessions.admin, "speaker_conflicts", lambda **kwargs: [])

    page = alice.post(url, data)

    assert page.status_code == 200
    assert (
        "Li Wei speaks at the same time in “Fraud” "
        "(Sat 26 Oct, 10:00–11:00 (Asia/Ho_Chi_Minh))."
    ) in page.content.decode()
    item.refresh_from_db()
    assert item.title == "Ransomware"
    assert sorted(ProgrammeRole.objects.values_list("item__title", "name")) == [
        ("Fraud", "Li Wei"),
        ("Ransomware", "Amina Diallo"),
    ]


@pytest.mark.django_db
def test_an_item_added_with_a_chair_keeps_the_copies_of_its_times(setup):
    event, _item, _url = setup
    alice = _organizer()
    add = reverse("admin:event_sessions_programmeitem_add")
    data = form_data(alice.get(add))
    data.update(
        {
            "event": [str(event.pk)],
            "kind": ["panel"],
            "title": ["Capacity building"],
            "starts_at_0": ["2030-10-25"],
            "starts_at_1": ["14:00"],
            "ends_at_0": ["2030-10-25"],
            "ends_at_1": ["15:00"],
            "roles-TOTAL_FORMS": ["1"],
            "roles-0-role": ["chair"],
            "roles-0-name": ["Olga Petrova"],
            "roles-0-order": ["0"],
        }
    )

    assert alice.post(add, data).status_code == 302
    role = ProgrammeRole.objects.get(name="Olga Petrova")
    assert (role.event_id, role.starts_at, role.ends_at, role.item_cancelled) == (
        event.pk,
        at(1, "14:00"),
        at(1, "15:00"),
        False,
    )
