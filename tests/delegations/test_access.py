"""Access walk: every portal URL, as anonymous, a delegate, another
delegation's delegate, another delegation's focal point, and staff without
the permission. Out of scope is a 404 (never a hint that the id exists),
anonymous is sent to login, and nothing changes."""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from delegations import services
from delegations.enums import DelegationStatus, ParticipantStatus
from delegations.models import Delegation, Participant
from delegations.urls import urlpatterns
from tests.conftest import staff_two_factor_pass
from tests.factories import (
    DelegationFactory,
    EventFactory,
    ParticipantFactory,
    VerifiedUserFactory,
)

pytestmark = pytest.mark.django_db

# (url name, object it takes: "delegation", "participant" or None, method)
DELEGATION_URLS = [
    ("delegation", "GET"),
    ("delegation_nominate", "POST"),
    ("delegation_note_verbale", "GET"),
    ("delegation_note_verbale_upload", "POST"),
    ("delegation_submit", "POST"),
    ("delegation_import", "GET"),
    ("delegation_import", "POST"),
]
PARTICIPANT_URLS = [
    ("participant", "GET"),
    ("participant_edit", "GET"),
    ("participant_edit", "POST"),
    ("participant_submit", "POST"),
    ("participant_withdraw", "GET"),
    ("participant_withdraw", "POST"),
    ("participant_send_link", "POST"),
    ("participant_photo", "GET"),
]
# Pages without an object: any signed-in user has their own view of them.
OWN_URLS = ["home", "registration", "organisation_request"]
PUBLIC_URLS = ["invitation"]
# A member list import's check (a delegation and one of its imports): walked
# in tests/imports/test_portal.py.
WALKED_ELSEWHERE = ["delegation_import_log"]


def test_the_walk_covers_every_portal_url():
    walked = (
        {name for name, _ in DELEGATION_URLS}
        | {name for name, _ in PARTICIPANT_URLS}
        | set(OWN_URLS)
        | set(PUBLIC_URLS)
        | set(WALKED_ELSEWHERE)
    )
    assert walked == {pattern.name for pattern in urlpatterns}


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = EventFactory(is_current=True)
    photo = io.BytesIO()
    Image.new("RGB", (400, 500)).save(photo, format="JPEG")

    focal_a = VerifiedUserFactory()
    delegation_a = DelegationFactory(
        event=event, focal_point=focal_a, status=DelegationStatus.REGISTERING
    )
    delegate_a = VerifiedUserFactory()
    member_a = ParticipantFactory(
        delegation=delegation_a,
        user=delegate_a,
        status=ParticipantStatus.NOMINATED,
        passport_number="SECRET123",
    )
    services.participant_update(
        participant=member_a, data={}, photo=ContentFile(photo.getvalue(), "p.jpg")
    )
    services.delegation_upload_note_verbale(
        delegation=delegation_a, document=ContentFile(b"%PDF-1.4\n", "n.pdf")
    )

    focal_b = VerifiedUserFactory()
    delegation_b = DelegationFactory(
        event=event, focal_point=focal_b, status=DelegationStatus.REGISTERING
    )
    delegate_b = VerifiedUserFactory()
    ParticipantFactory(delegation=delegation_b, user=delegate_b)
    staff = VerifiedUserFactory(is_staff=True)
    return {
        "delegation": delegation_a,
        "participant": Participant.objects.get(pk=member_a.pk),
        "focal_a": focal_a,
        "delegate_a": delegate_a,
        "delegate_b": delegate_b,
        "focal_b": focal_b,
        "staff": staff,
    }


def _client(world, actor):
    client = Client()
    if actor == "anonymous":
        return client
    user = world[actor]
    if user.is_staff:
        staff_two_factor_pass(client, user)
    else:
        client.force_login(user)
    return client


def _request(client, method, name, obj):
    url = reverse(f"portal:{name}", args=[obj.pk])
    if method == "GET":
        return client.get(url)
    return client.post(
        url,
        {
            "given_names": "Intruder",
            "family_name": "X",
            "email": "x@example.org",
            "role": "delegate",
        },
    )


def _snapshot():
    return (
        sorted(Participant.objects.values_list("pk", "status", "given_names")),
        sorted(Delegation.objects.values_list("pk", "status", "note_verbale")),
    )


OUTSIDERS = ["delegate_b", "focal_b", "staff"]


@pytest.mark.parametrize("actor", OUTSIDERS)
@pytest.mark.parametrize(("name", "method"), DELEGATION_URLS + PARTICIPANT_URLS)
def test_outsiders_get_404_and_change_nothing(world, actor, name, method):
    obj = world["delegation"] if name.startswith("delegation") else world["participant"]
    before = _snapshot()
    response = _request(_client(world, actor), method, name, obj)
    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "method"), DELEGATION_URLS + PARTICIPANT_URLS)
def test_anonymous_is_sent_to_login_and_changes_nothing(world, name, method):
    obj = world["delegation"] if name.startswith("delegation") else world["participant"]
    before = _snapshot()
    response = _request(Client(), method, name, obj)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert _snapshot() == before


@pytest.mark.parametrize(("name", "method"), DELEGATION_URLS)
def test_a_delegate_cannot_use_their_delegations_focal_point_pages(world, name, method):
    before = _snapshot()
    response = _request(_client(world, "delegate_a"), method, name, world["delegation"])
    assert response.status_code == 404
    assert _snapshot() == before


def test_a_delegate_cannot_send_links_even_for_their_own_record(world):
    response = _request(
        _client(world, "delegate_a"),
        "POST",
        "participant_send_link",
        world["participant"],
    )
    assert response.status_code == 404


@pytest.mark.parametrize("actor", ["delegate_a", "focal_a"])
@pytest.mark.parametrize(
    "name",
    ["participant", "participant_edit", "participant_withdraw", "participant_photo"],
)
def test_delegate_and_their_focal_point_see_the_record(world, actor, name):
    response = _request(_client(world, actor), "GET", name, world["participant"])
    assert response.status_code == 200


@pytest.mark.parametrize("actor", ["delegate_a", "focal_a"])
def test_passport_data_is_shown_to_delegate_and_focal_point(world, actor):
    response = _request(
        _client(world, actor), "GET", "participant", world["participant"]
    )
    assert "SECRET123" in response.content.decode()


def test_guessing_the_next_id_is_404_not_403(world):
    client = _client(world, "delegate_b")
    missing = Participant.objects.order_by("-pk").first().pk + 1000
    assert client.get(reverse("portal:participant", args=[missing])).status_code == 404
    assert (
        client.get(
            reverse("portal:participant", args=[world["participant"].pk])
        ).status_code
        == 404
    )


@pytest.mark.parametrize("actor", OUTSIDERS + ["delegate_a"])
def test_own_pages_show_nothing_of_delegation_a(world, actor):
    client = _client(world, actor)
    for name in OWN_URLS:
        body = client.get(reverse(f"portal:{name}"), follow=True).content.decode()
        if actor != "delegate_a":
            assert str(world["delegation"].organisation) not in body
        assert "SECRET123" not in body or actor == "delegate_a"


@pytest.mark.parametrize("name", OWN_URLS)
def test_own_pages_need_login(name):
    response = Client().get(reverse(f"portal:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
