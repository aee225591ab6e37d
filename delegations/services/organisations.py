"""Organisations that are not States (NGOs, media, private sector,
academia) asking to register with a registration code, and the organizers'
decisions on their requests."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import (
    STATE_KINDS,
    DelegationStatus,
    OrganisationKind,
    OrganisationRequestStatus,
)
from ..models import (
    Delegation,
    Organisation,
    OrganisationRequest,
    RegistrationCode,
)

# The error code of a wrong registration code (the portal counts them).
INVALID_REGISTRATION_CODE = "invalid_registration_code"


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
        raise ValidationError(
            {
                "code": ValidationError(
                    _("This registration code is not valid."),
                    code=INVALID_REGISTRATION_CODE,
                )
            }
        )
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


# Organisations of these kinds already on file (reference data: States, UN
# entities, intergovernmental organisations) are invited by the secretariat,
# never registered with a code.
_NOT_BY_CODE_KINDS = {*STATE_KINDS, OrganisationKind.UN_ENTITY, OrganisationKind.IGO}


@transaction.atomic
def organisation_request_approve(
    *, request_obj: OrganisationRequest, decided_by: AbstractBaseUser | None
) -> OrganisationRequest:
    """Create the organisation and its delegation, with the requester as
    focal point. Idempotent for an approved request.

    Only a new organisation is registered this way, or one on file that is
    not a State, UN entity or intergovernmental organisation and has no
    delegation (for any event): a code request never makes anyone the focal
    point of a delegation that exists (ValidationError, nothing written)."""
    request_obj = OrganisationRequest.objects.select_for_update().get(pk=request_obj.pk)
    if request_obj.status == OrganisationRequestStatus.APPROVED:
        return request_obj
    name = " ".join(request_obj.name.split())
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation is not None and organisation.kind in _NOT_BY_CODE_KINDS:
        # Never hand a State's (or UN entity's, or IGO's) delegation to a
        # requester.
        raise ValidationError(
            _(
                "An organisation that is not eligible for a registration code "
                "already has this name (%(name)s). Check the request."
            )
            % {"name": organisation.name}
        )
    if organisation is not None and organisation.delegations.exists():
        raise ValidationError(
            _(
                "%(name)s already has a delegation; its focal point is invited "
                "by the secretariat, never registered with a code. Check the "
                "request."
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
    delegation = Delegation(
        event_id=request_obj.event_id,
        organisation=organisation,
        focal_point=request_obj.requested_by,
        status=DelegationStatus.REGISTERING,
    )
    delegation.full_clean()
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
