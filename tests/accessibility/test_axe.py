"""WCAG 2.1 AA on the pages delegates, focal points and gate staff use:
axe-core (tests/accessibility/axe.py) finds no violation on each page in
English and in Arabic (right to left), on a wide screen and on a phone.

One browser and one live server for the file; each test builds the few
records its page needs and signs in by session cookie (the sign-in form
itself is one of the pages checked)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accreditation import services as accreditation
from checkin import services as checkin
from checkin.models import Gate
from delegations import services as delegations
from delegations.enums import (
    DelegationRole,
    DelegationStatus,
    ParticipantStatus,
    ProtocolRank,
)
from protocol import services as protocol
from sessions.enums import ProgrammeItemKind
from sessions.models import ProgrammeItem
from sessions.services import release_publish
from tests.factories import (
    DelegationFactory,
    EventFactory,
    ParticipantFactory,
    RoomFactory,
    StateFactory,
    VerifiedUserFactory,
)

from .axe import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "ar"]
WIDTHS = [1280, 360]
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# Full-page screenshots of every page checked go here when set (for a human
# to look at the layout, right to left above all).
SHOTS = os.environ.get("A11Y_SCREENSHOTS")
SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth + 1"


def utc(day: int, hhmm: str) -> dt.datetime:
    """``hhmm`` in Hanoi on day ``day`` of the event (25-26 October 2025),
    as a UTC instant."""
    hour, minute = (int(p) for p in hhmm.split(":"))
    local = dt.datetime(2025, 10, 24 + day, hour, minute, tzinfo=HANOI)
    return local.astimezone(dt.UTC)


class Site:
    """The records behind the pages: Viet Nam's delegation, its focal point
    (also a delegate) and a member with data still missing."""

    def __init__(self):
        self.event = EventFactory(
            is_current=True,
            name="Signing Conference for the UN Convention against Cybercrime",
            short_name="Hanoi 2025",
        )
        self.focal_point = VerifiedUserFactory(email="lan@mofa.example")
        self.delegation = DelegationFactory(
            event=self.event,
            organisation=StateFactory(name="Viet Nam", iso2="VN", iso3="VNM"),
            focal_point=self.focal_point,
            status=DelegationStatus.REGISTERING,
        )
        self.own = ParticipantFactory(
            delegation=self.delegation,
            user=self.focal_point,
            email="lan@mofa.example",
            given_names="Lan",
            family_name="Nguyen",
            role=DelegationRole.HEAD,
            status=ParticipantStatus.NOMINATED,
        )
        self.member = delegations.participant_nominate(
            delegation=self.delegation,
            email="minh@mofa.example",
            given_names="Minh",
            family_name="Pham",
            role=DelegationRole.DELEGATE,
        )

    def programme(self) -> None:
        hall = RoomFactory(event=self.event, name="Plenary Hall", capacity=2000)
        room = RoomFactory(event=self.event, name="Room 201", capacity=80)
        for day, start, end, kind, title, where, seats in [
            (
                1,
                "08:30",
                "09:45",
                ProgrammeItemKind.OPENING,
                "Opening ceremony",
                hall,
                None,
            ),
            (
                1,
                "10:00",
                "12:00",
                ProgrammeItemKind.PLENARY,
                "Signing ceremony",
                hall,
                None,
            ),
            (
                2,
                "09:00",
                "10:15",
                ProgrammeItemKind.SIDE_EVENT,
                "Ransomware: prevention",
                room,
                40,
            ),
        ]:
            ProgrammeItem.objects.create(
                event=self.event,
                room=where,
                kind=kind,
                title=title,
                starts_at=utc(day, start),
                ends_at=utc(day, end),
                is_published=True,
                registration_required=seats is not None,
                capacity=seats,
                languages=["en", "fr", "ar"],
            )
        release_publish(event=self.event)

    def signatories(self) -> None:
        for name, iso, when in [
            ("Viet Nam", None, utc(1, "10:05")),
            ("Kingdom of Test", "XK", utc(1, "10:10")),
        ]:
            delegation = (
                self.delegation
                if iso is None
                else DelegationFactory(
                    event=self.event, organisation=StateFactory(name=name)
                )
            )
            request = protocol.signing_request_create(
                delegation=delegation,
                signatory_name=f"Signatory of {name}",
                signatory_title="Minister for Foreign Affairs",
                signatory_rank=ProtocolRank.MINISTER_FOR_FOREIGN_AFFAIRS,
            )
            protocol.signature_record(request=request, recorded_by=None, signed_at=when)

    def gate_device(self) -> str:
        """A gate, an approved participant with a badge, and a device's
        setup code."""
        accreditation.badge_categories_ensure(event=self.event)
        Gate.objects.create(
            event=self.event,
            name="North entry",
            zone=self.event.zones.get(code="venue"),
        )
        self.guest = ParticipantFactory(
            delegation=self.delegation, given_names="Hoa", family_name="Le"
        )
        accreditation.accreditation_approve(participant=self.guest, decided_by=None)
        _device, code = checkin.device_create(
            event=self.event, name="Gate phone", by=None
        )
        return code


def open_as(browser, live_server, language: str, width: int, user=None):
    """A fresh context in ``language`` (the language cookie, as the switcher
    sets it) at ``width`` px, signed in as ``user`` if given."""
    context = browser.new_context(
        locale="ar-EG" if language == "ar" else "en-GB",
        viewport={"width": width, "height": 900},
    )
    context.set_default_timeout(15_000)
    cookies = [
        {
            "name": settings.LANGUAGE_COOKIE_NAME,
            "value": language,
            "url": live_server.url,
        }
    ]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookies.append(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        )
    context.add_cookies(cookies)
    return context


def _sign_in(page, url, site):
    page.goto(f"{url}/accounts/login/")


def _sign_up(page, url, site):
    page.goto(f"{url}/accounts/signup/")


def _portal_home(page, url, site):
    page.goto(f"{url}/portal/")


def _delegation(page, url, site):
    page.goto(f"{url}/portal/delegation/{site.delegation.pk}/")


def _registration_form(page, url, site):
    page.goto(f"{url}/portal/participant/{site.member.pk}/edit/")


def _registration_form_errors(page, url, site):
    page.goto(f"{url}/portal/participant/{site.member.pk}/edit/")
    page.locator("#id_given_names").fill("")
    page.locator("#id_family_name").fill("")
    page.locator("main form [type=submit]").last.click()
    expect(page.locator("#form-errors")).to_be_focused()


def _participant(page, url, site):
    page.goto(f"{url}/portal/participant/{site.member.pk}/")


def _programme(page, url, site):
    site.programme()
    page.goto(f"{url}/programme/")


def _now_and_next(page, url, site):
    site.programme()
    page.goto(f"{url}/programme/now/")
    page.locator("#now-pause").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#now-pause")).to_have_attribute("aria-pressed", "true")


def _signatories(page, url, site):
    site.signatories()
    page.goto(f"{url}/signatories/")


def _scanner_setup(page, url, site):
    page.goto(f"{url}/checkin/")
    expect(page.locator("#enrol")).to_be_visible()


def _scanner(page, url, site):
    code = site.gate_device()
    page.goto(f"{url}/checkin/?setup={code}")
    expect(page.locator("#gate")).to_contain_text("North entry")
    badge = accreditation.valid_badge(site.guest)
    page.locator("#code").fill(str(badge.number))
    page.locator("#manual button").click()
    expect(page.locator("#person-name")).to_have_text(site.guest.full_name)


# name: (how to get there, signed in as the focal point)
PAGES = {
    "sign-in": (_sign_in, False),
    "sign-up": (_sign_up, False),
    "portal-home": (_portal_home, True),
    "delegation": (_delegation, True),
    "registration-form": (_registration_form, True),
    "registration-form-errors": (_registration_form_errors, True),
    "participant": (_participant, True),
    "programme": (_programme, False),
    "now-and-next": (_now_and_next, False),
    "signatories": (_signatories, False),
    "scanner-setup": (_scanner_setup, False),
    "scanner": (_scanner, False),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_wcag_violations(live_server, browser, name, language):
    """The page at each width in turn (the viewport resized, as a phone
    turned or a window narrowed: media queries apply at once and the page's
    state, such as a form's errors, is kept)."""
    site = Site()
    visit, signed_in = PAGES[name]
    user = site.focal_point if signed_in else None
    context = open_as(browser, live_server, language, WIDTHS[0], user)
    try:
        page = context.new_page()
        visit(page, live_server.url, site)
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("html").get_attribute("dir") == (
            "rtl" if language == "ar" else "ltr"
        )
        found = {}
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            problems = describe(axe_violations(page))
            # WCAG 1.4.10 (reflow): nothing scrolls sideways on a phone.
            if page.evaluate(SIDEWAYS):
                problems += f"\n- the page scrolls sideways at {width} px"
            if problems:
                found[width] = problems.strip()
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                shot = Path(SHOTS) / f"{name}-{language}-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
        assert found == {}, f"{name} in {language} ({page.url}):\n" + "\n".join(
            f"at {width} px:\n{text}" for width, text in found.items()
        )
    finally:
        context.close()


def test_axe_reports_violations(page):
    """The check itself works: a page with an image without text and grey
    text on white fails."""
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title></head><body>'
        '<main><h1>Title</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#aaa;background:#fff">Faint text</p></main></body></html>'
    )
    ids = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "color-contrast"} <= ids
