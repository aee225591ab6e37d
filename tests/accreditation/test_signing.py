"""Signed badge payloads: verify, tampering, keys rotated and retired."""

import pytest

from accreditation import services, signing
from accreditation.models import SigningKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def badge(submitted, staff):
    services.accreditation_approve(participant=submitted, decided_by=staff)
    return services.valid_badge(submitted)


def test_qr_text_verifies_to_the_badge(badge):
    payload, event_id = signing.verify(services.badge_qr_text(badge))
    assert event_id == badge.event_id
    assert (payload.badge_id, payload.number, payload.version) == (badge.pk, 1, 1)
    assert payload.category_id == badge.category_id
    assert list(payload.zone_ids) == badge.zone_ids


def test_a_changed_byte_breaks_the_signature(badge):
    raw = signing.b64url_decode(services.badge_qr_text(badge))
    tampered = bytearray(raw)
    tampered[12] ^= 1  # the badge id
    with pytest.raises(signing.PayloadError) as caught:
        signing.verify(signing.b64url(bytes(tampered)))
    assert caught.value.code == "bad_signature"


@pytest.mark.parametrize("text", ["", "hello", "!!!!", "A" * 100_000, "00042"])
def test_garbage_is_malformed(text):
    with pytest.raises(signing.PayloadError) as caught:
        signing.verify(text)
    assert caught.value.code == "malformed"


def test_rotation_keeps_old_badges_valid_and_retiring_refuses_them(badge):
    old_text = services.badge_qr_text(badge)
    new_key = services.signing_key_rotate(event=badge.event)
    assert SigningKey.objects.filter(event=badge.event, is_active=True).get() == new_key
    signing.verify(old_text)
    services.signing_key_retire(key=badge.key)
    with pytest.raises(signing.PayloadError) as caught:
        signing.verify(old_text)
    assert caught.value.code == "retired_key"


def test_the_active_key_cannot_be_retired(badge):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.signing_key_retire(key=badge.key)
