"""Finding 2 of issue 8: django-simple-history's history form view
("revert") saved with the view permission only. A revert needs the change
permission, and never writes a field the user may not see."""

import datetime as dt

import pytest
from django.urls import reverse

from delegations.enums import DelegationStatus
from delegations.models import Delegation, Participant
from hanoi_event.roles import (
    CHECK_IN_OPERATOR,
    ORGANIZER,
    REGISTRATION_STAFF,
)
from tests.conftest import staff_two_factor_pass
from tests.factories import DelegationFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def _revert_url(obj, version) -> str:
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[obj.pk, version.history_id],
    )


def _form_data(response) -> dict:
    """What the history form page would post back, as a browser sends it."""
    form = response.context["adminform"].form
    data = {}
    for name, bound in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (dt.date, dt.datetime)):
            widget_values = bound.widget.format_value(value)
            if isinstance(widget_values, list):
                for index, part in enumerate(widget_values):
                    data[f"{name}_{index}"] = part
                continue
        data[name] = value
    return data


@pytest.fixture
def delegation():
    delegation = DelegationFactory(
        status=DelegationStatus.REGISTERING, focal_point=UserFactory()
    )
    return delegation


@pytest.mark.parametrize("model", ["delegation", "participant"])
def test_view_only_staff_cannot_save_through_the_history_form(
    client, staff_in, delegation, model
):
    operator = staff_in(CHECK_IN_OPERATOR)
    obj = (
        delegation
        if model == "delegation"
        else ParticipantFactory(delegation=delegation, hotel="Melia")
    )
    version = obj.history.earliest()
    staff_two_factor_pass(client, operator)

    page = client.get(_revert_url(obj, version))
    assert page.status_code == 200
    data = _form_data(page)
    if model == "delegation":
        data.update(
            {"focal_point": str(operator.pk), "status": DelegationStatus.ACCREDITED}
        )
    else:
        data.update({"user": str(operator.pk), "hotel": "Changed by the operator"})
    response = client.post(_revert_url(obj, version), data)

    assert response.status_code == 403
    assert (
        client.get(
            reverse(f"admin:delegations_{model}_change", args=[obj.pk])
        ).status_code
        == 200
    )
    if model == "delegation":
        fresh = Delegation.objects.get(pk=obj.pk)
        assert (fresh.focal_point_id, fresh.status) == (
            delegation.focal_point_id,
            DelegationStatus.REGISTERING,
        )
    else:
        fresh = Participant.objects.get(pk=obj.pk)
        assert (fresh.user_id, fresh.hotel) == (None, "Melia")
    assert obj.history.count() == 1


def test_staff_with_change_permission_can_revert(client, staff_in, delegation):
    organizer = staff_in(ORGANIZER)
    first = delegation.history.earliest()
    delegation.status = DelegationStatus.SUBMITTED
    delegation.save()
    staff_two_factor_pass(client, organizer)

    page = client.get(_revert_url(delegation, first))
    response = client.post(_revert_url(delegation, first), _form_data(page))

    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.status == DelegationStatus.REGISTERING


def test_revert_without_passport_permission_keeps_the_restricted_fields(
    client, staff_in
):
    participant = ParticipantFactory(
        hotel="Melia",
        passport_number="OLD11111",
        passport_expiry=dt.date(2030, 1, 1),
        date_of_birth=dt.date(1970, 1, 1),
    )
    old = participant.history.earliest()
    participant.hotel = "Lotte"
    participant.passport_number = "NEW22222"
    participant.passport_expiry = dt.date(2031, 2, 2)
    participant.date_of_birth = dt.date(1971, 2, 2)
    participant.save()
    staff_two_factor_pass(client, staff_in(REGISTRATION_STAFF))

    page = client.get(_revert_url(participant, old))
    content = page.content.decode()
    assert "OLD11111" not in content
    assert "NEW22222" not in content
    assert "1970" not in content
    response = client.post(_revert_url(participant, old), _form_data(page))

    assert response.status_code == 302
    participant.refresh_from_db()
    assert (
        participant.hotel,
        participant.passport_number,
        participant.passport_expiry,
        participant.date_of_birth,
    ) == ("Melia", "NEW22222", dt.date(2031, 2, 2), dt.date(1971, 2, 2))
