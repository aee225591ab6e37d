"""The delegate's journey in Chromium: complete the registration form with a
photo cropped to the passport ratio in the browser, then submit, at 1,280 px
and on a phone."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from delegations import services
from delegations.enums import DelegationStatus, ParticipantStatus
from delegations.models import Participant
from tests.factories import (
    DelegationFactory,
    EventFactory,
    StateFactory,
    VerifiedUserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("width", [1280, 360])
def test_delegate_registers_with_a_photo_cropped_to_the_passport_ratio(
    live_server, browser, width
):
    event = EventFactory(is_current=True)
    viet_nam = StateFactory(name="Viet Nam", iso2="VN", iso3="VNM")
    delegation = DelegationFactory(
        event=event, organisation=viet_nam, status=DelegationStatus.REGISTERING
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
    context = browser.new_context(
        locale="en-GB", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("mai@member.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/portal/registration/")
    page.get_by_role("link", name="photo").click()
    # The "still missing" link lands on the photo field of the form.
    page.wait_for_url(f"**/portal/participant/{member.pk}/edit/#id_photo")

    # Nationality comes preset from the delegation's State.
    expect(page.get_by_label("Nationality")).to_have_value(str(viet_nam.pk))
    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_label("Function / title").fill("Counsellor")
    page.get_by_label("Date of birth").fill("1985-03-04")
    page.get_by_label("Passport number").fill("B7654321")
    page.get_by_label("Passport expiry").fill("2031-05-06")
    page.get_by_label("Phone").fill("+84 24 3333 4444")
    tall = io.BytesIO()
    Image.new("RGB", (600, 1500), (235, 235, 240)).save(tall, format="JPEG")
    page.locator("#id_photo").set_input_files(
        files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": tall.getvalue()}]
    )
    expect(page.locator("#photo-crop")).to_be_visible()
    expect(page.locator(".cropper-crop-box")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#participant-status")).to_have_text("Nominated")
    expect(page.get_by_role("img", name="Photo of Mai TRAN")).to_be_visible()
    member = Participant.objects.get(pk=member.pk)
    with member.photo.open("rb") as stored:
        photo_width, photo_height = Image.open(stored).size
    # Cropped in the browser to 35:45 (the original was 2:5).
    assert abs(photo_width * 45 - photo_height * 35) <= 45
    assert photo_height < 1500

    page.get_by_role("button", name="Submit for accreditation").click()
    expect(page.locator("#participant-status")).to_have_text("Submitted")
    member.refresh_from_db()
    assert member.status == ParticipantStatus.SUBMITTED
    assert member.nationality == viet_nam
    context.close()


def test_failed_submit_takes_focus_to_the_error_summary_and_header_links_are_readable(
    live_server, page
):
    user = VerifiedUserFactory(email="fp@example.org")
    user.set_password(PASSWORD)
    user.save()
    delegation = DelegationFactory(
        event=EventFactory(is_current=True),
        focal_point=user,
        status=DelegationStatus.REGISTERING,
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("fp@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/portal/delegation/{delegation.pk}/")

    # Nominate with an invalid address.
    page.get_by_label("Given names (as in passport)").fill("Mai")
    page.get_by_label("Family name (as in passport)").fill("Tran")
    page.get_by_label("Email", exact=False).last.fill("not-an-address")
    page.get_by_role("button", name="Nominate and fill in their data").click()

    expect(page.locator("#form-errors")).to_be_focused()
    # Header links: white on UN blue, not 55 % white (3.7:1).
    colour = page.locator(".bg-portal .nav-link").first.evaluate(
        "el => getComputedStyle(el).color"
    )
    assert colour == "rgb(255, 255, 255)"
