"""The signing ceremony: a State delegation's request to sign, its full
powers (VCLT art. 7), its slot and its signature.

Locks: slot changes lock the event's ``SigningCeremony`` row first, then the
requests, so two bookings for one event queue up instead of racing; the
unique constraint on (event, slot) is the last word if anything slips past.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delegations.enums import ParticipantStatus
from delegations.models import Delegation, Participant

from ..enums import FullPowersStatus, SigningStatus
from ..fullpowers import matches, parse_full_powers
from ..models import SigningCeremony, SigningRequest
from ..ranks import full_powers_required


def signing_ceremony_for(event) -> SigningCeremony | None:
    return SigningCeremony.objects.filter(event=event).first()


def _locked(request: SigningRequest) -> SigningRequest:
    return SigningRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def signing_request_create(
    *,
    delegation: Delegation,
    signatory_participant: Participant | None = None,
    signatory_name: str = "",
    signatory_title: str = "",
    signatory_rank: int | None = None,
    requested_by=None,
) -> SigningRequest:
    """A State delegation asks to sign and names its signatory: a member of
    the delegation (name, title and rank taken from their record) or a
    named person with a title and rank. Exempt ranks (VCLT art. 7(2)(a))
    are cleared at once; anyone else awaits full powers.

    Side effects: one new request. Refused (nothing written) for a
    delegation that is not a State's or that already has an open request."""
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=delegation.pk)
    )
    if not delegation.organisation.is_state:
        raise ValidationError(_("Only the delegation of a State can sign."))
    if signatory_participant is not None:
        if signatory_participant.delegation_id != delegation.pk:
            raise ValidationError(
                {"signatory_participant": _("The signatory is not in this delegation.")}
            )
        if signatory_participant.status in (
            ParticipantStatus.WITHDRAWN,
            ParticipantStatus.REJECTED,
        ):
            raise ValidationError(
                {
                    "signatory_participant": _(
                        "The signatory has withdrawn or was not accredited."
                    )
                }
            )
        signatory_name = signatory_participant.full_name
        signatory_title = signatory_participant.function_title
        signatory_rank = signatory_participant.protocol_rank
        if not signatory_title.strip():
            raise ValidationError(
                {
                    "signatory_participant": _(
                        "Enter the member's function or title in their record first."
                    )
                }
            )
    request = SigningRequest(
        event_id=delegation.event_id,
        delegation=delegation,
        signatory_participant=signatory_participant,
        signatory_name=(signatory_name or "").strip(),
        signatory_title=(signatory_title or "").strip(),
        signatory_rank=signatory_rank,
        requested_by=requested_by,
    )
    if signatory_rank is not None and not full_powers_required(signatory_rank):
        request.full_powers_status = FullPowersStatus.NOT_REQUIRED
        request.status = SigningStatus.CLEARED
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def full_powers_upload(*, request: SigningRequest, upload) -> SigningRequest:
    """Store the instrument of full powers (a PDF that parses) for review.

    Side effects: replaces an earlier upload that was not cleared; the
    request goes (back) to "under review". Refused for a request that needs
    none, is already cleared, signed or withdrawn."""
    request = _locked(request)
    if request.full_powers_status == FullPowersStatus.NOT_REQUIRED:
        raise ValidationError(
            _("This signatory needs no full powers (VCLT art. 7(2)(a)).")
        )
    if request.status != SigningStatus.AWAITING_FULL_POWERS:
        raise ValidationError(_("The full powers of this request are already cleared."))
    content, pages = parse_full_powers(upload)
    request.full_powers.save(content.name, content, save=False)
    request.full_powers_pages = pages
    request.full_powers_uploaded_at = timezone.now()
    request.full_powers_status = FullPowersStatus.UNDER_REVIEW
    request.full_powers_rejection_reason = ""
    request.full_powers_decided_at = None
    request.full_powers_decided_by = None
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def full_powers_decide(
    *,
    request: SigningRequest,
    clear: bool,
    decided_by,
    name: str = "",
    title: str = "",
    reason: str = "",
) -> SigningRequest:
    """A protocol officer clears or rejects the uploaded full powers.

    Clearing needs the name and title as the instrument gives them, and
    both must match the request's signatory (case, spacing aside): the
    request is then cleared to sign. Rejecting needs a reason; the focal
    point may upload again. Refused (nothing written) otherwise."""
    request = _locked(request)
    if request.full_powers_status != FullPowersStatus.UNDER_REVIEW:
        raise ValidationError(
            _("There are no uploaded full powers waiting for review.")
        )
    now = timezone.now()
    if clear:
        errors = {}
        if not name.strip():
            errors["name"] = _("Enter the name as the full powers give it.")
        elif not matches(name, request.signatory_name):
            errors["name"] = _(
                "The full powers name “%(found)s”, not the signatory “%(expected)s”."
            ) % {"found": name.strip(), "expected": request.signatory_name}
        if not title.strip():
            errors["title"] = _("Enter the title as the full powers give it.")
        elif not matches(title, request.signatory_title):
            errors["title"] = _(
                "The full powers give the title “%(found)s”, not “%(expected)s”."
            ) % {"found": title.strip(), "expected": request.signatory_title}
        if errors:
            raise ValidationError(errors)
        request.full_powers_status = FullPowersStatus.CLEARED
        request.status = SigningStatus.CLEARED
        request.full_powers_name = name.strip()
        request.full_powers_title = title.strip()
        request.full_powers_rejection_reason = ""
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for rejecting.")})
        request.full_powers_status = FullPowersStatus.REJECTED
        request.full_powers_rejection_reason = reason.strip()
    request.full_powers_decided_at = now
    request.full_powers_decided_by = decided_by
    request.full_clean()
    request.save()
    return request


def _ceremony_locked(event_id: int) -> SigningCeremony:
    ceremony = SigningCeremony.objects.select_for_update().filter(event_id=event_id)
    ceremony = ceremony.first()
    if ceremony is None:
        raise ValidationError(
            _("The signing ceremony of this event has no slots set up yet.")
        )
    return ceremony


def _save_slot(request: SigningRequest) -> None:
    try:
        with transaction.atomic():
            request.save(update_fields=["slot", "updated_at"])
    except IntegrityError as exc:
        raise ValidationError(
            {"slot": _("This signing slot is already booked.")}
        ) from exc


@transaction.atomic
def slot_book(*, request: SigningRequest, slot: int | None = None) -> SigningRequest:
    """Give a cleared request ``slot`` (or the first free one). Moving to
    another free slot frees the old one. Idempotent for the slot it holds.

    Refused (nothing written): a request that is not cleared, a slot out of
    range or taken, no free slot left."""
    ceremony = _ceremony_locked(request.event_id)
    request = _locked(request)
    if request.status != SigningStatus.CLEARED:
        raise ValidationError(
            _("Only a request cleared to sign gets a slot (its full powers first).")
        )
    taken = set(
        SigningRequest.objects.filter(event_id=request.event_id, slot__isnull=False)
        .exclude(pk=request.pk)
        .values_list("slot", flat=True)
    )
    if slot is None:
        if request.slot is not None:
            return request
        free = [n for n in range(1, ceremony.slot_count + 1) if n not in taken]
        if not free:
            raise ValidationError(_("Every signing slot is booked."))
        slot = free[0]
    if not 1 <= slot <= ceremony.slot_count:
        raise ValidationError(
            {
                "slot": _("Slots run from 1 to %(count)s.")
                % {"count": ceremony.slot_count}
            }
        )
    if slot in taken:
        raise ValidationError({"slot": _("This signing slot is already booked.")})
    if request.slot != slot:
        request.slot = slot
        _save_slot(request)
    return request


@transaction.atomic
def slot_release(*, request: SigningRequest) -> SigningRequest:
    """Free the request's slot (idempotent). A signed request keeps its."""
    _ceremony_locked(request.event_id)
    request = _locked(request)
    if request.status == SigningStatus.SIGNED:
        raise ValidationError(_("This State has signed; its slot stays on record."))
    if request.slot is not None:
        request.slot = None
        _save_slot(request)
    return request


@transaction.atomic
def slots_swap(*, first: SigningRequest, second: SigningRequest) -> None:
    """Exchange the slots of two requests of one event that both hold one
    and have not signed yet."""
    if first.pk == second.pk:
        raise ValidationError(_("Choose two different requests."))
    if first.event_id != second.event_id:
        raise ValidationError(_("The two requests belong to different events."))
    _ceremony_locked(first.event_id)
    locked = {
        r.pk: r
        for r in SigningRequest.objects.select_for_update()
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }
    a, b = locked[first.pk], locked[second.pk]
    for r in (a, b):
        if r.slot is None:
            raise ValidationError(
                _("%(delegation)s has no slot to swap.") % {"delegation": r.delegation}
            )
        if r.status == SigningStatus.SIGNED:
            raise ValidationError(
                _("%(delegation)s has signed already.") % {"delegation": r.delegation}
            )
    slot_a, slot_b = a.slot, b.slot
    a.slot = None
    _save_slot(a)
    b.slot = slot_a
    _save_slot(b)
    a.slot = slot_b
    _save_slot(a)


@transaction.atomic
def signature_record(
    *, request: SigningRequest, recorded_by, signed_at: dt.datetime | None = None
) -> SigningRequest:
    """Record that the signatory signed (now, or at ``signed_at``).
    Idempotent: recording a signed request again changes nothing."""
    request = _locked(request)
    if request.status == SigningStatus.SIGNED:
        return request
    if request.status != SigningStatus.CLEARED:
        raise ValidationError(
            _("Only a request cleared to sign can be signed (full powers first).")
        )
    request.status = SigningStatus.SIGNED
    request.signed_at = signed_at or timezone.now()
    request.signature_recorded_by = recorded_by
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def signing_request_withdraw(*, request: SigningRequest) -> SigningRequest:
    """Withdraw a request that has not been signed; its slot is freed.
    Idempotent. A new request (another signatory) may follow."""
    request = _locked(request)
    if request.status == SigningStatus.SIGNED:
        raise ValidationError(_("This State has signed; the request stays on record."))
    if request.status != SigningStatus.WITHDRAWN:
        request.status = SigningStatus.WITHDRAWN
        request.slot = None
        request.full_clean()
        request.save()
    return request
