"""Organisations that are not States register with a code; an organizer
approves them, which creates the organisation and its delegation."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from delegations import services
from delegations.enums import DelegationStatus, OrganisationKind
from delegations.models import (
    Delegation,
    Organisation,
    OrganisationRequest,
    OrganisationRequestStatus,
)
from tests.factories import (
    DelegationFactory,
    EventFactory,
    RegistrationCodeFactory,
    StateFactory,
    VerifiedUserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def code():
    return RegistrationCodeFactory(event=EventFactory(is_current=True), code="NGO-2025")


@pytest.fixture
def user_client(client):
    user = VerifiedUserFactory(email="ngo@example.org")
    client.force_login(user)
    client.user = user
    return client


def request_data(**overrides):
    return {
        "code": "ngo-2025",
        "name": "Cyber Peace Institute",
        "kind": OrganisationKind.NGO,
        "acronym": "CPI",
        "website": "https://cyberpeace.example",
        **overrides,
    }


def test_request_with_a_valid_code_is_pending(user_client, code):
    response = user_client.post(reverse("portal:organisation_request"), request_data())
    assert response.status_code == 302
    request_obj = OrganisationRequest.objects.get()
    assert (request_obj.name, request_obj.status, request_obj.registration_code) == (
        "Cyber Peace Institute",
        OrganisationRequestStatus.PENDING,
        code,
    )


def test_request_posted_twice_creates_one(user_client, code):
    user_client.post(reverse("portal:organisation_request"), request_data())
    user_client.post(reverse("portal:organisation_request"), request_data())
    assert OrganisationRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"code": "WRONG"}, "This registration code is not valid."),
        ({"name": ""}, "This field is required."),
        ({"kind": OrganisationKind.MEMBER_STATE}, "Select a valid choice."),
        ({"website": "not a url"}, "Enter a valid URL."),
    ],
)
def test_bad_request_shows_the_error_and_saves_nothing(
    user_client, code, overrides, error
):
    response = user_client.post(
        reverse("portal:organisation_request"), request_data(**overrides)
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert OrganisationRequest.objects.count() == 0


def test_expired_or_inactive_code_is_refused(user_client, code):
    code.expires_at = timezone.now() - dt.timedelta(minutes=1)
    code.save()
    response = user_client.post(reverse("portal:organisation_request"), request_data())
    assert "This registration code is not valid." in response.content.decode()


def test_used_up_code_is_refused(code):
    code.max_uses = 1
    code.save()
    services.organisation_request_create(
        user=VerifiedUserFactory(),
        event=code.event,
        code="NGO-2025",
        name="First",
        kind=OrganisationKind.NGO,
    )
    with pytest.raises(Exception) as excinfo:
        services.organisation_request_create(
            user=VerifiedUserFactory(),
            event=code.event,
            code="NGO-2025",
            name="Second",
            kind=OrganisationKind.MEDIA,
        )
    assert excinfo.value.message_dict == {
        "code": ["This registration code has been used up."]
    }


def test_approval_creates_organisation_and_delegation_with_focal_point(
    user_client, code
):
    user_client.post(reverse("portal:organisation_request"), request_data())
    request_obj = OrganisationRequest.objects.get()
    services.organisation_request_approve(request_obj=request_obj, decided_by=None)
    organisation = Organisation.objects.get(name="Cyber Peace Institute")
    delegation = Delegation.objects.get(organisation=organisation)
    assert organisation.kind == OrganisationKind.NGO
    assert delegation.focal_point == user_client.user
    assert delegation.status == DelegationStatus.REGISTERING
    home = user_client.get(reverse("portal:home"))
    assert "Cyber Peace Institute" in home.content.decode()


def test_admin_approve_action(admin_client, code):
    request_obj = services.organisation_request_create(
        user=VerifiedUserFactory(),
        event=code.event,
        code="NGO-2025",
        name="Media House",
        kind=OrganisationKind.MEDIA,
    )
    admin_client.post(
        reverse("admin:delegations_organisationrequest_changelist"),
        {"action": "approve", "_selected_action": [request_obj.pk]},
    )
    request_obj.refresh_from_db()
    assert request_obj.status == OrganisationRequestStatus.APPROVED
    assert Delegation.objects.filter(organisation__name="Media House").count() == 1


def test_approval_never_hands_a_state_delegation_to_a_requester(user_client, code):
    """A request named like a State (or a UN entity) must not make the
    requester focal point of that State's delegation."""
    state = StateFactory(name="Republic of Test Approval")
    state_delegation = DelegationFactory(
        event=code.event, organisation=state, status=DelegationStatus.INVITED
    )
    request_obj = services.organisation_request_create(
        user=user_client.user,
        event=code.event,
        code="NGO-2025",
        name="republic of test approval",
        kind=OrganisationKind.NGO,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_request_approve(request_obj=request_obj, decided_by=None)
    assert excinfo.value.messages == [
        "An organisation that is not eligible for a registration code already "
        "has this name (Republic of Test Approval). Check the request."
    ]
    state_delegation.refresh_from_db()
    request_obj.refresh_from_db()
    assert state_delegation.focal_point is None
    assert state_delegation.status == DelegationStatus.INVITED
    assert request_obj.status == OrganisationRequestStatus.PENDING
    assert request_obj.organisation is None
    home = user_client.get(reverse("portal:home"))
    assert "Republic of Test Approval" not in home.content.decode()
    assert (
        user_client.get(
            reverse("portal:delegation", args=[state_delegation.pk])
        ).status_code
        == 404
    )


@pytest.mark.django_db(transaction=True)
def test_request_sent_twice_at_the_same_time_returns_the_first():
    """A double click: the second request arrives while the first is being
    saved. It returns the first request instead of an error."""
    import threading

    from django.db import connection, transaction

    code = RegistrationCodeFactory(event=EventFactory(is_current=True), code="NGO-2025")
    user = VerifiedUserFactory(email="ngo@example.org")
    created = threading.Event()
    release = threading.Event()
    outcome = {}

    def create(key, hold):
        try:
            with transaction.atomic():
                outcome[key] = services.organisation_request_create(
                    user=user, event=code.event, **request_data()
                ).pk
                if hold:
                    created.set()
                    release.wait(10)
        except ValidationError as exc:
            outcome[key] = exc.messages
        finally:
            created.set()
            connection.close()

    first = threading.Thread(target=create, args=("first", True))
    first.start()
    assert created.wait(10)
    second = threading.Thread(target=create, args=("second", False))
    second.start()
    second.join(1)
    release.set()
    first.join(10)
    second.join(10)
    assert outcome["second"] == outcome["first"]
    assert OrganisationRequest.objects.filter(requested_by=user).count() == 1
