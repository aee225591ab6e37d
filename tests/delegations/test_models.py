import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from delegations.enums import DelegationRole, OrganisationKind, ParticipantStatus
from delegations.models import Organisation
from tests.factories import DelegationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_participant_email_is_unique_per_event_ignoring_case():
    first = ParticipantFactory(email="Nguyen.An@example.org")
    with pytest.raises(IntegrityError):
        ParticipantFactory(delegation=first.delegation, email="nguyen.an@EXAMPLE.org")


def test_participant_full_clean_names_the_duplicate_email():
    first = ParticipantFactory(email="a@example.org")
    second = ParticipantFactory.build(
        delegation=first.delegation, event=first.event, email="A@Example.org"
    )
    with pytest.raises(ValidationError) as excinfo:
        second.full_clean()
    assert excinfo.value.messages == [
        "A participant with this email is already registered for this event."
    ]


def test_same_email_allowed_at_another_event():
    first = ParticipantFactory(email="a@example.org")
    other = ParticipantFactory(email="a@example.org")
    assert other.event_id != first.event_id


def test_only_one_active_head_of_delegation():
    head = ParticipantFactory(role=DelegationRole.HEAD)
    with pytest.raises(IntegrityError):
        ParticipantFactory(delegation=head.delegation, role=DelegationRole.HEAD)


def test_withdrawn_head_does_not_block_a_new_head():
    head = ParticipantFactory(
        role=DelegationRole.HEAD, status=ParticipantStatus.WITHDRAWN
    )
    new = ParticipantFactory(delegation=head.delegation, role=DelegationRole.HEAD)
    assert new.pk


def test_state_without_iso_codes_is_refused_with_field_errors():
    state = Organisation(name="Nowhere", kind=OrganisationKind.MEMBER_STATE)
    with pytest.raises(ValidationError) as excinfo:
        state.full_clean()
    assert excinfo.value.message_dict["iso2"] == ["A State needs its ISO alpha-2 code."]
    assert excinfo.value.message_dict["iso3"] == ["A State needs its ISO alpha-3 code."]


def test_state_without_iso_codes_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        Organisation.objects.create(name="Nowhere", kind=OrganisationKind.MEMBER_STATE)


def test_one_delegation_per_organisation_and_event():
    delegation = DelegationFactory()
    with pytest.raises(IntegrityError):
        DelegationFactory(event=delegation.event, organisation=delegation.organisation)
