"""Badges: issued at approval (never before), reprinted with a reason (the
old one revoked), revoked, flagged for a closer look at the gate (and
unflagged), each flag change recorded."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delegations.enums import ParticipantStatus
from delegations.models import Participant
from hanoi_event.models import Event

from .. import signing
from ..models import Badge, BadgeCategory, BadgeFlagChange, CategoryChoice
from .categories import badge_categories_ensure, category_for, default_category_code
from .keys import private_key, signing_key_active
from .photos import badge_photo_copies_on_commit


def fingerprint(participant: Participant, category: BadgeCategory) -> str:
    """What is printed on the badge, hashed: when it changes, the badge must
    be printed again."""
    printed = "\x1f".join(
        (
            participant.honorific,
            participant.given_names,
            participant.family_name,
            participant.photo.name or "",
            str(participant.delegation_id),
            str(category.pk),
            category.label,
            category.colour,
        )
    )
    return hashlib.sha256(printed.encode()).hexdigest()


def valid_badge(participant: Participant) -> Badge | None:
    return Badge.objects.filter(
        participant=participant, revoked_at__isnull=True
    ).first()


def badge_qr_text(badge: Badge) -> str:
    """The signed text of the badge's QR code."""
    payload = signing.BadgePayload(
        key_id=badge.key.key_id,
        event_id=badge.event_id,
        badge_id=badge.pk,
        number=badge.number,
        version=badge.version,
        category_id=badge.category_id,
        zone_ids=tuple(badge.zone_ids),
    )
    return signing.sign(payload, private_key(badge.key))


def _next_number(event_id: int) -> int:
    # The event's row lock makes numbering one at a time.
    Event.objects.select_for_update().only("pk").get(pk=event_id)
    current = Badge.objects.filter(event_id=event_id).aggregate(m=Max("number"))["m"]
    return (current or 0) + 1


def _issue(
    *,
    participant: Participant,
    category: BadgeCategory,
    by: AbstractBaseUser | None,
    reason: str,
    number: int | None = None,
    version: int = 1,
    flagged: bool = False,
    flag_note: str = "",
) -> Badge:
    badge = Badge(
        event_id=participant.event_id,
        participant=participant,
        number=number or _next_number(participant.event_id),
        version=version,
        category=category,
        zone_ids=sorted(category.zones.values_list("pk", flat=True)),
        key=signing_key_active(event=participant.event),
        fingerprint=fingerprint(participant, category),
        flagged=flagged,
        flag_note=flag_note,
        issued_at=timezone.now(),
        issued_by=by,
        issue_reason=reason,
    )
    badge.full_clean(validate_constraints=False)
    badge.save()
    # The photo printed on it, made small for printing in the background.
    badge_photo_copies_on_commit([participant])
    return badge


def _revoke(badge: Badge, *, reason: str, by: AbstractBaseUser | None) -> None:
    badge.revoked_at = timezone.now()
    badge.revoked_by = by
    badge.revoke_reason = reason[:255]
    badge.save(
        update_fields=["revoked_at", "revoked_by", "revoke_reason", "updated_at"]
    )


@transaction.atomic
def badge_ensure(
    *,
    participant: Participant,
    by: AbstractBaseUser | None,
    categories: dict[str, BadgeCategory] | None = None,
) -> Badge:
    """The approved participant's valid badge: issued if there is none,
    reprinted if what it shows changed (name, photo, category). Refused
    before approval. Idempotent."""
    if participant.status != ParticipantStatus.APPROVED:
        raise ValidationError(_("No badge before the accreditation is approved."))
    category = category_for(participant, categories)
    current = (
        Badge.objects.select_for_update()
        .filter(participant=participant, revoked_at__isnull=True)
        .first()
    )
    if current is None:
        previous = (
            Badge.objects.filter(participant=participant).order_by("-version").first()
        )
        return _issue(
            participant=participant,
            category=category,
            by=by,
            reason=str(_("Accreditation approved")),
            number=previous.number if previous else None,
            version=previous.version + 1 if previous else 1,
        )
    if current.fingerprint == fingerprint(participant, category):
        return current
    return badge_reprint(
        badge=current, reason=str(_("The record changed")), by=by, category=category
    )


@transaction.atomic
def badges_issue_many(
    *, event: Event, participants: Iterable[Participant], by: AbstractBaseUser | None
) -> list[Badge]:
    """A first badge for each approved participant of ``event`` in
    ``participants`` who never had one (a whole delegation, an import, the
    demo): the badges ``badge_ensure`` would issue, numbered in order, written
    in bulk (a few queries for any number; pass the participants with their
    delegation's organisation selected). Others are skipped (a revoked badge
    is reprinted by ``badge_ensure``). Idempotent."""
    people = [
        p
        for p in participants
        if p.status == ParticipantStatus.APPROVED and p.event_id == event.pk
    ]
    if not people:
        return []
    # The event's row lock makes numbering one at a time (as _next_number).
    Event.objects.select_for_update().only("pk").get(pk=event.pk)
    has_badge = set(
        Badge.objects.filter(participant__in=people).values_list(
            "participant_id", flat=True
        )
    )
    people = [p for p in people if p.pk not in has_badge]
    if not people:
        return []
    categories = badge_categories_ensure(event=event)
    chosen = dict(
        CategoryChoice.objects.filter(participant__in=people)
        .select_related("category")
        .values_list("participant_id", "category")
    )
    by_pk = {c.pk: c for c in categories.values()}
    zones = {c.pk: [] for c in categories.values()}
    for category_id, zone_id in BadgeCategory.zones.through.objects.filter(
        badgecategory__event=event
    ).values_list("badgecategory_id", "zone_id"):
        zones.setdefault(category_id, []).append(zone_id)
    key = signing_key_active(event=event)
    number = Badge.objects.filter(event=event).aggregate(m=Max("number"))["m"] or 0
    now = timezone.now()
    reason = str(_("Accreditation approved"))
    badges = []
    for participant in people:
        category_id = chosen.get(participant.pk)
        if category_id not in by_pk:
            category_id = categories[default_category_code(participant)].pk
        category = by_pk[category_id]
        number += 1
        badge = Badge(
            event=event,
            participant=participant,
            number=number,
            version=1,
            category=category,
            zone_ids=sorted(zones.get(category_id, ())),
            key=key,
            fingerprint=fingerprint(participant, category),
            issued_at=now,
            issued_by=by,
            issue_reason=reason,
        )
        badge.clean_fields(exclude=["event", "participant", "category", "key"])
        badges.append(badge)
    created = Badge.objects.bulk_create(badges, batch_size=1000)
    badge_photo_copies_on_commit(people)
    return created


@transaction.atomic
def badge_reprint(
    *,
    badge: Badge,
    reason: str,
    by: AbstractBaseUser | None,
    category: BadgeCategory | None = None,
) -> Badge:
    """Revoke ``badge`` and issue the next version with the same number (a
    reason is required). Returns the new badge."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the reprint.")})
    badge = (
        Badge.objects.select_for_update().select_related("participant").get(pk=badge.pk)
    )
    if badge.revoked_at is not None:
        raise ValidationError(_("This badge is revoked: reprint the valid one."))
    participant = badge.participant
    if participant.status != ParticipantStatus.APPROVED:
        raise ValidationError(_("No badge before the accreditation is approved."))
    _revoke(badge, reason=str(_("Reprinted: %(reason)s") % {"reason": reason}), by=by)
    latest = Badge.objects.filter(participant=participant).aggregate(v=Max("version"))
    return _issue(
        participant=participant,
        category=category or category_for(participant),
        by=by,
        reason=reason,
        number=badge.number,
        version=latest["v"] + 1,
        flagged=badge.flagged,
        flag_note=badge.flag_note,
    )


@transaction.atomic
def badge_revoke(*, badge: Badge, reason: str, by: AbstractBaseUser | None) -> Badge:
    """Revoke ``badge`` (a reason is required). Idempotent."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking.")})
    badge = Badge.objects.select_for_update().get(pk=badge.pk)
    if badge.revoked_at is None:
        _revoke(badge, reason=reason, by=by)
    return badge


def _flag_change(
    *,
    badge: Badge,
    flagged: bool,
    note: str,
    reason: str,
    by: AbstractBaseUser | None,
) -> Badge:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    badge = Badge.objects.select_for_update().get(pk=badge.pk)
    if badge.revoked_at is not None:
        raise ValidationError(_("This badge is revoked: change the valid one."))
    note = " ".join((note or "").split())[:255] if flagged else ""
    if badge.flagged == flagged and badge.flag_note == note:
        return badge
    badge.flagged = flagged
    badge.flag_note = note
    badge.full_clean(validate_constraints=False)
    badge.save(update_fields=["flagged", "flag_note", "updated_at"])
    change = BadgeFlagChange(
        badge=badge,
        flagged=flagged,
        note=note,
        reason=reason,
        changed_by=by,
        changed_at=badge.updated_at,
    )
    change.full_clean()
    change.save()
    return badge


@transaction.atomic
def badge_flag(
    *, badge: Badge, reason: str, by: AbstractBaseUser | None, note: str = ""
) -> Badge:
    """Flag a valid badge: a valid scan of it then waits for the operator to
    confirm after looking at the photo, and the scanner shows ``note``. A
    reason is required; the change is recorded (who, when, why). Flagging
    again with the same note changes and records nothing. Not part of the
    signed payload: a device learns it from the server (online) or its last
    badge fetch; a reprint keeps it."""
    return _flag_change(badge=badge, flagged=True, note=note, reason=reason, by=by)


@transaction.atomic
def badge_unflag(*, badge: Badge, reason: str, by: AbstractBaseUser | None) -> Badge:
    """Take a badge's flag away (a reason is required; recorded as for
    ``badge_flag``). Idempotent: an unflagged badge is left as is."""
    return _flag_change(badge=badge, flagged=False, note="", reason=reason, by=by)
