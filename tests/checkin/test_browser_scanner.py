"""The scanner page in Chromium, at phone size: a typed badge number online;
the network cut while scanning (the scan is verified on the device, queued,
survives a reload, and is uploaded once when the network returns)."""

import pytest
from playwright.sync_api import expect

from accreditation import services as accreditation
from checkin import services
from checkin.models import Gate, Scan
from tests.factories import (
    DelegationFactory,
    EventFactory,
    ParticipantFactory,
    StateFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 360, "height": 740}, service_workers="allow"
    )
    context.set_default_timeout(15_000)
    try:
        yield context, context.new_page()
    finally:
        context.close()


@pytest.fixture
def gate_setup(db):
    event = EventFactory()
    accreditation.badge_categories_ensure(event=event)
    Gate.objects.create(
        event=event, name="North entry", zone=event.zones.get(code="venue")
    )
    delegation = DelegationFactory(
        event=event, organisation=StateFactory(name="Viet Nam Test")
    )
    people = ParticipantFactory.create_batch(2, delegation=delegation)
    for person in people:
        accreditation.accreditation_approve(participant=person, decided_by=None)
    badges = [accreditation.valid_badge(p) for p in people]
    _device, code = services.device_create(event=event, name="Gate phone", by=None)
    return event, people, badges, code


def test_typed_badge_number_online_then_offline_queue_survives_reload(
    live_server, phone_page, gate_setup
):
    context, page = phone_page
    event, people, badges, code = gate_setup
    page.goto(f"{live_server.url}/checkin/?setup={code}")
    expect(page.locator("#scanner")).to_be_visible()
    expect(page.locator("#gate")).to_contain_text("North entry")

    # Online: the server's verdict, with the person to compare.
    page.fill("#code", "00001")
    page.click("#manual button")
    expect(page.locator("#verdict-words")).to_have_text("Valid")
    expect(page.locator("#verdict .icon")).to_have_text("✓")
    expect(page.locator("#person-name")).to_have_text(people[0].full_name)
    page.fill("#code", "1")
    page.click("#manual button")
    expect(page.locator("#verdict-words")).to_have_text("Already inside")

    # The network goes: the page verifies the signed badge itself and queues.
    page.evaluate("navigator.serviceWorker.ready")
    context.set_offline(True)
    qr = accreditation.badge_qr_text(badges[1])
    page.evaluate("code => { document.getElementById('code').value = code; }", qr)
    page.click("#manual button")
    expect(page.locator("#net")).to_have_class("net offline")
    expect(page.locator("#verdict-words")).to_have_text("Valid")
    expect(page.locator("#verdict-reason")).to_have_text("(checked offline)")
    expect(page.locator("#queue-count")).to_have_text("1")
    expect(page.locator("p.queue")).to_have_text("Scans waiting to upload: 1")
    # A tampered badge offline is unknown (and queued too: every scan counts).
    page.evaluate(
        "code => { document.getElementById('code').value = code; }", qr[:-3] + "AAA"
    )
    page.click("#manual button")
    expect(page.locator("#verdict-words")).to_have_text("Unknown")
    expect(page.locator("#queue-count")).to_have_text("2")
    assert Scan.objects.count() == 2

    # Reload while offline: the service worker serves the page, the queue is kept.
    page.reload()
    expect(page.locator("#scanner")).to_be_visible()
    expect(page.locator("#queue-count")).to_have_text("2")

    # The network returns: the queue is uploaded once.
    context.set_offline(False)
    expect(page.locator("#net")).to_have_class("net online", timeout=20_000)
    expect(page.locator("#queue-count")).to_have_text("0")
    page.reload()
    expect(page.locator("#queue-count")).to_have_text("0")
    uploaded = Scan.objects.filter(offline=True).order_by("scanned_at")
    assert [(s.verdict, s.offline_verdict, s.late) for s in uploaded] == [
        ("valid", "valid", True),
        ("unknown", "unknown", True),
    ]
    assert Scan.objects.count() == 4
