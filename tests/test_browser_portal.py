"""Registration portal in Chromium: a focal point accepts an invitation,
signs up, confirms the email from the message actually sent, nominates two
members and uploads the note verbale; a member opens their link, completes
the profile with a photo and sees the status. Pages are also captured at
360 px wide (phone) and checked for horizontal overflow."""

import io
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from delegations import services
from delegations.enums import DelegationStatus, ParticipantStatus
from delegations.models import Delegation, Participant
from tests.factories import DelegationFactory, EventFactory, StateFactory
from tests.pdf_files import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase 42"
# Screenshots go here when PORTAL_SCREENSHOTS is set (for a human to look at).
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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


def link_in_last_mail(to: str, pattern: str) -> str:
    messages = [m for m in mail.outbox if to in m.to]
    assert messages, f"no mail to {to}"
    match = re.search(pattern, messages[-1].body)
    assert match, messages[-1].body
    return match.group(0)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


def unlabelled_fields(page) -> list[str]:
    """Form fields a screen reader would announce without a name."""
    return page.evaluate(
        """() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => !['hidden', 'submit', 'button'].includes(e.type))
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
        .map(e => e.name || e.id)"""
    )


def shoot(page, name: str) -> None:
    assert no_horizontal_scroll(page), f"{name} scrolls sideways at 360 px"
    assert unlabelled_fields(page) == [], name
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def sign_up_and_confirm(page, live_server, email: str) -> None:
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(
        page.get_by_role("heading", name="Verify Your Email Address")
    ).to_be_visible()
    confirm = link_in_last_mail(email, r"https?://\S+/accounts/confirm-email/\S+/")
    page.goto(confirm)
    page.get_by_role("button", name="Confirm").click()


def test_focal_point_accepts_invitation_nominates_and_uploads(
    live_server, page, phone, settings
):
    settings.SITE_URL = live_server.url
    event = EventFactory(is_current=True, contact_email="secretariat@example.org")
    delegation = DelegationFactory(
        event=event, organisation=StateFactory(name="Republic of Testland")
    )
    services.invitation_send(
        delegation=delegation,
        email="dao@testland.example",
        invited_by=None,
    )
    invitation_url = link_in_last_mail(
        "dao@testland.example", r"https?://\S+/portal/invitation/\S+/"
    )

    page.goto(invitation_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Invitation to be a delegation's focal point"
    )
    page.get_by_role("button", name="Accept: sign up or sign in").click()
    email_field = page.get_by_label("Email")
    expect(email_field).to_have_value("dao@testland.example")
    expect(email_field).to_have_attribute("readonly", "readonly")
    sign_up_and_confirm(page, live_server, "dao@testland.example")

    page.get_by_role("button", name="Accept and become the focal point").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Republic of Testland")
    expect(page.locator("#delegation-status")).to_have_text("Registering")

    # First member: a link to complete the profile themselves.
    page.get_by_label("Given names (as in passport)").fill("Mai")
    page.get_by_label("Family name (as in passport)").fill("Tran")
    page.get_by_label("Email").fill("mai@testland.example")
    page.get_by_label("Role in the delegation").select_option(
        label="Head of Delegation"
    )
    page.get_by_role("button", name="Nominate and send them a link").click()
    expect(page.get_by_role("status")).to_contain_text("sent a link")
    # Second member: the focal point fills in the data.
    page.get_by_label("Given names (as in passport)").fill("An")
    page.get_by_label("Family name (as in passport)").fill("Nguyen")
    page.get_by_label("Email").fill("an@testland.example")
    page.get_by_label("Role in the delegation").select_option(label="Adviser")
    page.get_by_role("button", name="Nominate and fill in their data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registration data")
    page.get_by_label("Function / title").fill("Legal adviser")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Republic of Testland", exact=True).click()

    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("table")).to_contain_text("Mai TRAN")
    expect(page.locator("table")).to_contain_text("An NGUYEN")

    page.get_by_label("Note verbale or letter of credentials (PDF)").set_input_files(
        files=[
            {
                "name": "note-verbale.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf_bytes(),
            }
        ]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#note-verbale-status")).to_contain_text("Uploaded")

    delegation = Delegation.objects.get(pk=delegation.pk)
    assert delegation.focal_point.email == "dao@testland.example"
    assert delegation.status == DelegationStatus.REGISTERING
    assert delegation.note_verbale.name.startswith("credentials/")
    assert sorted(delegation.members.values_list("email", flat=True)) == [
        "an@testland.example",
        "mai@testland.example",
    ]
    assert any("mai@testland.example" in m.to for m in mail.outbox)

    # The same pages on a 360 px phone (same account: copy the session cookie).
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/portal/delegation/{delegation.pk}/")
    shoot(phone, "delegation")
    member = delegation.members.get(email="an@testland.example")
    phone.goto(f"{live_server.url}/portal/participant/{member.pk}/edit/")
    shoot(phone, "participant-form")
    phone.goto(invitation_url)
    shoot(phone, "invitation-used")


def test_member_opens_link_completes_profile_with_photo_and_sees_status(
    live_server, page, phone, settings
):
    settings.SITE_URL = live_server.url
    event = EventFactory(is_current=True)
    StateFactory(name="Viet Nam", iso2="VN", iso3="VNM")
    delegation = DelegationFactory(event=event, status=DelegationStatus.REGISTERING)
    member = services.participant_nominate(
        delegation=delegation,
        email="mai@member.example",
        given_names="Mai",
        family_name="Tran",
        role="delegate",
    )
    services.participant_send_link(participant=member)
    link = link_in_last_mail("mai@member.example", r"https?://\S+/accounts/signup/\S+")

    phone.goto(link)
    shoot(phone, "signup")
    page.goto(link)
    expect(page.get_by_label("Email")).to_have_value("mai@member.example")
    sign_up_and_confirm(page, live_server, "mai@member.example")
    page.goto(f"{live_server.url}/portal/registration/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mai TRAN")
    expect(page.locator("#missing-list")).to_contain_text("photo")
    page.get_by_role("link", name="Edit the data").click()

    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_label("Function / title").fill("Counsellor")
    page.get_by_label("Nationality").select_option(label="Viet Nam")
    page.get_by_label("Date of birth").fill("1985-03-04")
    page.get_by_label("Passport number").fill("B7654321")
    page.get_by_label("Passport expiry").fill("2031-05-06")
    page.get_by_label("Phone").fill("+84 24 3333 4444")
    photo = io.BytesIO()
    Image.new("RGB", (400, 500), (235, 235, 240)).save(photo, format="JPEG")
    page.get_by_label("Photo").set_input_files(
        files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}]
    )
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#participant-status")).to_have_text("Nominated")
    expect(page.get_by_role("img", name="Photo of Mai TRAN")).to_be_visible()
    page.get_by_role("button", name="Submit for accreditation").click()
    expect(page.locator("#participant-status")).to_have_text("Submitted")

    member = Participant.objects.get(pk=member.pk)
    assert member.status == ParticipantStatus.SUBMITTED
    assert member.user.email == "mai@member.example"
    assert member.photo.name.startswith("photos/")

    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/portal/participant/{member.pk}/")
    shoot(phone, "participant-progress")
    phone.goto(f"{live_server.url}/portal/")
    shoot(phone, "home")


def test_staff_first_admin_visit_sets_up_totp_then_reaches_the_admin(
    live_server, phone
):
    """What the demo organizer sees the first time: login, then set up the
    authenticator app (password again, QR code, code), recovery codes, admin."""
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory
    from tests.totp import current_totp_code

    staff = UserFactory(email="organizer@example.org", is_staff=True, is_superuser=True)
    staff.set_password(PASSWORD)
    staff.save()
    EmailAddress.objects.create(
        user=staff, email=staff.email, verified=True, primary=True
    )

    phone.goto(f"{live_server.url}/admin/")
    phone.get_by_label("Email").fill("organizer@example.org")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.locator("main").get_by_role("button", name="Sign In").click()
    # The gate: set up TOTP first; allauth asks for the password again.
    phone.wait_for_url("**/accounts/reauthenticate/**")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Confirm").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Activate Authenticator App"
    )
    shoot(phone, "totp-activate")
    secret = phone.locator("#authenticator_secret").input_value()
    phone.get_by_label("Authenticator code").fill(current_totp_code(secret))
    phone.get_by_role("button", name="Activate").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Recovery Codes")
    shoot(phone, "recovery-codes")
    phone.get_by_role("link", name="Continue to the administration").click()
    phone.wait_for_url(f"{live_server.url}/admin/")
    expect(phone.locator("body")).to_contain_text("Hanoi Convention")
