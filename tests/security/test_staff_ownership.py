"""Finding 4 of issue 8: staff without the passport permission made
themselves a participant's account (or a delegation's focal point) in the
admin, then read the passport in the portal. A staff account is never a
record's owner or a focal point, and portal access by a staff account shows
nothing that its staff permissions do not."""

import pytest
from django.urls import reverse

from delegations.enums import DelegationStatus
from delegations.models import Delegation, Participant
from hanoi_event.roles import ACCREDITATION_OFFICER, ORGANIZER
from tests.conftest import staff_two_factor_pass
from tests.factories import (
    DelegationFactory,
    ParticipantFactory,
    VerifiedUserFactory,
)

pytestmark = pytest.mark.django_db

PASSPORT = "P7777777"


def _form_data(client, url) -> dict:
    form = client.get(url).context["adminform"].form
    return {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }


@pytest.fixture
def participant():
    return ParticipantFactory(passport_number=PASSPORT)


@pytest.mark.parametrize("role", [ORGANIZER, ACCREDITATION_OFFICER])
def test_admin_refuses_a_staff_account_as_a_participants_account(
    client, staff_in, participant, role
):
    staff = staff_in(role)
    staff_two_factor_pass(client, staff)
    url = reverse("admin:delegations_participant_change", args=[participant.pk])
    data = _form_data(client, url)
    data.update(
        {
            "delegation": participant.delegation_id,
            "event": participant.event_id,
            "user": staff.pk,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"] == [
        "A staff account cannot own a participant's record."
    ]
    assert Participant.objects.get(pk=participant.pk).user_id is None


@pytest.mark.parametrize("role", [ORGANIZER, ACCREDITATION_OFFICER])
def test_admin_refuses_a_staff_account_as_focal_point(client, staff_in, role):
    delegation = DelegationFactory(status=DelegationStatus.REGISTERING)
    staff = staff_in(role)
    staff_two_factor_pass(client, staff)
    url = reverse("admin:delegations_delegation_change", args=[delegation.pk])
    data = _form_data(client, url)
    data.update(
        {
            "event": delegation.event_id,
            "organisation": delegation.organisation_id,
            "focal_point": staff.pk,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["focal_point"] == [
        "A staff account cannot be a delegation's focal point."
    ]
    assert Delegation.objects.get(pk=delegation.pk).focal_point_id is None


def test_admin_still_accepts_a_portal_account(client, staff_in, participant):
    staff_two_factor_pass(client, staff_in(ORGANIZER))
    delegate = VerifiedUserFactory()
    url = reverse("admin:delegations_participant_change", args=[participant.pk])
    data = _form_data(client, url)
    data.update(
        {
            "delegation": participant.delegation_id,
            "event": participant.event_id,
            "user": delegate.pk,
        }
    )
    assert client.post(url, data).status_code == 302
    assert Participant.objects.get(pk=participant.pk).user_id == delegate.pk


def test_user_autocomplete_offers_no_staff_for_owner_or_focal_point(
    client, staff_in, participant
):
    organizer = staff_in(ORGANIZER, email="organizer.one@example.org")
    portal_user = VerifiedUserFactory(email="organizer.two@example.org")
    staff_two_factor_pass(client, organizer)
    for model, field in [("participant", "user"), ("delegation", "focal_point")]:
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "delegations",
                "model_name": model,
                "field_name": field,
                "term": "organizer",
            },
        )
        assert response.status_code == 200
        assert [r["id"] for r in response.json()["results"]] == [str(portal_user.pk)], (
            field
        )


@pytest.mark.parametrize("verified", [False, True])
def test_a_staff_account_that_owns_records_sees_nothing_of_them_in_the_portal(
    client, staff_in, participant, verified
):
    """However a staff account came to own a record (set before it became
    staff, claimed by its address at sign-in), the portal shows it nothing:
    staff read records in the admin, with their permissions."""
    staff = staff_in(ORGANIZER)
    participant.user = staff
    participant.save()
    delegation = participant.delegation
    delegation.focal_point = staff
    delegation.save()
    if verified:
        staff_two_factor_pass(client, staff)
    else:
        client.force_login(staff)

    for name, obj in [
        ("participant", participant),
        ("participant_edit", participant),
        ("delegation", delegation),
    ]:
        response = client.get(reverse(f"portal:{name}", args=[obj.pk]))
        assert response.status_code == 404, name
    home = client.get(reverse("portal:home")).content.decode()
    assert delegation.organisation.name not in home
    assert client.get(reverse("portal:registration")).status_code == 200
    response = client.post(
        reverse("portal:participant_edit", args=[participant.pk]),
        {"given_names": "Changed"},
    )
    assert response.status_code == 404
    assert Participant.objects.get(pk=participant.pk).given_names != "Changed"
