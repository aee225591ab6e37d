"""Browser tests (Chromium): the public programme filtered by day and type
on a phone and a wide screen; a delegate registers for a full side event,
lands on the waiting list and is promoted when a seat frees."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from sessions.enums import ProgrammeItemKind
from sessions.models import ProgrammeItem, Registration
from sessions.services import release_publish, seat_cancel, seat_register
from tests.factories import (
    DelegationFactory,
    ParticipantFactory,
    RoomFactory,
    VerifiedUserFactory,
)

from .conftest import at, make_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 360, "height": 780}
    )
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _programme(event):
    hall = RoomFactory(event=event, name="Plenary Hall", capacity=2000)
    ProgrammeItem.objects.create(
        event=event,
        room=hall,
        kind=ProgrammeItemKind.OPENING,
        title="Opening ceremony",
        starts_at=at(1, "08:30"),
        ends_at=at(1, "09:45"),
        is_published=True,
    )
    ProgrammeItem.objects.create(
        event=event,
        room=hall,
        kind=ProgrammeItemKind.PLENARY,
        title="General debate",
        starts_at=at(2, "09:00"),
        ends_at=at(2, "12:00"),
        is_published=True,
    )
    side = make_item(event, title="Ransomware: prevention", seats=1)
    release_publish(event=event)
    return side


def test_public_programme_filtered_by_day_and_type(
    live_server, page, phone, future_event
):
    _programme(future_event)

    for view in (page, phone):
        view.goto(f"{live_server.url}/programme/")
        expect(view.locator(".programme-title")).to_have_count(3)
        view.get_by_role("link", name="Saturday 26 October").click()
        expect(view.locator(".programme-title")).to_have_count(2)
        view.get_by_label("Type").select_option(label="Side event")
        view.get_by_role("button", name="Show").click()
        expect(view.locator(".programme-title")).to_have_text(
            ["Ransomware: prevention"]
        )
        expect(view.get_by_role("link", name="Saturday 26 October")).to_have_attribute(
            "aria-current", "page"
        )
        assert "day=2030-10-26" in view.url and "type=side_event" in view.url
        expect(view.get_by_text("Times are in Asia/Ho_Chi_Minh time.")).to_be_visible()
    # Nothing wider than a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_delegate_waits_for_a_full_side_event_and_is_promoted(
    live_server, phone, future_event, settings
):
    settings.SITE_URL = live_server.url
    side = _programme(future_event)
    delegation = DelegationFactory(event=future_event)
    holder = ParticipantFactory(delegation=delegation, email="first@example.org")
    seat_register(participant=holder, item=side)  # the only seat
    user = VerifiedUserFactory(email="mai@example.org")
    mai = ParticipantFactory(
        delegation=delegation, email="mai@example.org", user=user, given_names="Mai"
    )

    phone.goto(f"{live_server.url}/accounts/login/?next=/programme/item/{side.pk}/")
    phone.locator("[name=login]").fill("mai@example.org")
    phone.locator("[name=password]").fill(PASSWORD)
    phone.locator("main form [type=submit]").first.click()
    phone.wait_for_url(f"**/programme/item/{side.pk}/")
    expect(phone.get_by_text("Full: waiting list open")).to_be_visible()
    phone.get_by_role("button", name="Join the waiting list").click()

    expect(phone.locator("#seat-status")).to_have_text(
        "You are number 1 on the waiting list. If a seat frees, it is yours and "
        "we tell you by email."
    )
    assert Registration.objects.get(participant=mai).status == "waiting"

    mail.outbox.clear()
    seat_cancel(participant=holder, item=side)

    assert Registration.objects.get(participant=mai).status == "confirmed"
    [promotion] = [m for m in mail.outbox if m.to == ["mai@example.org"]]
    assert promotion.subject == "Hanoi 2030: a seat for you at “Ransomware: prevention”"
    phone.goto(f"{live_server.url}/portal/programme/agenda/")
    expect(phone.locator(".list-group-item")).to_contain_text(
        ["Ransomware: prevention Sat 26 Oct, 09:00–10:15 · Room"]
    )
    expect(phone.get_by_text("Seat confirmed")).to_be_visible()
