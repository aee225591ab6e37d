"""Reads of the check-in app: what a device may fetch, what staff see live."""

from __future__ import annotations

import datetime as dt
import time

from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from accreditation.models import Badge, BadgeCategory, SigningKey, Zone
from delegations.enums import ParticipantStatus
from hanoi_event.formatting import format_datetime
from hanoi_event.models import Event

from .enums import Direction, Verdict
from .models import Gate, Presence, Scan

# Gates (with their zone's rules) are read on every scan and change rarely:
# kept for a few seconds per process, as the public keys and categories. A
# save or delete of a gate or zone in this process clears the copy at once;
# other processes see an edit within the TTL.
_GATE_TTL_SECONDS = 10.0
_gates: dict[tuple[int, int], tuple[float, Gate]] = {}
_GATE_FIELDS = (
    "event_id",
    "zone_id",
    "direction",
    "zone__event_id",
    "zone__reentry_allowed",
    "zone__exit_required",
)


def _gates_forget(**kwargs) -> None:
    _gates.clear()


for _model in (Gate, Zone):
    post_save.connect(_gates_forget, sender=_model)
    post_delete.connect(_gates_forget, sender=_model)


def gate_for_scan(event_id: int, gate_id: int) -> Gate | None:
    """The event's gate ``gate_id`` with its zone's rules (only what a scan
    reads; treat it as read-only), or None."""
    key = (event_id, gate_id)
    cached = _gates.get(key)
    if cached is not None and time.monotonic() - cached[0] < _GATE_TTL_SECONDS:
        return cached[1]
    gate = next(
        iter(
            Gate.objects.select_related("zone")
            .only(*_GATE_FIELDS)
            .filter(pk=gate_id, event_id=event_id)
            .order_by()
        ),
        None,
    )
    if gate is None:
        _gates.pop(key, None)
        return None
    if len(_gates) > 1024:
        _gates.clear()
    _gates[key] = (time.monotonic(), gate)
    return gate


def keys_for_event(event: Event) -> list[dict]:
    return [
        {
            "key_id": key.key_id,
            "public_key": key.public_key,
            "retired": key.retired_at is not None,
        }
        for key in SigningKey.objects.filter(event=event).order_by("created_at")
    ]


def badges_changed(event: Event, since: dt.datetime | None) -> list[dict]:
    """Badge facts a device needs offline (no names, no photos): id, number,
    version, category, zones, flagged, revoked; changed since ``since``."""
    badges = Badge.objects.filter(event=event)
    if since is not None:
        badges = badges.filter(updated_at__gt=since)
    return [
        {
            "id": pk,
            "number": number,
            "version": version,
            "category_id": category_id,
            "zone_ids": zone_ids,
            "flagged": flagged,
            "revoked": revoked_at is not None,
        }
        for pk, number, version, category_id, zone_ids, flagged, revoked_at in badges.values_list(
            "pk",
            "number",
            "version",
            "category_id",
            "zone_ids",
            "flagged",
            "revoked_at",
        ).order_by("pk")
    ]


def revocations_since(event: Event, since: dt.datetime | None) -> list[int]:
    """Ids of badges no longer valid: revoked, or whose participant is no
    longer approved (withdrawn, back under review), changed since ``since``."""
    revoked = Badge.objects.filter(event=event, revoked_at__isnull=False)
    unapproved = Badge.objects.filter(event=event, revoked_at__isnull=True).exclude(
        participant__status=ParticipantStatus.APPROVED
    )
    if since is not None:
        revoked = revoked.filter(revoked_at__gt=since)
        unapproved = unapproved.filter(participant__updated_at__gt=since)
    return sorted(
        set(revoked.values_list("pk", flat=True))
        | set(unapproved.values_list("pk", flat=True))
    )


def live_counts(event: Event) -> dict:
    """Inside now and entered today, per zone, gate and category (today in
    the event's time zone)."""
    tz = event.tzinfo
    now = timezone.now()
    start = dt.datetime.combine(timezone.localtime(now, tz).date(), dt.time(), tz)
    inside = Presence.objects.filter(zone__event=event, inside=True)
    per_zone = dict(inside.values_list("zone__name").annotate(n=Count("pk")))
    per_category = dict(
        inside.values_list("badge__category__name").annotate(
            n=Count("badge", distinct=True)
        )
    )
    entries_today = Scan.objects.filter(
        event=event,
        verdict=Verdict.VALID,
        direction=Direction.ENTRY,
        scanned_at__gte=start,
    ).exclude(confirmed=False)
    per_gate = dict(entries_today.values_list("gate__name").annotate(n=Count("pk")))
    zones = list(event.zones.order_by("name").values_list("name", flat=True))
    gates = list(
        Gate.objects.filter(event=event).order_by("name").values_list("name", flat=True)
    )
    categories = list(
        BadgeCategory.objects.filter(event=event)
        .order_by("position", "name")
        .values_list("name", flat=True)
    )
    return {
        "inside_now": inside.values("badge").distinct().count(),
        "entered_today": entries_today.values("badge").distinct().count(),
        "zones": [{"name": z, "inside": per_zone.get(z, 0)} for z in zones],
        "gates": [{"name": g, "entries_today": per_gate.get(g, 0)} for g in gates],
        "categories": [
            {"name": c, "inside": per_category.get(c, 0)} for c in categories
        ],
        "disputed": Scan.objects.filter(event=event, disputed=True).count(),
        "as_of": format_datetime(now, "time_seconds", tz=tz),
    }
