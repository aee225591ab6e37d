import pytest

from accreditation import services as accreditation
from checkin import services
from checkin.models import Gate
from tests.factories import DelegationFactory, ParticipantFactory, StateFactory


@pytest.fixture
def setup(db, django_user_model):
    """An event with the default zones and categories, an entry and an exit
    gate at the venue, one approved participant with a badge, one device."""
    from tests.factories import EventFactory

    event = EventFactory()
    categories = accreditation.badge_categories_ensure(event=event)
    venue = event.zones.get(code="venue")
    entry = Gate.objects.create(event=event, name="North entry", zone=venue)
    exit_gate = Gate.objects.create(
        event=event, name="North exit", zone=venue, direction="exit"
    )
    delegation = DelegationFactory(event=event, organisation=StateFactory())
    person = ParticipantFactory(delegation=delegation)
    accreditation.accreditation_approve(participant=person, decided_by=None)
    badge = accreditation.valid_badge(person)
    device, code = services.device_create(event=event, name="Phone 1", by=None)
    device, token = services.device_enroll(setup_code=code)

    class Setup:
        pass

    s = Setup()
    s.event, s.categories, s.venue = event, categories, venue
    s.entry, s.exit, s.person, s.badge = entry, exit_gate, person, badge
    s.device, s.token = device, token
    s.qr = accreditation.badge_qr_text(badge)
    return s


@pytest.fixture
def api(client, setup):
    client.defaults["HTTP_AUTHORIZATION"] = f"Device {setup.token}"
    return client


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Each test starts with no cached public keys, categories or gates (ids
    may come again after a flush)."""
    from accreditation import selectors, signing
    from checkin import selectors as checkin_selectors

    selectors._categories_forget()
    checkin_selectors._gates_forget()
    signing.public_keys_forget()
    yield
