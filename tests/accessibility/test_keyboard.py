"""Registration with the keyboard alone (WCAG 2.1.1, 2.4.3, 2.4.7): no
mouse click anywhere, only Tab, Shift+Tab, Enter, Space, arrow keys and
typing. Every control on the way is reached by Tab, in the page's order,
with a visible focus ring; a failed submit puts the focus on the error
summary, whose links put it in the field to correct."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from delegations import services
from delegations.enums import DelegationRole, DelegationStatus, ParticipantStatus
from delegations.models import Participant
from tests.factories import (
    DelegationFactory,
    EventFactory,
    StateFactory,
    VerifiedUserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase 42"

# What the focused element looks like: a name to report, whether it is the
# one looked for, and whether a focus ring shows (an outline of 2 px or more).
_FOCUSED = """(selector) => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const text = (el.getAttribute("aria-label") || el.textContent || "").trim();
  return {
    name: el.id ? "#" + el.id : el.tagName.toLowerCase() + " " + text.slice(0, 40),
    hit: el.matches(selector),
    body: el === document.body,
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 60) -> list:
    """Press Tab (Shift+Tab) until the element matching ``selector`` has the
    focus; each element passed on the way must show a focus ring. Returns
    the names of the elements passed."""
    key = "Shift+Tab" if backwards else "Tab"
    passed = []
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(_FOCUSED, selector)
        if not focused["body"]:
            assert focused["ring"], f"no visible focus on {focused['name']}"
        passed.append(focused["name"])
        if focused["hit"]:
            return passed
    pytest.fail(f"{selector} not reached with {key}; passed: {passed}")


def focus_summary_link_to(page, field_id: str) -> None:
    """From the focused error summary, Tab to its link to ``field_id`` and
    follow it with Enter: the field has the focus."""
    expect(page.locator("#form-errors")).to_be_focused()
    tab_to(page, f"#form-errors a[href='#{field_id}']", limit=10)
    page.keyboard.press("Enter")
    expect(page.locator(f"#{field_id}")).to_be_focused()


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def press_to(page, key: str, url: str) -> None:
    """Press ``key`` (Enter on a link or button, Space on a button) and wait
    for the page at ``url`` (a glob) to load."""
    with page.expect_navigation(url=url):
        page.keyboard.press(key)


def passport_photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (700, 900), (230, 232, 236)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_delegate_signs_up_fills_in_and_submits_with_the_keyboard_only(
    live_server, page, settings
):
    settings.SITE_URL = live_server.url
    event = EventFactory(is_current=True)
    viet_nam = StateFactory(name="Viet Nam", iso2="VN", iso3="VNM")
    delegation = DelegationFactory(
        event=event, organisation=viet_nam, status=DelegationStatus.REGISTERING
    )
    member = services.participant_nominate(
        delegation=delegation,
        email="mai@mofa.example",
        given_names="Mai",
        family_name="Tran",
        role=DelegationRole.DELEGATE,
    )

    # Sign up; the passwords differ first.
    page.goto(f"{live_server.url}/accounts/signup/")
    skip = tab_to(page, "a[href='#main']")
    assert len(skip) == 1, "the skip link is the first stop"
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    type_into(page, "#id_email", "mai@mofa.example")
    type_into(page, "#id_password1", PASSWORD)
    type_into(page, "#id_password2", PASSWORD + "!")
    page.keyboard.press("Enter")
    focus_summary_link_to(page, "id_password2")
    expect(page.locator("#id_password2")).to_have_attribute("aria-invalid", "true")
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#id_password1")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Verify Your Email Address")

    # The link in the email, then the confirm button.
    body = [m for m in mail.outbox if "mai@mofa.example" in m.to][-1].body
    page.goto(re.search(r"https?://\S+/accounts/confirm-email/\S+/", body).group(0))
    tab_to(page, "main button[type=submit]")
    press_to(page, "Enter", f"{live_server.url}/portal/")

    # Portal home, the registration, its form.
    tab_to(page, f"main a[href='/portal/participant/{member.pk}/']")
    press_to(page, "Enter", f"**/portal/participant/{member.pk}/")
    # Submitted too early: the refusal takes the focus.
    tab_to(page, "main form[action$='/submit/'] button")
    press_to(page, "Space", f"**/portal/participant/{member.pk}/")
    expect(page.locator("main [role=alert]").first).to_be_focused()
    expect(page.locator("#participant-status")).to_have_text("Nominated")
    tab_to(page, f"main a[href='/portal/participant/{member.pk}/edit/']")
    press_to(page, "Enter", f"**/portal/participant/{member.pk}/edit/")
    expect(page.locator("h1")).to_have_text("Registration data")

    # The form's controls come in the order they are shown.
    controls = page.evaluate(
        """() => [...document.querySelectorAll('main form :is(input, select, textarea)')]
        .filter(el => el.type !== 'hidden' && el.offsetParent !== null).map(el => '#' + el.id)"""
    )
    passed = tab_to(page, "main form button[type=submit]")
    # (A date field is several stops: day, month, year, its calendar button.)
    order = [name for name in passed if name in controls]
    assert [n for i, n in enumerate(order) if i == 0 or order[i - 1] != n] == controls

    # Start again from the top of the form; the given names left empty first.
    tab_to(page, "#id_given_names")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    tab_to(page, "#id_gender")
    page.keyboard.type("Female")
    expect(page.locator("#id_gender")).to_have_value("female")
    type_into(page, "#id_function_title", "Counsellor")
    expect(page.locator("#id_nationality")).to_have_value(str(viet_nam.pk))
    tab_to(page, "#id_date_of_birth")
    # Chromium shows date fields in its own (en-US) order: month, day, year.
    page.keyboard.type("03041985")
    type_into(page, "#id_phone", "+84 24 3333 4444")
    page.keyboard.press("Enter")
    focus_summary_link_to(page, "id_given_names")
    expect(page.locator("#id_given_names")).to_have_attribute("aria-invalid", "true")
    page.keyboard.type("Mai")
    expect(page.locator("#id_date_of_birth")).to_have_value("1985-03-04")
    expect(page.locator("#id_gender")).to_have_value("female")

    # The photo: the file chooser opens with Space; the frame moves with arrows.
    tab_to(page, "#id_photo")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(
        files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": passport_photo()}]
    )
    expect(page.locator(".cropper-crop-box")).to_be_visible()
    tab_to(page, "#photo-crop-area")
    before = page.locator(".cropper-canvas").get_attribute("style")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("+")
    assert page.locator(".cropper-canvas").get_attribute("style") != before

    type_into(page, "#id_passport_number", "B7654321")
    tab_to(page, "#id_passport_expiry")
    page.keyboard.type("05062031")
    tab_to(page, "#id_consent_list_of_participants")
    page.keyboard.press("Space")
    expect(page.locator("#id_consent_list_of_participants")).to_be_checked()
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")

    # Saved: submit for accreditation with Space.
    expect(page.locator("#participant-status")).to_have_text("Nominated")
    tab_to(page, "main form[action$='/submit/'] button")
    page.keyboard.press("Space")
    expect(page.locator("#participant-status")).to_have_text("Submitted")
    member = Participant.objects.get(pk=member.pk)
    assert member.status == ParticipantStatus.SUBMITTED
    assert (member.gender, member.date_of_birth.isoformat()) == ("female", "1985-03-04")
    assert member.consent_list_of_participants is True
    assert member.photo


def test_focal_point_signs_in_nominates_and_changes_language_with_the_keyboard(
    live_server, page
):
    user = VerifiedUserFactory(email="lan@mofa.example")
    user.set_password(PASSWORD)
    user.save()
    delegation = DelegationFactory(
        event=EventFactory(is_current=True),
        organisation=StateFactory(name="Viet Nam", iso2="VN", iso3="VNM"),
        focal_point=user,
        status=DelegationStatus.REGISTERING,
    )

    # Sign in: a wrong password first.
    page.goto(f"{live_server.url}/accounts/login/")
    type_into(page, "#id_login", "lan@mofa.example")
    type_into(page, "#id_password", "not the password")
    press_to(page, "Enter", "**/accounts/login/")
    expect(page.locator("#form-errors")).to_be_focused()
    type_into(page, "#id_password", PASSWORD)
    press_to(page, "Enter", f"{live_server.url}/portal/")

    # Portal home, then the delegation; nominate with a wrong address first.
    tab_to(page, f"main a[href='/portal/delegation/{delegation.pk}/']")
    press_to(page, "Enter", f"**/portal/delegation/{delegation.pk}/")
    type_into(page, "#id_given_names", "Minh")
    type_into(page, "#id_family_name", "Pham")
    type_into(page, "#id_email", "minh at mofa")
    press_to(page, "Enter", "**/nominate/")
    focus_summary_link_to(page, "id_email")
    expect(page.locator("#id_email")).to_have_attribute(
        "aria-describedby", "id_email_errors"
    )
    page.keyboard.press("Control+A")
    page.keyboard.type("minh@mofa.example")
    press_to(page, "Enter", "**/edit/")
    expect(page.locator("h1")).to_have_text("Registration data")
    minh = Participant.objects.get(email="minh@mofa.example")
    assert (minh.delegation, minh.status) == (delegation, ParticipantStatus.NOMINATED)

    # The language switcher: the select by arrow keys, then its button.
    tab_to(page, "#language-select", backwards=True)
    for _ in range(5):  # en, fr, es, ru, zh-hans, ar
        page.keyboard.press("ArrowDown")
    expect(page.locator("#language-select")).to_have_value("ar")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
