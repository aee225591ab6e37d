import pytest

from tests.factories import DelegationFactory, ParticipantFactory, StateFactory


@pytest.fixture
def staff(db, django_user_model):
    return django_user_model.objects.create_user(
        username="officer", email="officer@example.org", password="x", is_staff=True
    )


@pytest.fixture
def state_delegation(event):
    return DelegationFactory(event=event, organisation=StateFactory())


@pytest.fixture
def submitted(state_delegation):
    return ParticipantFactory(
        delegation=state_delegation, preferred_language="fr", function_title="Adviser"
    )
