"""Delegations and their members: nominations within the role quotas, the
members' own data, submission for accreditation, withdrawal, the note
verbale, and the delegation's status rolled up from its members."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hanoi_event.links import absolute_reverse, absolute_url
from hanoi_event.services import email_queue

from ..enums import DelegationRole, DelegationStatus, ParticipantStatus, ProtocolRank
from ..fields import (
    DELEGATION_ROLE_FIELDS,
    PROFILE_FIELDS,
    REVIEWED_FIELDS,
    missing_labels,
)
from ..mail import MEMBER_INVITATION, REGISTRATION_RECEIVED
from ..models import Delegation, DelegationRoleQuota, Participant
from ..selectors import focal_point_name
from ._mail import date_in_email_language


def delegation_status_from_members(delegation: Delegation) -> str:
    """What the delegation's status should be, from its members."""
    if delegation.status == DelegationStatus.DECLINED:
        return delegation.status
    if delegation.focal_point_id is None and delegation.status in (
        DelegationStatus.NOT_INVITED,
        DelegationStatus.INVITED,
    ):
        return delegation.status
    statuses = list(
        delegation.members.exclude(status=ParticipantStatus.WITHDRAWN).values_list(
            "status", flat=True
        )
    )
    if statuses and all(s == ParticipantStatus.APPROVED for s in statuses):
        return DelegationStatus.ACCREDITED
    if (
        delegation.submitted_at
        and statuses
        and all(
            s in (ParticipantStatus.SUBMITTED, ParticipantStatus.APPROVED)
            for s in statuses
        )
    ):
        return DelegationStatus.SUBMITTED
    return DelegationStatus.REGISTERING


def delegation_recompute_status(*, delegation: Delegation) -> Delegation:
    """Set the delegation's status from its members (idempotent)."""
    status = delegation_status_from_members(delegation)
    if status != delegation.status:
        delegation.status = status
        delegation.save(update_fields=["status", "updated_at"])
    return delegation


def _quota_check(*, delegation: Delegation, role: str, exclude_pk=None) -> None:
    quota = DelegationRoleQuota.objects.filter(
        event_id=delegation.event_id, role=role
    ).first()
    if quota is None:
        return
    taken = delegation.members.filter(role=role).exclude(
        status=ParticipantStatus.WITHDRAWN
    )
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    count = taken.count()
    if count >= quota.max_count:
        raise ValidationError(
            {
                "role": _(
                    "The quota for %(role)s is %(max)s per delegation, and this "
                    "delegation already has %(count)s. Choose another role or "
                    "withdraw a member first."
                )
                % {
                    "role": quota.get_role_display(),
                    "max": quota.max_count,
                    "count": count,
                }
            }
        )


@transaction.atomic
def participant_nominate(
    *,
    delegation: Delegation,
    email: str,
    given_names: str,
    family_name: str,
    role: str,
) -> Participant:
    """Add a member to ``delegation``, within the role's quota.

    Idempotent: the same email in the same delegation returns the existing
    member (a form posted twice creates one record)."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    email = (email or "").strip().lower()
    existing = Participant.objects.filter(
        event_id=delegation.event_id, email__iexact=email
    ).first()
    if existing is not None:
        if existing.delegation_id == delegation.pk:
            return existing
        raise ValidationError(
            {"email": _("This person is already registered for this event.")}
        )
    _quota_check(delegation=delegation, role=role)
    participant = Participant(
        event_id=delegation.event_id,
        delegation=delegation,
        email=email,
        given_names=given_names.strip(),
        family_name=family_name.strip(),
        role=role,
        # A Head of Delegation ranks at least as an ambassador (protocol
        # order, speaking list) until the focal point sets the real rank.
        protocol_rank=ProtocolRank.AMBASSADOR
        if role == DelegationRole.HEAD
        else ProtocolRank.OFFICIAL,
        status=ParticipantStatus.NOMINATED,
    )
    participant.full_clean()
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"email": _("This person is already registered for this event.")}
        ) from exc
    user = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    if user is not None:
        participant.user = user.user
        participant.save(update_fields=["user", "updated_at"])
    delegation_recompute_status(delegation=delegation)
    return participant


def _complete_by(event) -> dt.date | None:
    """The date a member should complete their registration by: the
    registration deadline (else the first day), in the event's time zone;
    None once it has passed (an email never gives a date in the past)."""
    today = timezone.localdate(timezone=event.tzinfo)
    due = (
        timezone.localtime(event.registration_deadline, event.tzinfo).date()
        if event.registration_deadline
        else event.start_date
    )
    return due if due >= today else None


def participant_send_link(*, participant: Participant) -> None:
    """Email the member a link to complete their own registration, naming the
    focal point who sent it. Sent at most once a minute (the idempotency key
    has the minute in it)."""
    delegation = participant.delegation
    event = delegation.event
    query = urlencode(
        {"email": participant.email, "next": reverse("portal:registration")}
    )
    complete_by = _complete_by(event)
    email_queue(
        to=participant.email,
        kind=MEMBER_INVITATION,
        context={
            "recipient_name": participant.full_name,
            "organisation_name": str(delegation.organisation),
            "focal_point_name": focal_point_name(delegation),
            "focal_point_email": delegation.focal_point.email
            if delegation.focal_point
            else "",
            "profile_url": absolute_url(reverse("account_signup") + "?" + query),
            "expires_on": date_in_email_language(
                complete_by,
                kind=MEMBER_INVITATION,
                language=participant.preferred_language,
            )
            if complete_by
            else "",
        },
        language=participant.preferred_language,
        idempotency_key=(
            f"member_invitation:{participant.pk}:{timezone.now():%Y%m%d%H%M}"
        ),
        about=participant,
        event=event,
    )


def _reviewed_value(participant: Participant, name: str):
    value = getattr(participant, name)
    if name == "photo":
        return value.name or ""
    if name == "nationality":
        return participant.nationality_id
    return value


def _lock_member(participant: Participant) -> Participant:
    """Lock the member's delegation, then the member, and return the member
    fresh. Every service that changes a member and then the delegation's
    status takes the two locks in this order, as delegation_submit does, so
    two of them at once wait for each other instead of deadlocking."""
    Delegation.objects.select_for_update().only("pk").get(pk=participant.delegation_id)
    return (
        Participant.objects.select_for_update(of=("self",))
        .select_related("delegation__event")
        .get(pk=participant.pk)
    )


# What participant_update may write: the profile and the role in the
# delegation (the photo comes separately, checked and re-encoded). Status and
# decisions belong to the review; the account and the delegation to other
# services.
UPDATABLE_FIELDS = frozenset((*PROFILE_FIELDS, *DELEGATION_ROLE_FIELDS))


@transaction.atomic
def participant_update(
    *,
    participant: Participant,
    data: dict,
    photo: ContentFile | None = None,
) -> Participant:
    """Change a member's data: only the ``UPDATABLE_FIELDS`` in ``data`` are
    written, whatever else the dict holds. Refused once withdrawn. A change to
    a reviewed field (name, passport, photo, role, rank) of an approved
    record sends it back for review."""
    # The delegation's lock also makes quota checks one at a time, as in
    # participant_nominate.
    participant = _lock_member(participant)
    if participant.status == ParticipantStatus.WITHDRAWN:
        raise ValidationError(_("This registration was withdrawn."))
    before = {name: _reviewed_value(participant, name) for name in REVIEWED_FIELDS}
    if "role" in data and data["role"] != participant.role:
        _quota_check(
            delegation=participant.delegation,
            role=data["role"],
            exclude_pk=participant.pk,
        )
    for name, value in data.items():
        if name in UPDATABLE_FIELDS:
            setattr(participant, name, value)
    if photo is not None:
        participant.photo.save(photo.name, photo, save=False)
    changed = any(
        _reviewed_value(participant, name) != before[name] for name in REVIEWED_FIELDS
    )
    if changed and participant.status == ParticipantStatus.APPROVED:
        participant.status = ParticipantStatus.SUBMITTED
        participant.submitted_at = timezone.now()
        participant.decided_at = None
    participant.full_clean()
    participant.save()
    delegation_recompute_status(delegation=participant.delegation)
    return participant


def participant_missing(participant: Participant) -> list[str]:
    """Labels of what a member still has to give before submitting (the one
    rule, ``fields.missing_fields``)."""
    return missing_labels(participant)


@transaction.atomic
def participant_submit(*, participant: Participant) -> Participant:
    """Send a complete record to the accreditation team. Idempotent: an
    already submitted or approved record is returned unchanged."""
    participant = _lock_member(participant)
    if participant.status in (ParticipantStatus.SUBMITTED, ParticipantStatus.APPROVED):
        return participant
    if participant.status == ParticipantStatus.WITHDRAWN:
        raise ValidationError(_("This registration was withdrawn."))
    missing = participant_missing(participant)
    if missing:
        raise ValidationError(
            _("Still missing: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    participant.status = ParticipantStatus.SUBMITTED
    participant.submitted_at = timezone.now()
    participant.rejection_reason = ""
    participant.full_clean()
    participant.save()
    event = participant.delegation.event
    email_queue(
        to=participant.email,
        kind=REGISTRATION_RECEIVED,
        context={
            "participant_name": participant.full_name,
            "organisation_name": str(participant.delegation.organisation),
            "portal_url": absolute_reverse("portal:participant", participant.pk),
        },
        language=participant.preferred_language,
        idempotency_key=(
            f"registration_received:{participant.pk}:"
            f"{participant.submitted_at.isoformat()}"
        ),
        about=participant,
        event=event,
    )
    delegation_recompute_status(delegation=participant.delegation)
    return participant


@transaction.atomic
def participant_withdraw(*, participant: Participant) -> Participant:
    """Withdraw a registration (idempotent)."""
    participant = _lock_member(participant)
    if participant.status != ParticipantStatus.WITHDRAWN:
        participant.status = ParticipantStatus.WITHDRAWN
        participant.save(update_fields=["status", "updated_at"])
        delegation_recompute_status(delegation=participant.delegation)
    return participant


@transaction.atomic
def participants_claim_for_user(*, user: AbstractBaseUser) -> int:
    """Link members nominated with one of ``user``'s verified addresses to
    the account. Returns how many were linked."""
    emails = list(
        EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    )
    linked = 0
    for email in emails:
        linked += Participant.objects.filter(
            email__iexact=email, user__isnull=True
        ).update(user=user, updated_at=timezone.now())
    return linked


@transaction.atomic
def delegation_upload_note_verbale(
    *, delegation: Delegation, document: ContentFile
) -> Delegation:
    """Store the (already checked) PDF, replacing any earlier one."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    old_name = delegation.note_verbale.name if delegation.note_verbale else ""
    delegation.note_verbale.save(document.name, document, save=False)
    delegation.note_verbale_uploaded_at = timezone.now()
    delegation.full_clean()
    delegation.save()
    if old_name and old_name != delegation.note_verbale.name:
        storage = delegation.note_verbale.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return delegation


@transaction.atomic
def delegation_submit(*, delegation: Delegation) -> Delegation:
    """Submit the delegation for accreditation: needs the note verbale and at
    least one member, every member complete. Idempotent."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    problems = []
    if not delegation.note_verbale:
        problems.append(_("Upload the note verbale or letter of credentials."))
    members = list(delegation.members.exclude(status=ParticipantStatus.WITHDRAWN))
    if not members:
        problems.append(_("Nominate at least one member."))
    for member in members:
        if member.status in (ParticipantStatus.NOMINATED, ParticipantStatus.REJECTED):
            missing = participant_missing(member)
            if missing:
                problems.append(
                    _("%(name)s: still missing %(fields)s.")
                    % {"name": member.full_name, "fields": ", ".join(missing)}
                )
    if problems:
        raise ValidationError(problems)
    for member in members:
        if member.status in (ParticipantStatus.NOMINATED, ParticipantStatus.REJECTED):
            participant_submit(participant=member)
    if delegation.submitted_at is None:
        delegation.submitted_at = timezone.now()
        delegation.save(update_fields=["submitted_at", "updated_at"])
    delegation.refresh_from_db()
    return delegation_recompute_status(delegation=delegation)


# The review's decisions: from "submitted" to approved or rejected, and an
# approval taken back (approved to rejected). A rejected record comes back
# through participant_submit.
_DECISIONS_FROM = {
    ParticipantStatus.APPROVED: (ParticipantStatus.SUBMITTED,),
    ParticipantStatus.REJECTED: (
        ParticipantStatus.SUBMITTED,
        ParticipantStatus.APPROVED,
    ),
}


@transaction.atomic
def participant_decide(
    *,
    participant: Participant,
    status: str,
    reason: str = "",
    decided_by: AbstractBaseUser | None = None,
) -> tuple[Participant, bool]:
    """Write the review's decision on a member: ``status`` approved or
    rejected (a reason is required for a rejection), ``decided_at`` now, and
    the delegation's status. Called by the accreditation services, which
    record who decided and send the mail; nothing else changes a member's
    status to a decision. ``decided_by`` is written to the record's history.

    Returns ``(participant, changed)``. Idempotent: the same decision again
    changes nothing (``changed`` False). A decision on a record that is not
    waiting for one (nominated, withdrawn, rejected and not resubmitted) is a
    ValidationError and changes nothing."""
    if status not in _DECISIONS_FROM:
        raise ValidationError({"status": _("A decision approves or rejects.")})
    reason = (reason or "").strip()
    if status == ParticipantStatus.REJECTED and not reason:
        raise ValidationError(
            {"rejection_reason": _("Give the reason for the rejection.")}
        )
    participant = _lock_member(participant)
    if participant.status == status:
        return participant, False
    if participant.status not in _DECISIONS_FROM[status]:
        raise ValidationError(
            _("%(name)s is %(status)s: there is nothing to decide.")
            % {
                "name": participant.full_name,
                "status": participant.get_status_display().lower(),
            }
        )
    participant.status = status
    participant.decided_at = timezone.now()
    participant.rejection_reason = (
        reason if status == ParticipantStatus.REJECTED else ""
    )
    participant._history_user = decided_by
    participant.full_clean()
    participant.save()
    delegation_recompute_status(delegation=participant.delegation)
    return participant, True
