"""Side-event speakers' passport copies: the focal point uploads them with
the application; they are passport data, so only the applicant's focal point
and accreditation officers (delegations.view_passport, after two-factor)
open them, in the portal and in the admin."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hanoi_event.roles import roles_sync
from sessions.models import SideEventApplication, SideEventSpeaker
from tests.conftest import staff_two_factor_pass
from tests.factories import DelegationFactory, UserFactory
from tests.pdf_files import pdf_bytes

from .test_side_events import _post_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def focal_point(future_event):
    user = UserFactory(email="dao@example.org")
    delegation = DelegationFactory(event=future_event, focal_point=user)
    return user, delegation


PDF = pdf_bytes()


def _upload(name="passport.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


def _apply(client, delegation, **overrides):
    return client.post(
        reverse("agenda:application_new", args=[delegation.pk]),
        _post_data(**overrides),
    )


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 400), "white").save(out, format="PNG")
    return out.getvalue()


def test_the_focal_point_uploads_a_passport_copy_with_the_application(
    client, focal_point
):
    user, delegation = focal_point
    client.force_login(user)

    response = _apply(client, delegation, **{"speakers-0-passport_copy": _upload()})

    assert response.status_code == 302
    speaker = SideEventSpeaker.objects.get()
    assert speaker.passport_copy.name.startswith("speaker_passports/")
    assert speaker.passport_copy.name.endswith(".pdf")
    assert "passport" not in speaker.passport_copy.name.split("/")[-1]
    with speaker.passport_copy.open("rb") as stored:
        assert stored.read() == PDF


def test_an_image_is_re_encoded_and_anything_else_refused(client, focal_point):
    user, delegation = focal_point
    client.force_login(user)

    refused = _apply(
        client,
        delegation,
        **{"speakers-0-passport_copy": _upload("p.pdf", b"<html>not a pdf</html>")},
    )
    assert refused.status_code == 400
    assert "This file is not a JPEG or PNG image." in refused.text
    assert not SideEventApplication.objects.exists()

    accepted = _apply(
        client, delegation, **{"speakers-0-passport_copy": _upload("p.png", _png())}
    )
    assert accepted.status_code == 302
    assert SideEventSpeaker.objects.get().passport_copy.name.endswith(".jpg")


def test_editing_keeps_the_copy_and_a_removed_speakers_copy_is_deleted(
    client, focal_point, django_capture_on_commit_callbacks
):
    user, delegation = focal_point
    client.force_login(user)
    _apply(
        client,
        delegation,
        **{
            "speakers-0-passport_copy": _upload(),
            "speakers-1-name": "Li Wei",
            "speakers-1-email": "li@example.org",
            "speakers-1-passport_copy": _upload(),
        },
    )
    application = SideEventApplication.objects.get()
    amina, li = application.speakers.order_by("order")
    edit = reverse("agenda:application_edit", args=[application.pk])
    assert reverse("agenda:speaker_passport", args=[amina.pk]) in client.get(edit).text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, _post_data(title="Electronic evidence"))

    assert response.status_code == 302
    kept = SideEventSpeaker.objects.get()
    assert (kept.name, kept.passport_copy.name) == (
        "Amina Diallo",
        amina.passport_copy.name,
    )
    storage = kept.passport_copy.storage
    assert storage.exists(amina.passport_copy.name)
    assert not storage.exists(li.passport_copy.name)


@pytest.fixture
def speaker(client, focal_point):
    user, delegation = focal_point
    client.force_login(user)
    _apply(client, delegation, **{"speakers-0-passport_copy": _upload()})
    client.logout()
    return SideEventSpeaker.objects.get()


def _staff(role: str):
    """A staff member in ``role``'s group, with exactly its permissions."""
    roles_sync()
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_who_may_open_a_speakers_passport_copy(client, focal_point, speaker):
    url = reverse("agenda:speaker_passport", args=[speaker.pk])
    dao, _delegation = focal_point
    other_dao = UserFactory()
    DelegationFactory(event=speaker.application.event, focal_point=other_dao)
    reviewer = _staff("Side-event reviewer")
    officer = _staff("Accreditation officer")

    def status(user, *, two_factor=True):
        client.logout()
        if user is not None:
            if two_factor and user.is_staff:
                staff_two_factor_pass(client, user)
            else:
                client.force_login(user)
        return client.get(url).status_code

    assert status(None) == 302  # to the sign-in page
    assert status(dao) == 200
    assert status(other_dao) == 404
    assert status(reviewer) == 404
    assert status(officer, two_factor=False) in (302, 404)
    assert status(officer) == 200
    staff_two_factor_pass(client, officer)
    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


def test_the_admin_links_the_copy_for_officers_only(client, speaker):
    page = reverse(
        "admin:event_sessions_sideeventapplication_change",
        args=[speaker.application.pk],
    )
    link = reverse("agenda:speaker_passport", args=[speaker.pk])
    reviewer = _staff("Side-event reviewer")
    officer = _staff("Accreditation officer")

    staff_two_factor_pass(client, reviewer)
    as_reviewer = client.get(page)
    listed = client.get(reverse("admin:event_sessions_sideeventapplication_changelist"))
    probe = client.get(
        reverse("admin:event_sessions_sideeventapplication_changelist"),
        {"speakers__passport_copy__startswith": "speaker_passports/"},
    )
    staff_two_factor_pass(client, officer)
    as_officer = client.get(page)

    assert as_reviewer.status_code == 200
    assert link not in as_reviewer.text
    assert "on file" in as_reviewer.text
    assert "1 of 1" in listed.text
    assert probe.status_code != 200 or "1 of 1" not in probe.text
    assert link in as_officer.text
