"""Badges: issued at approval (never before), reprinted with a reason (the
old one revoked), revoked, flagged for a closer look at the gate."""

from __future__ import annotations

import hashlib

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
from ..models import Badge, BadgeCategory
from .categories import category_for
from .keys import private_key, signing_key_active


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


@transaction.atomic
def badge_flag(*, badge: Badge, flagged: bool, note: str = "") -> Badge:
    """Flag (or unflag) a badge: a valid scan of it then waits for the
    operator's confirmation. Not part of the signed payload: the device
    learns it from the server (online) or its last badge fetch."""
    badge = Badge.objects.select_for_update().get(pk=badge.pk)
    badge.flagged = flagged
    badge.flag_note = (note or "").strip()[:255] if flagged else ""
    badge.full_clean(validate_constraints=False)
    badge.save(update_fields=["flagged", "flag_note", "updated_at"])
    return badge
