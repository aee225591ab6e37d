"""The hall screen in Chromium: the chair starts, pauses and resets the
countdown from the chair's page; the screen follows by itself."""

import re

import pytest
from playwright.sync_api import expect

from delegations.enums import ProtocolRank
from protocol import services
from tests.browser import TIMEOUT_MS, admin_login
from tests.factories import (
    DelegationFactory,
    ParticipantFactory,
    SpeakingListFactory,
    StateFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hall_screen_countdown_follows_the_chair(
    browser, page, live_server, admin_user
):
    sl = SpeakingListFactory(title="High-level segment", time_limit_seconds=300)
    for name, rank in (
        ("Kingdom of Alpha", ProtocolRank.HEAD_OF_STATE),
        ("Republic of Beta", ProtocolRank.MINISTER),
    ):
        delegation = DelegationFactory(
            event=sl.event, organisation=StateFactory(name=name)
        )
        speaker = ParticipantFactory(
            delegation=delegation,
            protocol_rank=rank,
            function_title=f"Leader of {name}",
            consent_list_of_participants=True,
        )
        services.speaking_request_create(
            speaking_list=sl, delegation=delegation, speaker=speaker
        )

    page.goto(f"{live_server.url}/speakers/{sl.pk}/screen/")
    countdown = page.locator("#countdown")
    status = page.locator("#countdown-status")
    expect(countdown).to_have_text("5:00")
    expect(status).to_have_text("Paused")
    expect(page.locator("#next-speakers li").first).to_contain_text("Kingdom of Alpha")

    chair_context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    chair_context.set_default_timeout(TIMEOUT_MS)
    chair = chair_context.new_page()
    try:
        admin_login(chair, live_server, admin_user, "password")
        chair.goto(f"{live_server.url}/speakers/{sl.pk}/chair/")
        chair.locator("#chair-next").click()
        expect(chair.locator("#chair-current")).to_contain_text("Kingdom of Alpha")

        expect(page.locator("#current-delegation")).to_have_text("Kingdom of Alpha")
        expect(status).to_have_text("Running")
        expect(countdown).to_have_text(re.compile(r"^4:5\d$"))
        expect(page.locator("#next-speakers li").first).to_contain_text(
            "Republic of Beta"
        )

        chair.locator("#chair-pause").click()
        expect(status).to_have_text("Paused")
        paused_at = countdown.inner_text()
        page.wait_for_timeout(1500)
        assert countdown.inner_text() == paused_at

        chair.locator("#chair-start").click()
        expect(status).to_have_text("Running")

        chair.locator("#chair-reset").click()
        expect(status).to_have_text("Paused")
        expect(countdown).to_have_text("5:00")
        expect(page.locator("#total-time")).to_contain_text("Speaking time so far:")
    finally:
        chair_context.close()
