"""Who may see a side-event speaker's passport copy: the rule of passport
data (README, "Access"): the owner's side (here the applicant delegation's
focal point) and accreditation officers (``delegations.view_passport``) in
a session that passed two-factor."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser

from delegations.permissions import VIEW_PASSPORT, is_focal_point

from .models import SideEventSpeaker


def can_view_speaker_passport(
    user: AbstractBaseUser, speaker: SideEventSpeaker, *, staff_verified: bool
) -> bool:
    if is_focal_point(user, speaker.application.delegation):
        return True
    return bool(
        staff_verified
        and user.is_authenticated
        and user.is_staff
        and user.has_perm(VIEW_PASSPORT)
    )
