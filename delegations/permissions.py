"""Who may see and change what in the portal (checked on the server, per
object). Views fetch objects through the ``*_for_user`` querysets in
selectors, so anything outside a user's scope is a 404, not a 403."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser

from .models import Delegation, Participant
from .selectors import portal_access

VIEW_PASSPORT = "delegations.view_passport"
VIEW_PARTICIPANT = "delegations.view_participant"
VIEW_DELEGATION = "delegations.view_delegation"


# A staff account owns nothing in the portal (selectors.portal_access): its
# privileges are those of its role, in a session that passed two-factor.


def is_focal_point(user: AbstractBaseUser, delegation: Delegation) -> bool:
    return portal_access(user) and delegation.focal_point_id == user.pk


def is_own_record(user: AbstractBaseUser, participant: Participant) -> bool:
    return portal_access(user) and participant.user_id == user.pk


def can_edit_participant(user: AbstractBaseUser, participant: Participant) -> bool:
    return is_own_record(user, participant) or is_focal_point(
        user, participant.delegation
    )


def _staff_with(user, perm: str, staff_verified: bool) -> bool:
    # Staff privileges count only in a session that passed two-factor.
    return (
        staff_verified
        and user.is_authenticated
        and user.is_staff
        and user.has_perm(perm)
    )


def can_view_passport(
    user: AbstractBaseUser, participant: Participant, *, staff_verified: bool = False
) -> bool:
    """The delegate, their focal point, and accreditation officers."""
    return can_edit_participant(user, participant) or _staff_with(
        user, VIEW_PASSPORT, staff_verified
    )


def can_view_photo(
    user: AbstractBaseUser, participant: Participant, *, staff_verified: bool = False
) -> bool:
    return can_edit_participant(user, participant) or _staff_with(
        user, VIEW_PARTICIPANT, staff_verified
    )


def can_view_note_verbale(
    user: AbstractBaseUser, delegation: Delegation, *, staff_verified: bool = False
) -> bool:
    return is_focal_point(user, delegation) or _staff_with(
        user, VIEW_DELEGATION, staff_verified
    )
