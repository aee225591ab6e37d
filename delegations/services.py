"""Writes and workflows of the registration portal: invitations, focal
points, nominations, delegates' own registration, organisation requests.

Every function is keyword-only, validates with ``full_clean()`` and runs in
one transaction. Mail goes through the event's outbox (hanoi_event.services)
with an idempotency key, so a retried call never sends twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from urllib.parse import urlencode, urljoin

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .enums import (
    STATE_KINDS,
    DelegationStatus,
    InvitationStatus,
    OrganisationKind,
    OrganisationRequestStatus,
    ParticipantStatus,
)
from .models import (
    Delegation,
    DelegationRoleQuota,
    Invitation,
    Organisation,
    OrganisationRequest,
    Participant,
    RegistrationCode,
)

# A change to these after approval sends the record back for review.
REVIEWED_FIELDS = (
    # Role and rank decide the badge category and the photo exemption.
    "role",
    "protocol_rank",
    "is_spouse_of_dignitary",
    "honorific",
    "given_names",
    "family_name",
    "nationality",
    "date_of_birth",
    "passport_number",
    "passport_expiry",
    "photo",
)


# The same invitation posted again within this time is the same invitation.
DOUBLE_POST_WINDOW = dt.timedelta(minutes=2)


class InvitationError(Exception):
    """An invitation link that cannot be used; ``reason`` says why:
    "invalid", "expired", "revoked", "accepted" or "wrong_account"."""

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def _queue_email(**kwargs) -> None:
    from hanoi_event.services import email_queue

    email_queue(**kwargs)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _absolute(base_url: str, path: str) -> str:
    return urljoin(base_url, path)


def _date_text(value: dt.date, *, kind: str, language: str = "en") -> str:
    """``value`` in the language the email of ``kind`` will be written in."""
    from hanoi_event.selectors import email_template_for

    with translation.override(email_template_for(kind, language).language):
        return date_format(value, "j F Y")


def _person_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


# Invitations ---------------------------------------------------------------


@transaction.atomic
def invitation_send(
    *,
    delegation: Delegation,
    email: str,
    invited_by: AbstractBaseUser | None,
    base_url: str,
    now: dt.datetime | None = None,
    force: bool = False,
) -> tuple[Invitation, str | None]:
    """Invite ``email`` to be ``delegation``'s focal point and queue the email.

    A pending invitation of the same delegation is revoked first (its link
    stops working), so there is at most one live link per delegation.
    Returns the invitation and the raw token (only in the email; the database
    keeps its SHA-256).

    Idempotent against a form posted twice: the same address invited again
    within DOUBLE_POST_WINDOW returns the pending invitation and token None,
    and sends nothing; ``force`` (resend) always makes a new link."""
    now = now or timezone.now()
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("event", "organisation")
        .get(pk=delegation.pk)
    )
    email = (email or "").strip().lower()
    if not force:
        recent = Invitation.objects.filter(
            delegation=delegation,
            email=email,
            status=InvitationStatus.PENDING,
            created_at__gte=now - DOUBLE_POST_WINDOW,
        ).first()
        if recent is not None:
            return recent, None
    Invitation.objects.filter(
        delegation=delegation, status=InvitationStatus.PENDING
    ).update(status=InvitationStatus.REVOKED, revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        delegation=delegation,
        email=email,
        token_hash=hash_token(token),
        expires_at=now + dt.timedelta(days=delegation.event.invitation_validity_days),
        invited_by=invited_by,
    )
    invitation.full_clean()
    invitation.save()
    if delegation.status == DelegationStatus.NOT_INVITED:
        delegation.status = DelegationStatus.INVITED
        delegation.save(update_fields=["status", "updated_at"])
    from hanoi_event.enums import EmailKind

    event = delegation.event
    _queue_email(
        to=invitation.email,
        kind=EmailKind.INVITATION,
        context={
            "recipient_name": "",
            "organisation_name": str(delegation.organisation),
            "invitation_url": _absolute(
                base_url, reverse("portal:invitation", args=[token])
            ),
            "expires_on": _date_text(
                timezone.localtime(invitation.expires_at, event.tzinfo).date(),
                kind=EmailKind.INVITATION,
            ),
        },
        idempotency_key=f"invitation:{invitation.pk}",
        about=invitation,
        event=event,
    )
    return invitation, token


def invitation_resend(
    *, invitation: Invitation, invited_by: AbstractBaseUser | None, base_url: str
) -> tuple[Invitation, str]:
    """A fresh link to the same address; the old link stops working."""
    return invitation_send(
        delegation=invitation.delegation,
        email=invitation.email,
        invited_by=invited_by,
        base_url=base_url,
        force=True,
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Revoke a pending invitation; anything else is left as it is."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == InvitationStatus.PENDING:
        invitation.status = InvitationStatus.REVOKED
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["status", "revoked_at"])
    return invitation


def invitation_check(*, token: str) -> Invitation:
    """The usable invitation behind ``token``, or InvitationError."""
    invitation = (
        Invitation.objects.select_related(
            "delegation__event", "delegation__organisation"
        )
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise InvitationError("invalid")
    if invitation.status == InvitationStatus.ACCEPTED:
        raise InvitationError("accepted", invitation)
    if invitation.status == InvitationStatus.REVOKED:
        raise InvitationError("revoked", invitation)
    if invitation.is_expired:
        raise InvitationError("expired", invitation)
    return invitation


def user_has_verified_email(user: AbstractBaseUser, email: str) -> bool:
    return EmailAddress.objects.filter(
        user=user, email__iexact=email, verified=True
    ).exists()


@transaction.atomic
def invitation_accept(*, token: str, user: AbstractBaseUser) -> Invitation:
    """Make ``user`` the focal point of the invitation's delegation.

    The user must own the invited address (verified). One-time: a second
    call raises InvitationError("accepted")."""
    invitation = invitation_check(token=token)
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("delegation")
        .get(pk=invitation.pk)
    )
    if invitation.status != InvitationStatus.PENDING:
        raise InvitationError(invitation.status, invitation)
    if not user_has_verified_email(user, invitation.email):
        raise InvitationError("wrong_account", invitation)
    now = timezone.now()
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_by = user
    invitation.accepted_at = now
    invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
    delegation = Delegation.objects.select_for_update().get(pk=invitation.delegation_id)
    delegation.focal_point = user
    if delegation.status in (DelegationStatus.NOT_INVITED, DelegationStatus.INVITED):
        delegation.status = DelegationStatus.REGISTERING
    delegation.full_clean()
    delegation.save()
    return invitation


# Delegation ----------------------------------------------------------------


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


def participant_send_link(*, participant: Participant, base_url: str) -> None:
    """Email the member a link to complete their own registration. Sent at
    most once a minute (the idempotency key has the minute in it)."""
    from hanoi_event.enums import EmailKind

    delegation = participant.delegation
    event = delegation.event
    signup = reverse("account_signup")
    link = _absolute(
        base_url,
        signup
        + "?"
        + urlencode(
            {"email": participant.email, "next": reverse("portal:registration")}
        ),
    )
    _queue_email(
        to=participant.email,
        kind=EmailKind.MEMBER_INVITATION,
        context={
            "recipient_name": participant.full_name,
            "organisation_name": str(delegation.organisation),
            "focal_point_name": _person_name(delegation.focal_point),
            "profile_url": link,
            "expires_on": _date_text(
                timezone.localtime(event.registration_deadline, event.tzinfo).date()
                if event.registration_deadline
                else event.start_date,
                kind=EmailKind.MEMBER_INVITATION,
                language=participant.preferred_language,
            ),
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


@transaction.atomic
def participant_update(
    *,
    participant: Participant,
    data: dict,
    photo: ContentFile | None = None,
) -> Participant:
    """Change a member's data. Refused once withdrawn. A change to the name,
    passport or photo of an approved record sends it back for review."""
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
    """Labels of what a member still has to give before submitting."""
    required = [
        "given_names",
        "family_name",
        "gender",
        "function_title",
        "nationality",
        "date_of_birth",
        "passport_number",
        "passport_expiry",
        "phone",
    ]
    missing = [
        str(Participant._meta.get_field(name).verbose_name)
        for name in required
        if not getattr(participant, name)
    ]
    if participant.photo_required and not participant.photo:
        missing.append(str(Participant._meta.get_field("photo").verbose_name))
    return missing


@transaction.atomic
def participant_submit(*, participant: Participant) -> Participant:
    """Send a complete record to the accreditation team. Idempotent: an
    already submitted or approved record is returned unchanged."""
    from hanoi_event.enums import EmailKind

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
    _queue_email(
        to=participant.email,
        kind=EmailKind.REGISTRATION_RECEIVED,
        context={
            "participant_name": participant.full_name,
            "organisation_name": str(participant.delegation.organisation),
            "portal_url": _absolute(
                settings.SITE_URL.rstrip("/") + "/",
                reverse("portal:participant", args=[participant.pk]),
            ),
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


# Organisations that are not States -------------------------------------------


@transaction.atomic
def organisation_request_create(
    *,
    user: AbstractBaseUser,
    event,
    code: str,
    name: str,
    kind: str,
    acronym: str = "",
    website: str = "",
) -> OrganisationRequest:
    """Ask to register an organisation with a registration code.
    Idempotent: a user's pending request is returned as it is."""
    # One request of a user at a time: a double post waits for the first,
    # then finds it.
    get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
    existing = OrganisationRequest.objects.filter(
        event=event, requested_by=user, status=OrganisationRequestStatus.PENDING
    ).first()
    if existing is not None:
        return existing
    now = timezone.now()
    registration_code = (
        RegistrationCode.objects.select_for_update()
        .filter(event=event, code=(code or "").strip().upper(), is_active=True)
        .first()
    )
    if registration_code is None or (
        registration_code.expires_at and registration_code.expires_at <= now
    ):
        raise ValidationError({"code": _("This registration code is not valid.")})
    if (
        registration_code.max_uses is not None
        and registration_code.requests.exclude(
            status=OrganisationRequestStatus.REJECTED
        ).count()
        >= registration_code.max_uses
    ):
        raise ValidationError({"code": _("This registration code has been used up.")})
    request_obj = OrganisationRequest(
        event=event,
        registration_code=registration_code,
        requested_by=user,
        name=name.strip(),
        kind=kind,
        acronym=acronym.strip(),
        website=website.strip(),
    )
    request_obj.full_clean()
    request_obj.save()
    return request_obj


# Kinds invited by the secretariat, never registered with a code.
_NOT_BY_CODE_KINDS = {*STATE_KINDS, OrganisationKind.UN_ENTITY}


@transaction.atomic
def organisation_request_approve(
    *, request_obj: OrganisationRequest, decided_by: AbstractBaseUser | None
) -> OrganisationRequest:
    """Create the organisation and its delegation, with the requester as
    focal point. Idempotent for an approved request."""
    request_obj = OrganisationRequest.objects.select_for_update().get(pk=request_obj.pk)
    if request_obj.status == OrganisationRequestStatus.APPROVED:
        return request_obj
    organisation = Organisation.objects.filter(name__iexact=request_obj.name).first()
    if organisation is not None and organisation.kind in _NOT_BY_CODE_KINDS:
        # Never hand a State's (or UN entity's) delegation to a requester.
        raise ValidationError(
            _(
                "An organisation that is not eligible for a registration code "
                "already has this name (%(name)s). Check the request."
            )
            % {"name": organisation.name}
        )
    if organisation is None:
        organisation = Organisation(
            name=request_obj.name,
            kind=request_obj.kind,
            acronym=request_obj.acronym,
            website=request_obj.website,
        )
        organisation.full_clean()
        organisation.save()
    delegation, _created = Delegation.objects.get_or_create(
        event_id=request_obj.event_id,
        organisation=organisation,
        defaults={"status": DelegationStatus.REGISTERING},
    )
    if delegation.focal_point_id is None:
        delegation.focal_point = request_obj.requested_by
        delegation.status = DelegationStatus.REGISTERING
        delegation.save()
    request_obj.status = OrganisationRequestStatus.APPROVED
    request_obj.organisation = organisation
    request_obj.decided_by = decided_by
    request_obj.decided_at = timezone.now()
    request_obj.save()
    return request_obj


@transaction.atomic
def organisation_request_reject(
    *,
    request_obj: OrganisationRequest,
    decided_by: AbstractBaseUser | None,
    reason: str = "",
) -> OrganisationRequest:
    request_obj = OrganisationRequest.objects.select_for_update().get(pk=request_obj.pk)
    if request_obj.status == OrganisationRequestStatus.PENDING:
        request_obj.status = OrganisationRequestStatus.REJECTED
        request_obj.decided_by = decided_by
        request_obj.decided_at = timezone.now()
        request_obj.rejection_reason = reason
        request_obj.save()
    return request_obj
