"""Demo accreditation and check-in: the event's zones and badge categories
(the defaults), its badge signing key, a badge for every approved demo
participant, gates into the zones, and a check-in phone waiting for
enrolment with a fixed setup code (``DEMO_SETUP_CODE``, printed by
``load_demo``; demo data only: anyone who knows it can enrol a phone).

Idempotent: what exists is left alone (an organizer's edits to categories
and zones too); a badge is issued only to an approved participant who never
had one; the setup code is written again only while the phone is not
enrolled and its code has expired.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from accreditation.models import Badge, BadgeCategory, SigningKey, Zone
from accreditation.services import (
    badge_categories_ensure,
    badges_issue_many,
    signing_key_active,
)
from checkin.enums import Direction
from checkin.models import Device, Gate
from checkin.services.devices import SETUP_CODE_VALIDITY, hash_secret
from delegations.enums import ParticipantStatus
from delegations.models import Participant
from hanoi_event.models import Event

# Typed on the scanner page as it is (or with dashes: DEMO-GATE-PHONE-1).
DEMO_SETUP_CODE = "DEMOGATEPHONE1"
DEMO_DEVICE_NAME = "Demo gate phone"

# (name, zone code, direction)
GATES = (
    ("North entrance", "venue", Direction.ENTRY),
    ("North exit", "venue", Direction.EXIT),
    ("Plenary hall doors", "plenary", Direction.ENTRY),
    ("Plenary hall way out", "plenary", Direction.EXIT),
    ("Signing hall doors", "signing", Direction.ENTRY),
    ("VIP lounge", "vip_lounge", Direction.ENTRY),
    ("Media centre", "media_centre", Direction.ENTRY),
)


def load_accreditation(event: Event, *, tally, upsert: Callable) -> None:
    before = {
        model: model.objects.filter(event=event).count()
        for model in (Zone, BadgeCategory, SigningKey)
    }
    badge_categories_ensure(event=event)
    signing_key_active(event=event)
    for model, count in before.items():
        added = model.objects.filter(event=event).count() - count
        if added:
            tally.created[model._meta.label] += added

    approved = Participant.objects.filter(
        event=event, status=ParticipantStatus.APPROVED
    ).select_related("delegation__organisation")
    issued = badges_issue_many(event=event, participants=approved, by=None)
    if issued:
        tally.created[Badge._meta.label] += len(issued)

    zones = {zone.code: zone for zone in Zone.objects.filter(event=event)}
    gates = {gate.name: gate for gate in Gate.objects.filter(event=event)}
    for name, zone_code, direction in GATES:
        upsert(
            Gate,
            lookup={"event": event, "name": name},
            values={"zone": zones[zone_code], "direction": direction},
            tally=tally,
            current=gates.get(name),
        )
    _load_device(event, tally=tally, upsert=upsert)


def _load_device(event: Event, *, tally, upsert: Callable) -> None:
    device = Device.objects.filter(event=event, name=DEMO_DEVICE_NAME).first()
    now = timezone.now()
    if device is not None and (
        device.token_hash
        or device.revoked_at is not None
        or (device.setup_code_expires_at and device.setup_code_expires_at > now)
    ):
        return
    upsert(
        Device,
        lookup={"event": event, "name": DEMO_DEVICE_NAME},
        values={
            "setup_code_hash": hash_secret(DEMO_SETUP_CODE),
            "setup_code_expires_at": now + SETUP_CODE_VALIDITY,
        },
        tally=tally,
        current=device,
    )
