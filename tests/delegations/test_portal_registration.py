"""The delegate's own registration: every field, photo rules, progress,
submission, review on change after approval, withdrawal."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from delegations import services
from delegations.enums import DelegationStatus, ParticipantStatus, ProtocolRank
from delegations.mail import REGISTRATION_RECEIVED
from delegations.models import Participant
from hanoi_event.models import OutboundEmail
from tests.factories import (
    DelegationFactory,
    EventFactory,
    ParticipantFactory,
    StateFactory,
    VerifiedUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg(size=(400, 500)):
    out = io.BytesIO()
    Image.new("RGB", size, (235, 235, 235)).save(out, format="JPEG")
    return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def delegate():
    return VerifiedUserFactory(email="mai@example.org")


@pytest.fixture
def member(delegate):
    """Nominated by the focal point (the service links the record to the
    account that owns the verified address)."""
    event = EventFactory(is_current=True)
    delegation = DelegationFactory(
        event=event,
        focal_point=VerifiedUserFactory(),
        status=DelegationStatus.REGISTERING,
    )
    return services.participant_nominate(
        delegation=delegation,
        email="mai@example.org",
        given_names="Mai",
        family_name="Tran",
        role="delegate",
    )


@pytest.fixture
def d_client(client, delegate):
    client.force_login(delegate)
    return client


def full_data(nationality, **overrides):
    data = {
        "honorific": "ms",
        "given_names": "Thi Mai",
        "family_name": "Tran",
        "gender": "female",
        "function_title": "Counsellor",
        "nationality": nationality.pk,
        "date_of_birth": "1985-03-04",
        "passport_number": "B7654321",
        "passport_expiry": "2031-05-06",
        "phone": "+84 24 3333 4444",
        "arrival_at": "2025-10-24T10:30",
        "departure_at": "2025-10-27T18:00",
        "hotel": "Hanoi Hotel",
        "needs_visa_letter": "on",
        "dietary_needs": "Vegetarian",
        "accessibility_needs": "",
        "preferred_language": "vi",
        "consent_list_of_participants": "on",
    }
    data.update(overrides)
    return data


def edit(client, member, data, photo=None):
    if photo is not None:
        data = {**data, "photo": photo}
    return client.post(reverse("portal:participant_edit", args=[member.pk]), data)


def test_first_visit_shows_the_nominated_record_of_the_account(d_client, member):
    response = d_client.get(reverse("portal:registration"))
    assert response["Location"] == reverse("portal:participant", args=[member.pk])
    member.refresh_from_db()
    assert member.user.email == "mai@example.org"


def test_signing_in_links_a_record_nominated_before_the_account_existed(client):
    late = ParticipantFactory(email="late@example.org", user=None)
    user = VerifiedUserFactory(email="late@example.org")

    client.force_login(user)

    late.refresh_from_db()
    assert late.user == user
    response = client.get(reverse("portal:registration"))
    assert response["Location"] == reverse("portal:participant", args=[late.pk])


def test_portal_pages_opened_with_get_write_nothing(d_client, delegate):
    # Nominated (outside the service) after the user signed in: only the
    # next sign-in or address confirmation links it, never a GET.
    unlinked = ParticipantFactory(email="mai@example.org", user=None)
    for name in ("portal:home", "portal:registration"):
        assert d_client.get(reverse(name)).status_code == 200
    unlinked.refresh_from_db()
    assert unlinked.user is None


def test_progress_lists_what_is_missing(d_client, member):
    d_client.get(reverse("portal:registration"))
    response = d_client.get(reverse("portal:participant", args=[member.pk]))
    body = response.content.decode()
    edit = reverse("portal:participant_edit", args=[member.pk])
    for name, label in [
        ("gender", "gender"),
        ("nationality", "nationality"),
        ("passport_number", "passport number"),
        ("passport_expiry", "passport expiry"),
        ("photo", "photo"),
    ]:
        assert f'<li><a href="{edit}#id_{name}">{label}</a></li>' in body


def test_every_field_is_saved(d_client, member):
    d_client.get(reverse("portal:registration"))
    nationality = StateFactory(name="Viet Nam", iso2="VN", iso3="VNM")
    response = edit(d_client, member, full_data(nationality), photo=jpeg())
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.given_names == "Thi Mai"
    assert member.honorific == "ms"
    assert member.nationality == nationality
    assert member.date_of_birth == dt.date(1985, 3, 4)
    assert member.passport_number == "B7654321"
    assert member.passport_expiry == dt.date(2031, 5, 6)
    assert member.arrival_at == dt.datetime(2025, 10, 24, 3, 30, tzinfo=dt.UTC)
    assert member.needs_visa_letter is True
    assert member.preferred_language == "vi"
    assert member.consent_list_of_participants is True
    assert member.photo.name.startswith("photos/")
    assert member.status == ParticipantStatus.NOMINATED


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"given_names": ""}, "This field is required."),
        ({"date_of_birth": "yesterday"}, "Enter a valid date."),
        (
            {"passport_expiry": "2025-10-01"},
            "The passport expires before the event ends.",
        ),
        (
            {"arrival_at": "2025-10-28T10:00", "departure_at": "2025-10-27T10:00"},
            "Departure cannot be before arrival.",
        ),
        ({"gender": "robot"}, "Select a valid choice."),
        ({"preferred_language": "xx"}, "Select a valid choice."),
        # Year 1 local time is before year 1 in UTC: the database refused it (500).
        ({"arrival_at": "0001-01-01T00:00"}, "Enter a date between 1900 and 2100."),
        ({"departure_at": "9999-12-31T23:59"}, "Enter a date between 1900 and 2100."),
    ],
)
def test_bad_input_shows_a_field_error_and_saves_nothing(
    d_client, member, overrides, error
):
    d_client.get(reverse("portal:registration"))
    before = Participant.objects.values().get(pk=member.pk)
    response = edit(d_client, member, full_data(StateFactory(), **overrides))
    assert response.status_code == 400
    assert error in response.content.decode()
    after = Participant.objects.values().get(pk=member.pk)
    assert after == before


@pytest.mark.parametrize(
    ("photo", "error"),
    [
        (
            SimpleUploadedFile("fake.jpg", b"not an image", "image/jpeg"),
            "This file is not a JPEG or PNG image.",
        ),
        (
            SimpleUploadedFile("doc.jpg", b"%PDF-1.4\n", "image/jpeg"),
            "This file is not a JPEG or PNG image.",
        ),
    ],
)
def test_bad_photo_is_refused_and_nothing_saved(d_client, member, photo, error):
    d_client.get(reverse("portal:registration"))
    response = edit(d_client, member, full_data(StateFactory()), photo=photo)
    assert response.status_code == 400
    assert error in response.content.decode()
    member.refresh_from_db()
    assert member.given_names == "Mai"
    assert not member.photo


def test_oversized_photo_is_refused(d_client, member, settings):
    import delegations.uploads as uploads

    d_client.get(reverse("portal:registration"))
    big = jpeg()
    big = SimpleUploadedFile(
        "big.jpg", big.read() + b"\0" * uploads.PHOTO_MAX_BYTES, "image/jpeg"
    )
    response = edit(d_client, member, full_data(StateFactory()), photo=big)
    assert response.status_code == 400
    assert "the limit is 5.0\xa0MB" in response.content.decode()


def test_submit_complete_record_sends_registration_received(
    d_client, member, django_capture_on_commit_callbacks
):
    d_client.get(reverse("portal:registration"))
    edit(d_client, member, full_data(StateFactory()), photo=jpeg())
    with django_capture_on_commit_callbacks(execute=True):
        d_client.post(reverse("portal:participant_submit", args=[member.pk]))
        d_client.post(reverse("portal:participant_submit", args=[member.pk]))
    member.refresh_from_db()
    assert member.status == ParticipantStatus.SUBMITTED
    assert (
        OutboundEmail.objects.filter(
            kind=REGISTRATION_RECEIVED, to_email="mai@example.org"
        ).count()
        == 1
    )


def test_submit_without_photo_is_refused(d_client, member):
    d_client.get(reverse("portal:registration"))
    edit(d_client, member, full_data(StateFactory()))
    response = d_client.post(
        reverse("portal:participant_submit", args=[member.pk]), follow=True
    )
    assert "Still missing: photo." in response.content.decode()
    member.refresh_from_db()
    assert member.status == ParticipantStatus.NOMINATED


def test_photo_exempt_rank_can_submit_without_photo(d_client, member):
    Participant.objects.filter(pk=member.pk).update(
        protocol_rank=ProtocolRank.HEAD_OF_STATE
    )
    d_client.get(reverse("portal:registration"))
    edit(d_client, member, full_data(StateFactory()))
    d_client.post(reverse("portal:participant_submit", args=[member.pk]))
    member.refresh_from_db()
    assert member.status == ParticipantStatus.SUBMITTED


def test_change_of_passport_after_approval_sends_back_for_review(d_client, member):
    d_client.get(reverse("portal:registration"))
    nationality = StateFactory()
    edit(d_client, member, full_data(nationality), photo=jpeg())
    Participant.objects.filter(pk=member.pk).update(status=ParticipantStatus.APPROVED)
    edit(d_client, member, full_data(nationality, hotel="Another Hotel"))
    member.refresh_from_db()
    assert member.status == ParticipantStatus.APPROVED
    edit(d_client, member, full_data(nationality, passport_number="N0000001"))
    member.refresh_from_db()
    assert member.status == ParticipantStatus.SUBMITTED


def test_new_photo_after_approval_sends_back_for_review(d_client, member):
    d_client.get(reverse("portal:registration"))
    nationality = StateFactory()
    edit(d_client, member, full_data(nationality), photo=jpeg())
    Participant.objects.filter(pk=member.pk).update(status=ParticipantStatus.APPROVED)
    edit(d_client, member, full_data(nationality), photo=jpeg((500, 600)))
    member.refresh_from_db()
    assert member.status == ParticipantStatus.SUBMITTED


def test_withdraw_after_confirmation(d_client, member):
    d_client.get(reverse("portal:registration"))
    url = reverse("portal:participant_withdraw", args=[member.pk])
    assert d_client.get(url).status_code == 200
    member.refresh_from_db()
    assert member.status == ParticipantStatus.NOMINATED
    d_client.post(url)
    member.refresh_from_db()
    assert member.status == ParticipantStatus.WITHDRAWN
    response = d_client.get(reverse("portal:participant_edit", args=[member.pk]))
    assert response.status_code == 302


def test_delegate_does_not_get_rank_fields_but_focal_point_does(
    client, d_client, member
):
    d_client.get(reverse("portal:registration"))
    own = d_client.get(reverse("portal:participant_edit", args=[member.pk]))
    assert 'name="protocol_rank"' not in own.content.decode()
    client.force_login(member.delegation.focal_point)
    fp = client.get(reverse("portal:participant_edit", args=[member.pk]))
    assert 'name="protocol_rank"' in fp.content.decode()


def test_pages_with_passport_data_are_not_kept_in_caches(d_client, member):
    """The record and its form show the passport: no browser or proxy may
    keep them (a shared computer's back button after signing out)."""
    d_client.get(reverse("portal:registration"))
    for name in ("portal:participant", "portal:participant_edit"):
        response = d_client.get(reverse(name, args=[member.pk]))
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store", "no-cache"} <= directives


@pytest.mark.parametrize(
    "change",
    [
        {"role": "adviser"},
        {"protocol_rank": ProtocolRank.HEAD_OF_STATE},
        {"is_spouse_of_dignitary": True},
    ],
)
def test_change_of_role_or_rank_after_approval_sends_back_for_review(member, change):
    Participant.objects.filter(pk=member.pk).update(status=ParticipantStatus.APPROVED)

    services.participant_update(participant=member, data=dict(change))

    member.refresh_from_db()
    assert member.status == ParticipantStatus.SUBMITTED
    assert member.decided_at is None


def test_participant_update_writes_only_the_fields_it_names(member):
    services.participant_update(
        participant=member,
        data={
            "given_names": "Thi Mai",
            "status": ParticipantStatus.APPROVED,
            "decided_at": "2025-10-01T00:00:00Z",
            "email": "other@example.org",
            "user": None,
            "delegation": None,
        },
    )
    member.refresh_from_db()
    assert member.given_names == "Thi Mai"
    assert member.status == ParticipantStatus.NOMINATED
    assert member.decided_at is None
    assert member.email == "mai@example.org"
    assert member.user.email == "mai@example.org"


def test_form_marks_every_field_needed_to_submit_and_groups_them(d_client, member):
    response = d_client.get(reverse("portal:participant_edit", args=[member.pk]))
    form = response.context["form"]
    marked = sorted(
        name
        for name, field in form.fields.items()
        if field.required or getattr(field, "needed_to_submit", False)
    )
    assert marked == sorted(
        [
            "given_names",
            "family_name",
            "gender",
            "function_title",
            "nationality",
            "date_of_birth",
            "passport_number",
            "passport_expiry",
            "phone",
            "photo",
            "preferred_language",
        ]
    )
    html = response.content.decode()
    legends = [part.split("</legend>")[0] for part in html.split('class="h5">')[1:]]
    assert legends == [
        "Identity",
        "Photo",
        "Passport",
        "Travel and stay",
        "Needs and preferences",
        "Consent",
    ]
    assert html.count('<span aria-hidden="true" class="text-danger">*</span>') == 11


def test_missing_items_link_to_their_fields(d_client, member):
    response = d_client.get(reverse("portal:participant", args=[member.pk]))
    edit = reverse("portal:participant_edit", args=[member.pk])
    html = response.content.decode()
    assert f'<a href="{edit}#id_gender">gender</a>' in html
    assert f'<a href="{edit}#id_photo">photo</a>' in html


def test_nationality_is_preset_from_the_delegations_state(d_client, member):
    state = StateFactory(name="Viet Nam", iso2="VN", iso3="VNM")
    member.delegation.organisation = state
    member.delegation.save()

    response = d_client.get(reverse("portal:participant_edit", args=[member.pk]))
    assert response.context["form"]["nationality"].value() == state.pk
    member.refresh_from_db()
    assert member.nationality is None  # a first guess, saved only with the form
