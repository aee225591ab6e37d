"""Scans at the gates, settled by the server (after pretix's
``perform_checkin``: one lock per ticket, nonces, rules).

A scan locks its badge's row, so two scans of one badge (20 phones at once)
are settled one after the other: the first entry is "valid", the others see
the badge inside. A scan uploaded again with the same device and nonce
counts once. A scan made offline keeps the verdict the device showed; if the
device accepted it and the server refuses it, it is marked disputed.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation import signing
from accreditation.models import Badge
from accreditation.selectors import category_facts
from delegations.enums import ParticipantStatus
from delegations.models import Delegation, Organisation, Participant

from ..enums import Direction, Reason, Verdict
from ..models import Device, Gate, Presence, Scan
from ._sql import fetchone, from_row, in_model_order, insert_row

_TYPED = re.compile(r"^\s*(\d{1,9})(?:\s*-\s*(\d{1,4}))?\s*$")
# A scan whose device time is this far from its arrival is "late" even if
# it came through the scan endpoint (a queued request retried).
LATE_AFTER = dt.timedelta(minutes=2)
# Device clocks are not trusted beyond this: a time further ahead is the
# server's time.
_CLOCK_SKEW = dt.timedelta(minutes=5)


# What settling a scan and answering it read of the badge: its row, locked,
# joined to the person and the delegation's organisation for the answer. The
# scan is the morning's hot path (2,500 in an hour): the statement is written
# once per process (from the models' own table and column names) instead of
# being compiled by the ORM for every scan.
_BADGE_COLUMNS = (
    "id",
    "event_id",
    "participant_id",
    "number",
    "version",
    "category_id",
    "zone_ids",
    "flagged",
    "flag_note",
    "revoked_at",
)
_PERSON_COLUMNS = (
    "id",
    "status",
    "honorific",
    "given_names",
    "family_name",
    "function_title",
    "photo",
    "delegation_id",
)
_BADGE_COLUMNS = in_model_order(Badge, _BADGE_COLUMNS)
_PERSON_COLUMNS = in_model_order(Participant, _PERSON_COLUMNS)
_badge_sql: str | None = None


def _columns(model, alias: str, names: tuple[str, ...]) -> list[str]:
    quote = connection.ops.quote_name
    return [f"{alias}.{quote(model._meta.get_field(n).column)}" for n in names]


def _badge_locked_sql() -> str:
    global _badge_sql
    if _badge_sql is None:
        quote = connection.ops.quote_name

        def table(model) -> str:
            return quote(model._meta.db_table)

        def column(model, name: str) -> str:
            return quote(model._meta.get_field(name).column)

        select = [
            *_columns(Badge, "b", _BADGE_COLUMNS),
            *_columns(Participant, "p", _PERSON_COLUMNS),
            f"d.{column(Delegation, 'organisation')}",
            f"o.{column(Organisation, 'name')}",
        ]
        _badge_sql = (
            f"SELECT {', '.join(select)} FROM {table(Badge)} b "
            f"JOIN {table(Participant)} p ON p.{quote(Participant._meta.pk.column)}"
            f" = b.{column(Badge, 'participant')} "
            f"JOIN {table(Delegation)} d ON d.{quote(Delegation._meta.pk.column)}"
            f" = p.{column(Participant, 'delegation')} "
            f"JOIN {table(Organisation)} o "
            f"ON o.{quote(Organisation._meta.pk.column)}"
            f" = d.{column(Delegation, 'organisation')} "
            f"WHERE b.{quote(Badge._meta.pk.column)} = %s"
        )
        if connection.features.has_select_for_update_of:
            _badge_sql += " FOR UPDATE OF b"
    return _badge_sql


def _badge_locked(badge_id: int) -> Badge | None:
    """The badge ``badge_id``, its row locked until the transaction ends,
    with its participant and the delegation's organisation (the fields a
    scan reads: treat them as read-only), or None."""
    row = fetchone(_badge_locked_sql(), [badge_id])
    if row is None:
        return None
    n, m = len(_BADGE_COLUMNS), len(_PERSON_COLUMNS)
    badge = from_row(Badge, _BADGE_COLUMNS, row[:n])
    person = from_row(Participant, _PERSON_COLUMNS, row[n : n + m])
    organisation_id, organisation_name = row[n + m :]
    delegation = Delegation.from_db(
        connection.alias,
        ("id", "organisation_id"),
        (person.delegation_id, organisation_id),
    )
    delegation.organisation = Organisation.from_db(
        connection.alias, ("id", "name"), (organisation_id, organisation_name)
    )
    person.delegation = delegation
    badge.participant = person
    return badge


def _confirm_category(category_id: int) -> bool:
    facts = category_facts(category_id)
    return bool(facts and facts.requires_confirmation)


class _Outcome:
    __slots__ = ("verdict", "reason", "badge_id")

    def __init__(self, verdict: str, reason: str = "", badge_id: int | None = None):
        self.verdict, self.reason, self.badge_id = verdict, reason, badge_id


_PAYLOAD_VERDICT = {
    "malformed": (Verdict.UNKNOWN, Reason.MALFORMED),
    "bad_signature": (Verdict.UNKNOWN, Reason.BAD_SIGNATURE),
    "unknown_key": (Verdict.UNKNOWN, Reason.UNKNOWN_KEY),
    "retired_key": (Verdict.REVOKED, Reason.RETIRED_KEY),
}


def _resolve(code: str, event_id: int) -> _Outcome:
    """Which badge ``code`` names (a typed number or a signed QR text), or
    the verdict that settles it without one."""
    typed = _TYPED.match(code) if len(code) <= 20 else None
    if typed:
        number, version = int(typed.group(1)), typed.group(2)
        badges = Badge.objects.filter(event_id=event_id, number=number)
        if version:
            badges = badges.filter(version=int(version))
        found = list(
            badges.order_by("revoked_at", "-version").values_list("pk", "revoked_at")[
                :1
            ]
        )
        if not found:
            return _Outcome(Verdict.UNKNOWN, Reason.NO_SUCH_BADGE)
        return _Outcome("", "", found[0][0])
    try:
        payload, key_event_id = signing.verify(code)
    except signing.PayloadError as exc:
        verdict, reason = _PAYLOAD_VERDICT[exc.code]
        badge_id = exc.payload.badge_id if exc.payload else None
        if exc.payload and exc.payload.event_id != event_id:
            return _Outcome(Verdict.WRONG_EVENT, Reason.OTHER_EVENT)
        return _Outcome(
            verdict, reason, badge_id if verdict == Verdict.REVOKED else None
        )
    if key_event_id != event_id or payload.event_id != event_id:
        return _Outcome(Verdict.WRONG_EVENT, Reason.OTHER_EVENT)
    return _Outcome("", "", payload.badge_id)


def _first_entry(badge_id: int, zone_id: int, when: dt.datetime) -> bool:
    """Record the badge inside the zone if it has never been there (the
    morning rush: one query instead of a read and a write). False when it
    has a presence there already: the caller applies the zone's rules."""
    quote = connection.ops.quote_name
    table = Presence._meta
    columns = ", ".join(
        quote(table.get_field(name).column)
        for name in ("badge", "zone", "inside", "entries", "last_entry_at")
    )
    sql = (
        f"INSERT INTO {quote(table.db_table)} ({columns}) "
        "VALUES (%s, %s, %s, 1, %s) "
        f"ON CONFLICT ({quote(table.get_field('badge').column)}, "
        f"{quote(table.get_field('zone').column)}) DO NOTHING "
        f"RETURNING {quote(table.pk.column)}"
    )
    return fetchone(sql, [badge_id, zone_id, True, when]) is not None


def _settle(badge: Badge, gate: Gate, direction: str, when: dt.datetime) -> _Outcome:
    """The verdict for ``badge`` at ``gate`` (its row locked), and the
    presence updated for a valid scan."""
    if badge.event_id != gate.event_id:
        return _Outcome(Verdict.WRONG_EVENT, Reason.OTHER_EVENT, badge.pk)
    if badge.revoked_at is not None:
        return _Outcome(Verdict.REVOKED, Reason.BADGE_REVOKED, badge.pk)
    if badge.participant.status != ParticipantStatus.APPROVED:
        return _Outcome(Verdict.REVOKED, Reason.NOT_APPROVED, badge.pk)
    zone = gate.zone
    if zone.pk not in badge.zone_ids:
        return _Outcome(Verdict.ZONE_DENIED, Reason.NOT_IN_ZONE, badge.pk)
    if direction == Direction.ENTRY and _first_entry(badge.pk, zone.pk, when):
        return _Outcome(Verdict.VALID, Reason.NONE, badge.pk)
    presence = Presence.objects.filter(badge=badge, zone=zone).first()
    if direction == Direction.EXIT:
        reason = Reason.NONE if presence and presence.inside else Reason.NOT_INSIDE
        if presence is None:
            Presence.objects.create(
                badge=badge, zone=zone, inside=False, last_exit_at=when
            )
        elif (
            presence.inside or not presence.last_exit_at or presence.last_exit_at < when
        ):
            Presence.objects.filter(pk=presence.pk).update(
                inside=False, last_exit_at=when
            )
        return _Outcome(Verdict.VALID, reason, badge.pk)
    if presence is not None:
        if presence.inside and zone.exit_required:
            return _Outcome(Verdict.ALREADY_INSIDE, Reason.INSIDE, badge.pk)
        if presence.entries and not zone.reentry_allowed:
            return _Outcome(Verdict.ALREADY_INSIDE, Reason.NO_REENTRY, badge.pk)
        Presence.objects.filter(pk=presence.pk).update(
            inside=True, entries=presence.entries + 1, last_entry_at=when
        )
    else:
        Presence.objects.create(
            badge=badge, zone=zone, inside=True, entries=1, last_entry_at=when
        )
    return _Outcome(Verdict.VALID, Reason.NONE, badge.pk)


def _scan_time(scanned_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if scanned_at is None or scanned_at > now + _CLOCK_SKEW:
        return now
    return scanned_at


def scan_perform(
    *,
    gate: Gate,
    code: str,
    device: Device | None = None,
    nonce: str = "",
    scanned_at: dt.datetime | None = None,
    offline_verdict: str = "",
    uploaded: bool = False,
) -> tuple[Scan, bool]:
    """Settle one scan of ``code`` at ``gate`` and log it. Returns (scan,
    created). Idempotent per device and nonce: the same scan sent again
    returns the first one (created False) and changes nothing.

    ``offline_verdict`` is what the device showed when it scanned offline;
    ``uploaded`` marks a scan that came from a device's queue (late).
    Never raises for bad input: any code gets a verdict."""
    nonce = (nonce or "").replace("\x00", "")[:64]
    # A queue uploaded again is mostly scans already settled: look them up
    # first. A live scan is new (a retried request is caught by the unique
    # constraint below, and its transaction rolled back).
    if device is not None and nonce and uploaded:
        existing = Scan.objects.filter(device=device, nonce=nonce).first()
        if existing is not None:
            return existing, False
    if gate.event_id != (device.event_id if device else gate.event_id):
        raise ValidationError(_("This gate belongs to another event."))
    now = timezone.now()
    when = _scan_time(scanned_at, now)
    code = code if isinstance(code, str) else ""
    outcome = _resolve(code.strip(), gate.event_id)
    try:
        with transaction.atomic():
            badge = None
            if outcome.badge_id is not None:
                badge = _badge_locked(outcome.badge_id)
                if badge is None:
                    outcome = _Outcome(Verdict.UNKNOWN, Reason.NO_SUCH_BADGE)
                elif not outcome.verdict:
                    outcome = _settle(badge, gate, gate.direction, when)
            verdict = outcome.verdict
            offline_verdict = (
                offline_verdict if offline_verdict in Verdict.values else ""
            )
            scan = Scan(
                event_id=gate.event_id,
                gate=gate,
                device=device,
                nonce=nonce[:64],
                badge=badge,
                code="" if badge else code[:80].replace("\x00", "\ufffd"),
                direction=gate.direction,
                verdict=verdict,
                reason=outcome.reason,
                needs_confirmation=bool(
                    verdict == Verdict.VALID
                    and gate.direction == Direction.ENTRY
                    and badge is not None
                    and (badge.flagged or _confirm_category(badge.category_id))
                ),
                scanned_at=when,
                received_at=now,
                offline=bool(offline_verdict),
                offline_verdict=offline_verdict,
                disputed=offline_verdict == Verdict.VALID and verdict != Verdict.VALID,
                late=uploaded or now - when > LATE_AFTER,
            )
            insert_row(scan)
    except IntegrityError:
        # The same device and nonce, sent twice at once: the other one won.
        existing = Scan.objects.filter(device=device, nonce=nonce[:64]).first()
        if existing is None:
            raise
        return existing, False
    return scan, True


@transaction.atomic
def scan_confirm(*, scan: Scan, confirmed: bool, device: Device | None = None) -> Scan:
    """The operator's answer to a scan that waited for confirmation (VIP,
    flagged). Refused: the entry it recorded is taken back (the person is
    not inside). Idempotent; only the scanning device may answer."""
    scan = Scan.objects.select_for_update().get(pk=scan.pk)
    if device is not None and scan.device_id != device.pk:
        raise ValidationError(_("Another device made this scan."))
    if not scan.needs_confirmation:
        raise ValidationError(_("This scan does not wait for a confirmation."))
    if scan.confirmed is not None:
        return scan
    scan.confirmed = confirmed
    scan.save(update_fields=["confirmed"])
    if not confirmed and scan.badge_id:
        Badge.objects.select_for_update().filter(pk=scan.badge_id).first()
        presence = Presence.objects.filter(
            badge_id=scan.badge_id, zone_id=scan.gate.zone_id
        ).first()
        if presence is not None and presence.inside:
            presence.inside = False
            presence.entries = max(presence.entries - 1, 0)
            presence.save(update_fields=["inside", "entries"])
    return scan


def scan_upload(
    *, device: Device, scans: list[dict], operator: AbstractBaseUser | None = None
) -> list[tuple[Scan, bool]]:
    """Settle a device's queued scans in the order given (each on its own,
    idempotent by nonce). Each item: gate (a Gate of the device's event),
    code, nonce, scanned_at, offline_verdict."""
    results = []
    for item in scans:
        results.append(
            scan_perform(
                gate=item["gate"],
                code=item["code"],
                device=device,
                nonce=item["nonce"],
                scanned_at=item.get("scanned_at"),
                offline_verdict=item.get("offline_verdict", ""),
                uploaded=True,
            )
        )
    return results
