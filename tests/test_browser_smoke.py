"""Smoke test: a superuser signs into the admin in Chromium and sees the
participants, with the unfold theme and its static files."""

import pytest
from playwright.sync_api import expect

from delegations.enums import DelegationRole
from tests.browser import admin_login
from tests.factories import (
    DelegationFactory,
    EventFactory,
    ParticipantFactory,
    StateFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def test_superuser_sees_participants_in_the_admin(live_server, page, tmp_path):
    admin = UserFactory(
        username="organizer",
        email="organizer@example.org",
        is_staff=True,
        is_superuser=True,
    )
    event = EventFactory(is_current=True)
    viet_nam = DelegationFactory(
        event=event, organisation=StateFactory(name="Viet Nam", iso2="VN", iso3="VNM")
    )
    ParticipantFactory(
        delegation=viet_nam,
        role=DelegationRole.HEAD,
        given_names="Văn An",
        family_name="Nguyễn",
    )
    ParticipantFactory(delegation=viet_nam, given_names="Thị Mai", family_name="Trần")
    ParticipantFactory(given_names="Amina", family_name="Diallo")

    admin_login(page, live_server, admin, PASSWORD)
    page.goto(f"{live_server.url}/admin/delegations/participant/")

    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(3)
    expect(page.get_by_role("link", name="Văn An NGUYỄN")).to_be_visible()
    expect(page.locator("#result_list")).to_contain_text("Viet Nam")
    # The live server served the theme's stylesheet (static files) and the
    # browser parsed it.
    stylesheet = page.evaluate(
        "() => [...document.styleSheets].some(s => (s.href || '').includes("
        "'unfold/css/styles.css') && s.cssRules.length > 100)"
    )
    assert stylesheet is True
    screenshot = tmp_path / "participant-changelist.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
