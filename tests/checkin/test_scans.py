"""Verdicts at the gates, settled by the server."""

import threading

import pytest
from django.db import connection

from accreditation import services as accreditation
from accreditation import signing
from checkin.models import Presence, Scan
from checkin.services import scan_perform
from delegations.services import participant_withdraw
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def verdict(setup, code, gate=None, **kwargs):
    scan, _created = scan_perform(gate=gate or setup.entry, code=code, **kwargs)
    return scan.verdict, scan.reason


def test_first_entry_valid_then_already_inside_then_exit_then_valid(setup):
    assert verdict(setup, setup.qr) == ("valid", "")
    assert verdict(setup, setup.qr) == ("already_inside", "inside")
    assert verdict(setup, setup.qr, gate=setup.exit) == ("valid", "")
    assert verdict(setup, setup.qr) == ("valid", "")
    assert Presence.objects.get().entries == 2


def test_typed_badge_number_is_the_same_badge(setup):
    assert verdict(setup, "00001") == ("valid", "")
    assert verdict(setup, " 1 ") == ("already_inside", "inside")
    assert verdict(setup, "99999") == ("unknown", "no_such_badge")


def test_tampered_payload_is_unknown(setup):
    raw = bytearray(signing.b64url_decode(setup.qr))
    raw[16] ^= 1  # the badge number
    assert verdict(setup, signing.b64url(bytes(raw))) == ("unknown", "bad_signature")


def test_another_events_badge_is_wrong_event(setup):
    other = EventFactory()
    key = accreditation.signing_key_active(event=other)
    from accreditation.services.keys import private_key

    payload = signing.BadgePayload(key.key_id, other.pk, 1, 1, 1, 1, ())
    assert verdict(setup, signing.sign(payload, private_key(key))) == (
        "wrong_event",
        "other_event",
    )


def test_revoked_badge_and_reprint(setup):
    new = accreditation.badge_reprint(badge=setup.badge, reason="Lost", by=None)
    assert verdict(setup, setup.qr) == ("revoked", "badge_revoked")
    assert verdict(setup, accreditation.badge_qr_text(new)) == ("valid", "")


def test_a_retired_key_revokes_its_badges(setup):
    accreditation.signing_key_rotate(event=setup.event)
    accreditation.signing_key_retire(key=setup.badge.key)
    assert verdict(setup, setup.qr) == ("revoked", "retired_key")


def test_an_unknown_key_id_is_unknown(setup):
    raw = bytearray(signing.b64url_decode(setup.qr))
    raw[1:5] = (12345).to_bytes(4, "big")
    assert verdict(setup, signing.b64url(bytes(raw))) == ("unknown", "unknown_key")


@pytest.mark.parametrize("code", ["", "hello", "%%%", "A" * 100_000, "\x00\xff"])
def test_garbage_is_unknown(setup, code):
    assert verdict(setup, code)[0] == "unknown"


def test_withdrawn_participant_is_revoked(setup):
    participant_withdraw(participant=setup.person)
    assert verdict(setup, setup.qr) == ("revoked", "not_approved")


def test_zone_denied(setup):
    from checkin.models import Gate

    lounge = setup.event.zones.get(code="vip_lounge")
    gate = Gate.objects.create(event=setup.event, name="Lounge", zone=lounge)
    assert verdict(setup, setup.qr, gate=gate) == ("zone_denied", "not_in_zone")


def test_no_reentry_zone(setup):
    from checkin.models import Gate

    signing_hall = setup.event.zones.get(code="signing")
    enter = Gate.objects.create(event=setup.event, name="Hall in", zone=signing_hall)
    leave = Gate.objects.create(
        event=setup.event, name="Hall out", zone=signing_hall, direction="exit"
    )
    assert verdict(setup, setup.qr, gate=enter) == ("valid", "")
    assert verdict(setup, setup.qr, gate=leave) == ("valid", "")
    assert verdict(setup, setup.qr, gate=enter) == ("already_inside", "no_reentry")


def test_vip_waits_for_confirmation(setup):
    from checkin.services import scan_confirm

    accreditation.badge_category_choose(
        participant=setup.person, category=setup.categories["vip"], chosen_by=None
    )
    qr = accreditation.badge_qr_text(accreditation.valid_badge(setup.person))
    scan, _ = scan_perform(gate=setup.entry, code=qr, device=setup.device, nonce="n1")
    assert (scan.verdict, scan.needs_confirmation) == ("valid", True)
    scan_confirm(scan=scan, confirmed=False, device=setup.device)
    assert Presence.objects.get().inside is False
    assert verdict(setup, qr) == ("valid", "")


def test_same_device_and_nonce_counts_once(setup):
    first, created = scan_perform(
        gate=setup.entry, code=setup.qr, device=setup.device, nonce="abc"
    )
    again, created_again = scan_perform(
        gate=setup.entry, code=setup.qr, device=setup.device, nonce="abc"
    )
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert Scan.objects.count() == 1


def test_offline_accepted_but_refused_is_disputed_and_late(setup):
    scan_perform(gate=setup.entry, code=setup.qr)
    scan, _ = scan_perform(
        gate=setup.entry,
        code=setup.qr,
        device=setup.device,
        nonce="off-1",
        offline_verdict="valid",
        uploaded=True,
    )
    assert (scan.verdict, scan.offline, scan.disputed, scan.late) == (
        "already_inside",
        True,
        True,
        True,
    )


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_first_scans_one_valid(setup):
    """20 threads, each with its own PostgreSQL connection, scan the same
    badge at once: exactly one valid, 19 already inside."""
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(20)
    results = []
    lock = threading.Lock()

    def scan(i):
        try:
            barrier.wait()
            found, _ = scan_perform(
                gate=setup.entry, code=setup.qr, device=setup.device, nonce=f"c{i}"
            )
            with lock:
                results.append(found.verdict)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["already_inside"] * 19 + ["valid"]
    assert Presence.objects.get().entries == 1
