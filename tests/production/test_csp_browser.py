"""The Content-Security-Policy is one the pages satisfy: Chromium loads the
key pages of every area (public, accounts, the portal as a delegate, the
check-in scanner, the admin as staff past TOTP) and reports no violation,
neither as a ``securitypolicyviolation`` event nor on the console. A control
proves the listener hears a violation when there is one."""

import pytest

from delegations import services
from delegations.enums import DelegationStatus
from tests.browser import admin_login
from tests.factories import (
    DelegationFactory,
    EventFactory,
    ParticipantFactory,
    SpeakingListFactory,
    StateFactory,
    UserFactory,
    VerifiedUserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"

# Runs before any page script, outside the page's CSP (Playwright injects it).
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _watch(page):
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.context.add_init_script(LISTEN)
    return console


def _violations(page, url, console):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # Alpine and the scanner start after load; give them their first tick.
    page.wait_for_timeout(300)
    return page.evaluate("window.__csp") + console


def test_public_accounts_portal_and_checkin_pages_load_with_no_violation(
    live_server, page
):
    event = EventFactory(is_current=True)
    delegation = DelegationFactory(
        event=event,
        organisation=StateFactory(name="Viet Nam", iso2="VN", iso3="VNM"),
        status=DelegationStatus.REGISTERING,
    )
    user = VerifiedUserFactory(email="mai@member.example")
    user.set_password(PASSWORD)
    user.save()
    member = services.participant_nominate(
        delegation=delegation,
        email="mai@member.example",
        given_names="Mai",
        family_name="Tran",
        role="delegate",
    )
    speaking_list = SpeakingListFactory()
    console = _watch(page)
    base = live_server.url

    found = {}
    for path in [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/programme/",
        "/signatories/",
        "/checkin/",
        f"/speakers/{speaking_list.pk}/screen/",
    ]:
        found[path] = _violations(page, base + path, console)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill("mai@member.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{base}/portal/**")
    for path in [
        "/portal/",
        "/portal/registration/",
        f"/portal/participant/{member.pk}/edit/",
        "/portal/programme/agenda/",
    ]:
        found[path] = _violations(page, base + path, console)

    assert page.url == f"{base}/portal/programme/agenda/"
    assert found == {path: [] for path in found}


def test_admin_pages_load_with_no_violation_for_staff_past_totp(live_server, page):
    admin = UserFactory(email="organizer@example.org", is_staff=True, is_superuser=True)
    admin.set_password(PASSWORD)
    admin.save()
    participant = ParticipantFactory(delegation__event=EventFactory(is_current=True))
    console = _watch(page)
    admin_login(page, live_server, admin, PASSWORD)
    base = live_server.url

    found = {}
    for path in [
        "/admin/",
        "/admin/delegations/participant/",
        f"/admin/delegations/participant/{participant.pk}/change/",
        "/admin/hanoi_event/outboundemail/",
        "/admin/django_celery_beat/periodictask/",
    ]:
        found[path] = _violations(page, base + path, console)

    assert page.url == f"{base}/admin/django_celery_beat/periodictask/"
    assert found == {path: [] for path in found}


def test_the_listener_hears_a_violation_when_a_page_has_one(live_server, page):
    EventFactory(is_current=True)
    console = _watch(page)
    page.goto(f"{live_server.url}/")
    # An inline script without the nonce, added the way an injection would be.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = 1'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)

    assert page.evaluate("window.__ran === undefined") is True
    assert [v.split(" ")[0] for v in page.evaluate("window.__csp")] == [
        "script-src-elem"
    ]
    assert len(console) == 1
    assert "script-src" in console[0]
