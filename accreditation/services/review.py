"""The review: accreditation officers approve or reject submitted
participants. The participant's status is delegations' (through
``participant_decide``); the decision (who, when, why, what was reviewed) is
recorded here, the badge is issued at approval, and the mail goes through
the outbox in the participant's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from delegations.enums import ParticipantStatus
from delegations.fields import REVIEWED_FIELDS
from delegations.models import Participant
from delegations.services import participant_decide
from hanoi_event.links import absolute_reverse
from hanoi_event.services import email_queue

from ..enums import Decision
from ..mail import ACCREDITATION_APPROVED, ACCREDITATION_REJECTED
from ..models import AccreditationDecision, Badge
from .badges import badge_ensure, badge_revoke
from .categories import badge_categories_ensure


def _snapshot_value(participant: Participant, name: str) -> Any:
    value = getattr(participant, name)
    if name == "photo":
        return value.name or ""
    if name == "nationality":
        return participant.nationality_id
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def review_snapshot(participant: Participant) -> dict[str, Any]:
    """The reviewed fields as JSON values."""
    return {name: _snapshot_value(participant, name) for name in REVIEWED_FIELDS}


def last_decision(participant: Participant) -> AccreditationDecision | None:
    return participant.accreditation_decisions.order_by("-decided_at", "-pk").first()


def changed_since_last_review(
    participant: Participant,
    *,
    decisions: list[AccreditationDecision] | None = None,
) -> list[str] | None:
    """Names of the reviewed fields that changed since the last decision;
    None if there was none. ``decisions``: the participant's decisions
    newest first, when a list already read them (no query then)."""
    if decisions is None:
        decision = last_decision(participant)
    else:
        decision = decisions[0] if decisions else None
    if decision is None:
        return None
    now = review_snapshot(participant)
    return [
        name for name in REVIEWED_FIELDS if decision.snapshot.get(name) != now[name]
    ]


def _record(
    participant: Participant, decision: str, reason: str, by: AbstractBaseUser | None
) -> AccreditationDecision:
    row = AccreditationDecision(
        event_id=participant.event_id,
        participant=participant,
        decision=decision,
        reason=reason,
        decided_by=by,
        decided_at=participant.decided_at,
        snapshot=review_snapshot(participant),
    )
    row.full_clean()
    row.save()
    return row


def _mail_approved(participant: Participant, row: AccreditationDecision, badge: Badge):
    email_queue(
        to=participant.email,
        kind=ACCREDITATION_APPROVED,
        context={
            "participant_name": participant.full_name,
            "organisation_name": str(participant.delegation.organisation),
            "badge_number": badge.display_number,
            "badge_category": badge.category.name,
            "portal_url": absolute_reverse("portal:participant", participant.pk),
        },
        language=participant.preferred_language,
        idempotency_key=f"accreditation_approved:{participant.pk}:{row.pk}",
        about=participant,
        event=participant.event,
    )


def _mail_rejected(participant: Participant, row: AccreditationDecision):
    email_queue(
        to=participant.email,
        kind=ACCREDITATION_REJECTED,
        context={
            "participant_name": participant.full_name,
            "organisation_name": str(participant.delegation.organisation),
            "reason": row.reason,
            "portal_url": absolute_reverse("portal:participant", participant.pk),
        },
        language=participant.preferred_language,
        idempotency_key=f"accreditation_rejected:{participant.pk}:{row.pk}",
        about=participant,
        event=participant.event,
    )


@transaction.atomic
def accreditation_approve(
    *,
    participant: Participant,
    decided_by: AbstractBaseUser | None,
    categories: dict | None = None,
) -> AccreditationDecision | None:
    """Approve a submitted participant: status approved (delegations), the
    decision recorded, the badge issued, the mail queued. Idempotent: an
    approved participant is left as is and None is returned."""
    participant, changed = participant_decide(
        participant=participant,
        status=ParticipantStatus.APPROVED,
        decided_by=decided_by,
    )
    if not changed:
        return None
    row = _record(participant, Decision.APPROVED, "", decided_by)
    badge = badge_ensure(participant=participant, by=decided_by, categories=categories)
    _mail_approved(participant, row, badge)
    return row


@transaction.atomic
def accreditation_reject(
    *, participant: Participant, reason: str, decided_by: AbstractBaseUser | None
) -> AccreditationDecision | None:
    """Reject a submitted participant (or take an approval back) with a
    reason, which is mailed. A valid badge is revoked. Idempotent: the same
    rejection again returns None and sends nothing."""
    reason = (reason or "").strip()
    participant, changed = participant_decide(
        participant=participant,
        status=ParticipantStatus.REJECTED,
        reason=reason,
        decided_by=decided_by,
    )
    if not changed:
        return None
    row = _record(participant, Decision.REJECTED, reason, decided_by)
    for badge in Badge.objects.filter(participant=participant, revoked_at__isnull=True):
        badge_revoke(
            badge=badge,
            reason=str(_("Accreditation rejected: %(reason)s") % {"reason": reason})[
                :255
            ],
            by=decided_by,
        )
    _mail_rejected(participant, row)
    return row


def accreditation_approve_many(
    *, participants: Iterable[Participant], decided_by: AbstractBaseUser | None
) -> tuple[int, list[str]]:
    """Approve each submitted participant in ``participants`` (each in its
    own transaction, so one that cannot be approved stops no other).
    Returns (how many were approved now, messages about the ones skipped)."""
    approved = 0
    problems: list[str] = []
    categories_by_event: dict[int, dict] = {}
    for participant in participants:
        if participant.status != ParticipantStatus.SUBMITTED:
            if participant.status != ParticipantStatus.APPROVED:
                problems.append(
                    str(
                        _("%(name)s is %(status)s: not approved.")
                        % {
                            "name": participant.full_name,
                            "status": participant.get_status_display().lower(),
                        }
                    )
                )
            continue
        categories = categories_by_event.get(participant.event_id)
        if categories is None:
            categories = categories_by_event[participant.event_id] = (
                badge_categories_ensure(event=participant.event)
            )
        try:
            if accreditation_approve(
                participant=participant, decided_by=decided_by, categories=categories
            ):
                approved += 1
        except ValidationError as exc:
            problems.append(f"{participant.full_name}: {' '.join(exc.messages)}")
    return approved, problems
