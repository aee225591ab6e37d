"""Passport data in the admin is for accreditation officers only; photos are
shown through the permission-checking view, never uploaded in the admin."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from delegations import services
from tests.conftest import staff_two_factor_pass
from tests.delegations.test_uploads import image_bytes
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSPORT = "N1234567"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def staff_with(*codenames: str):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def participant():
    return ParticipantFactory(
        passport_number=PASSPORT, passport_expiry=dt.date(2030, 1, 31)
    )


def change_url(participant) -> str:
    return reverse("admin:delegations_participant_change", args=[participant.pk])


def test_staff_without_passport_permission_does_not_see_the_passport(
    client, participant
):
    staff_two_factor_pass(client, staff_with("view_participant", "change_participant"))
    response = client.get(change_url(participant))
    assert response.status_code == 200
    content = response.content.decode()
    assert participant.email in content
    assert PASSPORT not in content
    assert 'name="passport_number"' not in content


def test_accreditation_officer_sees_the_passport(client, participant):
    staff_two_factor_pass(
        client, staff_with("view_participant", "change_participant", "view_passport")
    )
    content = client.get(change_url(participant)).content.decode()
    assert f'value="{PASSPORT}"' in content


def test_saving_without_passport_permission_keeps_the_passport(client, participant):
    staff_two_factor_pass(client, staff_with("view_participant", "change_participant"))
    response = client.get(change_url(participant))
    form = response.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }
    data.update(
        {
            "delegation": participant.delegation_id,
            "event": participant.event_id,
            "hotel": "Melia Hanoi",
        }
    )
    response = client.post(change_url(participant), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    participant.refresh_from_db()
    assert participant.hotel == "Melia Hanoi"
    assert participant.passport_number == PASSPORT
    assert participant.passport_expiry == dt.date(2030, 1, 31)


def test_history_hides_passport_changes_without_the_permission(client, participant):
    participant.passport_number = "X7654321"
    participant.hotel = "Lotte Hotel Hanoi"
    participant.save()
    url = reverse("admin:delegations_participant_history", args=[participant.pk])

    staff_two_factor_pass(client, staff_with("view_participant", "change_participant"))
    content = client.get(url).content.decode()
    assert "Lotte Hotel Hanoi" in content
    assert "X7654321" not in content
    assert PASSPORT not in content

    staff_two_factor_pass(
        client, staff_with("view_participant", "change_participant", "view_passport")
    )
    content = client.get(url).content.decode()
    assert "X7654321" in content


def test_photo_is_previewed_through_the_checked_view(client, participant):
    services.participant_update(
        participant=participant,
        data={},
        photo=ContentFile(image_bytes(), name="x.jpg"),
    )
    staff = staff_with("view_participant", "change_participant")
    staff_two_factor_pass(client, staff)
    photo_url = reverse("portal:participant_photo", args=[participant.pk])
    content = client.get(change_url(participant)).content.decode()
    assert f'<img src="{photo_url}"' in content
    assert 'type="file"' not in content
    response = client.get(photo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_photo_view_refuses_staff_without_view_permission(client, participant):
    services.participant_update(
        participant=participant,
        data={},
        photo=ContentFile(image_bytes(), name="x.jpg"),
    )
    staff_two_factor_pass(client, staff_with("view_delegation"))
    photo_url = reverse("portal:participant_photo", args=[participant.pk])
    assert client.get(photo_url).status_code == 404
