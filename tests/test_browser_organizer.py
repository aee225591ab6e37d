"""The organizer's first steps in Chromium: invite focal points by typing
their addresses, at 1,280 px and on a phone."""

import pytest
from playwright.sync_api import expect

from delegations.enums import DelegationStatus
from delegations.models import Invitation
from hanoi_event.models import OutboundEmail
from tests.browser import admin_login
from tests.factories import DelegationFactory, EventFactory, StateFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize("width", [1280, 360])
def test_organizer_invites_a_focal_point_by_typing_the_address(
    live_server, page, settings, width
):
    settings.SITE_URL = live_server.url
    organizer = UserFactory(
        email="organizer@example.org", is_staff=True, is_superuser=True
    )
    event = EventFactory(is_current=True)
    delegation = DelegationFactory(
        event=event, organisation=StateFactory(name="Argentina", iso2="AR", iso3="ARG")
    )

    admin_login(page, live_server, organizer, PASSWORD)
    page.goto(f"{live_server.url}/admin/delegations/delegation/")
    page.locator("input.action-select").first.check()
    page.select_option("select[name=action]", "invite_focal_points")
    page.get_by_role("button", name="Run").click()
    page.set_viewport_size({"width": width, "height": 800})

    box = page.get_by_label("Focal point's email for Argentina")
    expect(box).to_be_visible()
    # A box one can see: a border and room to type, inside the viewport.
    style = box.evaluate(
        "el => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();"
        " return [s.borderTopStyle, s.borderTopWidth, r.width, r.right]; }"
    )
    assert style[0] == "solid" and style[1] != "0px"
    assert 200 <= style[2] and style[3] <= width
    box.fill("dao@argentina.example")
    page.get_by_role("button", name="Send invitations").click()

    expect(page.get_by_text("1 invitation sent.")).to_be_visible()
    invitation = Invitation.objects.get()
    assert (invitation.delegation, invitation.email) == (
        delegation,
        "dao@argentina.example",
    )
    delegation.refresh_from_db()
    assert delegation.status == DelegationStatus.INVITED
    assert OutboundEmail.objects.get().to_email == "dao@argentina.example"


def test_date_only_fields_carry_no_time_zone_note_and_times_do(
    live_server, browser, settings
):
    from tests.factories import ParticipantFactory

    organizer = UserFactory(
        email="organizer@example.org", is_staff=True, is_superuser=True
    )
    participant = ParticipantFactory(delegation__event=EventFactory(is_current=True))
    # An organizer in Paris editing a record of an event in Hanoi.
    context = browser.new_context(
        locale="en-GB",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    admin_login(page, live_server, organizer, PASSWORD)
    page.goto(
        f"{live_server.url}/admin/delegations/participant/{participant.pk}/change/"
    )
    page.wait_for_load_state("load")

    def note_next_to(selector: str) -> int:
        return (
            page.locator(selector)
            .locator("xpath=..")
            .locator(".timezonewarning")
            .count()
        )

    assert note_next_to("#id_date_of_birth") == 0
    assert note_next_to("#id_passport_expiry") == 0
    assert note_next_to("#id_arrival_at_1") == 1
    context.close()
