"""Invitations of focal points: a one-time, expiring link per delegation
that makes its holder the delegation's focal point. Only the SHA-256 of the
token is stored; the token itself is only in the email."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from hanoi_event.links import absolute_reverse
from hanoi_event.services import email_queue

from ..enums import DelegationStatus, InvitationStatus
from ..mail import INVITATION
from ..models import Delegation, Invitation
from ._mail import date_in_email_language


class InvitationError(Exception):
    """An invitation link that cannot be used; ``reason`` says why:
    "invalid", "expired", "revoked", "accepted" or "wrong_account"."""

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# The same invitation posted again within this time is the same invitation.
DOUBLE_POST_WINDOW = dt.timedelta(minutes=2)


@transaction.atomic
def invitation_send(
    *,
    delegation: Delegation,
    email: str,
    invited_by: AbstractBaseUser | None,
    now: dt.datetime | None = None,
    force: bool = False,
    language: str = "en",
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
    event = delegation.event
    # The language the organizer chose for this focal point (English by
    # default, whatever the organizer's own page is in), date included.
    email_queue(
        to=invitation.email,
        kind=INVITATION,
        language=language,
        context={
            "recipient_name": "",
            "organisation_name": str(delegation.organisation),
            "invitation_url": absolute_reverse("portal:invitation", token),
            "expires_on": date_in_email_language(
                timezone.localtime(invitation.expires_at, event.tzinfo).date(),
                kind=INVITATION,
                language=language,
            ),
        },
        idempotency_key=f"invitation:{invitation.pk}",
        about=invitation,
        event=event,
    )
    return invitation, token


def invitation_resend(
    *, invitation: Invitation, invited_by: AbstractBaseUser | None
) -> tuple[Invitation, str]:
    """A fresh link to the same address; the old link stops working."""
    return invitation_send(
        delegation=invitation.delegation,
        email=invitation.email,
        invited_by=invited_by,
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
