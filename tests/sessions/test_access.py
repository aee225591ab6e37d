"""Access by badge category: an item open to some badge categories takes
seats only from participants who hold one of them. The categories are
accreditation's, read through hanoi_event.participant_categories."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accreditation.services import badge_categories_ensure, badge_category_choose
from hanoi_event import participant_categories
from sessions.admin import ProgrammeItemForm
from sessions.models import Registration
from sessions.services import release_publish, seat_register
from tests.factories import (
    DelegationFactory,
    OrganisationFactory,
    ParticipantFactory,
    RoomFactory,
    StateFactory,
    UserFactory,
)

from .conftest import at, make_item

pytestmark = pytest.mark.django_db

REFUSED = (
    "“VIP and Party briefing” is open only to the badge categories VIP, Party. "
    "Your badge category is NGO, so you cannot take a seat here."
)


@pytest.fixture
def briefing(future_event):
    return make_item(
        future_event, title="VIP and Party briefing", access_categories=["vip", "PARTY"]
    )


@pytest.fixture
def ngo_person(future_event):
    delegation = DelegationFactory(
        event=future_event, organisation=OrganisationFactory()
    )
    return ParticipantFactory(delegation=delegation, user=UserFactory())


@pytest.fixture
def state_person(future_event):
    delegation = DelegationFactory(event=future_event, organisation=StateFactory())
    return ParticipantFactory(delegation=delegation)


def test_a_category_not_admitted_is_refused_with_both_named(briefing, ngo_person):
    with pytest.raises(ValidationError) as refused:
        seat_register(participant=ngo_person, item=briefing)

    assert refused.value.messages == [REFUSED]
    assert not Registration.objects.exists()


def test_an_admitted_category_takes_a_seat_whatever_the_case(briefing, state_person):
    registration = seat_register(participant=state_person, item=briefing)

    assert registration.status == "confirmed"


def test_the_category_an_officer_chose_is_the_one_that_counts(
    briefing, ngo_person, future_event
):
    vip = badge_categories_ensure(event=future_event)["vip"]
    badge_category_choose(participant=ngo_person, category=vip, chosen_by=None)

    assert seat_register(participant=ngo_person, item=briefing).status == "confirmed"


def test_an_item_open_to_all_needs_no_category(future_event, ngo_person, monkeypatch):
    item = make_item(future_event, title="Open panel")
    monkeypatch.setattr(participant_categories, "_provider", None)

    assert seat_register(participant=ngo_person, item=item).status == "confirmed"


def test_without_a_category_provider_nobody_is_admitted_by_category(
    briefing, state_person, monkeypatch
):
    monkeypatch.setattr(participant_categories, "_provider", None)

    with pytest.raises(ValidationError) as refused:
        seat_register(participant=state_person, item=briefing)

    assert refused.value.messages == [
        "“VIP and Party briefing” is open only to the badge categories vip, PARTY, "
        "and your badge category is not known. Please ask the secretariat."
    ]


def test_the_item_page_says_why_and_offers_no_register_button(
    client, briefing, ngo_person, future_event
):
    release_publish(event=future_event)
    client.force_login(ngo_person.user)
    url = reverse("programme:item", args=[briefing.pk])

    page = client.get(url)
    posted = client.post(
        reverse("agenda:register", args=[briefing.pk]), {"next": url}, follow=True
    )

    assert REFUSED in page.text
    assert "Badge categories: VIP, Party" in page.text
    assert reverse("agenda:register", args=[briefing.pk]) not in page.text
    assert [str(m) for m in posted.context["messages"]] == [REFUSED]
    assert not Registration.objects.exists()


def test_the_admin_refuses_a_code_the_event_does_not_have(future_event):
    room = RoomFactory(event=future_event)
    form = ProgrammeItemForm(
        data={
            "event": future_event.pk,
            "kind": "side_event",
            "title": "Briefing",
            "room": room.pk,
            "starts_at": at(2, "09:00"),
            "ends_at": at(2, "10:00"),
            "languages": "[]",
            "access_categories": '["vip", "A"]',
        }
    )

    assert not form.is_valid()
    assert form.errors["access_categories"] == [
        "A: not a badge category of this event. Its categories are: vip (VIP), "
        "party (Party), observer (Observer), igo_un (IGO / UN), ngo (NGO), "
        "media (Media), staff (Staff), security (Security)."
    ]


def test_staff_see_who_may_register_on_the_items_admin_page(admin_client, briefing):
    page = admin_client.get(
        reverse("admin:event_sessions_programmeitem_change", args=[briefing.pk])
    )

    assert (
        "Only participants whose badge category is VIP, Party; others are "
        "refused when they register."
    ) in page.text
