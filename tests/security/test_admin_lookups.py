"""Finding 3 of issue 8: the participant list answered filters on passport
fields to staff who may not see them (``?passport_number__startswith=N1``
told, character by character, whether a number exists). Restricted fields
are neither shown nor filterable nor searchable without the permission, on
any admin and across relations; some fields no one filters by."""

import datetime as dt

import pytest
from django.urls import reverse

from delegations import services
from hanoi_event.admin_safety import lookup_touches_hidden_field, unsafe_model_admins
from hanoi_event.roles import (
    ACCREDITATION_OFFICER,
    CHECK_IN_OPERATOR,
    ORGANIZER,
    REGISTRATION_STAFF,
)
from tests.conftest import staff_two_factor_pass
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

PASSPORT = "N1234567"
PARTICIPANTS = reverse("admin:delegations_participant_changelist")
DELEGATIONS = reverse("admin:delegations_delegation_changelist")

RESTRICTED_LOOKUPS = [
    (PARTICIPANTS, f"passport_number={PASSPORT}"),
    (PARTICIPANTS, "passport_number__startswith=N1"),
    (PARTICIPANTS, "passport_number__regex=%5EN1"),
    (PARTICIPANTS, "passport_number__isnull=False"),
    (PARTICIPANTS, "passport_expiry__lt=2031-01-01"),
    (PARTICIPANTS, "date_of_birth=1970-05-06"),
    (PARTICIPANTS, "date_of_birth__year=1970"),
    (PARTICIPANTS, "PASSPORT_NUMBER=x&passport_number__in=N1234567"),
    (DELEGATIONS, "members__passport_number__startswith=N1"),
    (DELEGATIONS, "members__date_of_birth__year=1970"),
]


@pytest.fixture
def participant():
    return ParticipantFactory(
        passport_number=PASSPORT,
        passport_expiry=dt.date(2030, 1, 31),
        date_of_birth=dt.date(1970, 5, 6),
    )


@pytest.mark.parametrize("role", [CHECK_IN_OPERATOR, REGISTRATION_STAFF, ORGANIZER])
@pytest.mark.parametrize(("url", "query"), RESTRICTED_LOOKUPS)
def test_staff_without_passport_permission_cannot_filter_by_restricted_fields(
    client, staff_in, participant, role, url, query
):
    staff_two_factor_pass(client, staff_in(role))
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400


def test_accreditation_officers_may_filter_by_passport_number(
    client, staff_in, participant
):
    ParticipantFactory(passport_number="Z9999999")
    staff_two_factor_pass(client, staff_in(ACCREDITATION_OFFICER))
    response = client.get(f"{PARTICIPANTS}?passport_number__startswith=N1")
    assert response.status_code == 200
    assert [p.pk for p in response.context["cl"].result_list] == [participant.pk]


def test_lookups_through_relations_are_checked_from_any_model(staff_in):
    from django.contrib.auth import get_user_model

    from delegations.models import Organisation

    clerk = staff_in(REGISTRATION_STAFF)
    officer = staff_in(ACCREDITATION_OFFICER)
    user_model = get_user_model()
    path = "delegations__members__passport_number__startswith"
    assert lookup_touches_hidden_field(Organisation, path, clerk) is True
    assert lookup_touches_hidden_field(Organisation, path, officer) is False
    assert lookup_touches_hidden_field(
        user_model, "participations__date_of_birth", clerk
    )
    assert not lookup_touches_hidden_field(
        user_model, "participations__hotel__icontains", clerk
    )
    # Password hashes: no one, superusers included.
    assert lookup_touches_hidden_field(user_model, "password__startswith", officer)


def test_nobody_filters_users_by_password_hash(admin_client):
    response = admin_client.get(
        reverse("admin:auth_user_changelist") + "?password__startswith=md5"
    )
    assert response.status_code == 400


def test_nobody_filters_invitations_by_token_hash(admin_client):
    response = admin_client.get(
        reverse("admin:delegations_invitation_changelist") + "?token_hash__startswith=a"
    )
    assert response.status_code == 400


def test_restricted_fields_are_not_shown_without_the_permission(
    client, staff_in, participant
):
    participant.hotel = "Lotte Hotel Hanoi"
    participant.date_of_birth = dt.date(1971, 7, 8)
    participant.save()
    staff_two_factor_pass(client, staff_in(REGISTRATION_STAFF))

    change = client.get(
        reverse("admin:delegations_participant_change", args=[participant.pk])
    )
    content = change.content.decode()
    form = change.context["adminform"].form
    assert "date_of_birth" not in form.fields
    assert "passport_number" not in form.fields
    assert "1970-05-06" not in content
    assert "1971-07-08" not in content
    history = client.get(
        reverse("admin:delegations_participant_history", args=[participant.pk])
    ).content.decode()
    assert "Lotte Hotel Hanoi" in history
    assert "1970" not in history
    assert "1971" not in history

    add = client.get(reverse("admin:delegations_participant_add"))
    assert "date_of_birth" not in add.context["adminform"].form.fields


def test_saving_without_the_permission_keeps_the_date_of_birth(
    client, staff_in, participant
):
    staff_two_factor_pass(client, staff_in(REGISTRATION_STAFF))
    url = reverse("admin:delegations_participant_change", args=[participant.pk])
    form = client.get(url).context["adminform"].form
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
            "date_of_birth": "1999-01-01",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.hotel, participant.date_of_birth) == (
        "Melia Hanoi",
        dt.date(1970, 5, 6),
    )


def test_accreditation_officers_see_the_restricted_fields(
    client, staff_in, participant
):
    staff_two_factor_pass(client, staff_in(ACCREDITATION_OFFICER))
    change = client.get(
        reverse("admin:delegations_participant_change", args=[participant.pk])
    )
    fields = change.context["adminform"].form.fields
    assert {"passport_number", "passport_expiry", "date_of_birth"} <= set(fields)


def test_search_never_matches_restricted_fields_without_the_permission(
    client, staff_in, participant
):
    services.participant_update(participant=participant, data={})
    staff_two_factor_pass(client, staff_in(REGISTRATION_STAFF))
    response = client.get(f"{PARTICIPANTS}?q={PASSPORT}")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_every_registered_admin_is_a_safe_admin():
    assert unsafe_model_admins() == []
