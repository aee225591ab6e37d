"""Finding 6 of issue 8 (registration codes): wrong codes were not
rate-limited, so codes could be guessed. Wrong codes are counted per account
and per client address; past the limit the form answers 429 and checks no
code at all, the right one included."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from delegations.enums import OrganisationKind
from delegations.models import OrganisationRequest
from tests.factories import EventFactory, RegistrationCodeFactory, VerifiedUserFactory

pytestmark = pytest.mark.django_db

URL = reverse("portal:organisation_request")
# The policy: wrong codes per account, and per client address, in 15 minutes.
PER_USER = 5
PER_IP = 20


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def code():
    return RegistrationCodeFactory(event=EventFactory(is_current=True), code="NGO-2025")


def _post(client, code_value, *, ip="198.51.100.7"):
    return client.post(
        URL,
        {"code": code_value, "name": "Cyber Aid", "kind": OrganisationKind.NGO},
        REMOTE_ADDR=ip,
    )


def _signed_in_client():
    client = Client()
    client.force_login(VerifiedUserFactory())
    return client


def test_wrong_codes_are_limited_per_account(code):
    client = _signed_in_client()
    for attempt in range(PER_USER):
        response = _post(client, f"GUESS-{attempt}")
        assert response.status_code == 400, attempt
        assert "This registration code is not valid." in response.content.decode()

    response = _post(client, "NGO-2025")

    assert response.status_code == 429
    assert "Too many wrong registration codes." in response.content.decode()
    assert OrganisationRequest.objects.count() == 0
    # Another account at another address is not held back.
    assert _post(_signed_in_client(), "NGO-2025", ip="203.0.113.9").status_code == 302


def test_wrong_codes_are_limited_per_address(code):
    failures = 0
    while failures < PER_IP:
        client = _signed_in_client()
        for _ in range(min(PER_USER, PER_IP - failures)):
            assert _post(client, "WRONG").status_code == 400
            failures += 1

    assert _post(_signed_in_client(), "NGO-2025").status_code == 429
    assert OrganisationRequest.objects.count() == 0


def test_a_right_code_and_other_form_errors_count_nothing(code):
    client = _signed_in_client()
    for _ in range(PER_USER + 1):
        response = client.post(
            URL, {"code": "NGO-2025", "name": "", "kind": OrganisationKind.NGO}
        )
        assert response.status_code == 400
    assert _post(client, "NGO-2025").status_code == 302
