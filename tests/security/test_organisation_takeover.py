"""Finding 6 of issue 8 (registration codes): an approved code request named
after an existing intergovernmental organisation made the requester its
delegation's focal point. Only new organisations are registered by code: a
State, UN entity or intergovernmental organisation already on file is never
handed over, nor is any organisation that already has a delegation."""

import pytest
from django.core.exceptions import ValidationError

from delegations import services
from delegations.enums import DelegationStatus, OrganisationKind
from delegations.models import Delegation, OrganisationRequestStatus
from tests.factories import (
    DelegationFactory,
    EventFactory,
    OrganisationFactory,
    RegistrationCodeFactory,
    VerifiedUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def code():
    return RegistrationCodeFactory(event=EventFactory(is_current=True), code="NGO-2025")


def _request(code, name, kind=OrganisationKind.NGO):
    return services.organisation_request_create(
        user=VerifiedUserFactory(),
        event=code.event,
        code="NGO-2025",
        name=name,
        kind=kind,
    )


@pytest.mark.parametrize("kind", [OrganisationKind.IGO, OrganisationKind.NGO])
@pytest.mark.parametrize("same_event", [True, False])
def test_an_organisation_with_a_delegation_is_never_handed_to_a_requester(
    code, kind, same_event
):
    organisation = OrganisationFactory(
        name="International Criminal Police Organization", kind=kind
    )
    delegation = DelegationFactory(
        event=code.event if same_event else EventFactory(),
        organisation=organisation,
        status=DelegationStatus.INVITED,
    )
    request_obj = _request(code, "international criminal police  organization")

    with pytest.raises(ValidationError):
        services.organisation_request_approve(request_obj=request_obj, decided_by=None)

    delegation.refresh_from_db()
    request_obj.refresh_from_db()
    assert (delegation.focal_point_id, delegation.status) == (
        None,
        DelegationStatus.INVITED,
    )
    assert request_obj.status == OrganisationRequestStatus.PENDING
    assert Delegation.objects.filter(organisation=organisation).count() == 1


def test_the_refusal_says_why(code):
    organisation = OrganisationFactory(name="Cyber Aid", kind=OrganisationKind.NGO)
    DelegationFactory(event=code.event, organisation=organisation)
    request_obj = _request(code, "Cyber Aid")
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_request_approve(request_obj=request_obj, decided_by=None)
    assert excinfo.value.messages == [
        "Cyber Aid already has a delegation; its focal point is invited by the "
        "secretariat, never registered with a code. Check the request."
    ]


def test_an_intergovernmental_organisation_on_file_is_not_registered_by_code(code):
    OrganisationFactory(name="Council of Europe", kind=OrganisationKind.IGO)
    request_obj = _request(code, "Council of Europe", kind=OrganisationKind.IGO)
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_request_approve(request_obj=request_obj, decided_by=None)
    assert excinfo.value.messages == [
        "An organisation that is not eligible for a registration code already "
        "has this name (Council of Europe). Check the request."
    ]
    assert not Delegation.objects.exists()


def test_an_organisation_on_file_without_a_delegation_may_register(code):
    organisation = OrganisationFactory(name="Cyber Aid", kind=OrganisationKind.NGO)
    request_obj = _request(code, "Cyber Aid")
    services.organisation_request_approve(request_obj=request_obj, decided_by=None)
    delegation = Delegation.objects.get(organisation=organisation)
    assert delegation.focal_point == request_obj.requested_by
    assert delegation.status == DelegationStatus.REGISTERING
