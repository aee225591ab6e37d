"""Demo focal points: every invited demo delegation has one, so that the
portal, bulk emails to focal points and the reminders reach somebody.

A delegation's focal point is its first member who is not the Head of
Delegation (a DAO is usually a counsellor of the mission), or, for a
delegation with no members yet, a demo account ``dao.<org>@demo.example``.
The accounts cannot sign in (no usable password): README.md says how to give
one a password to walk the portal as that focal point. Idempotent.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from delegations.enums import DelegationRole, DelegationStatus
from delegations.models import Delegation, Participant

from .data import DEMO_EMAIL_DOMAIN


def focal_point_username(delegation: Delegation) -> str:
    """``dao-vnm`` for Viet Nam, ``dao-unodc`` for UNODC."""
    organisation = delegation.organisation
    key = organisation.iso3 or organisation.acronym or organisation.name
    return f"dao-{slugify(key)}"[:150]


def load_focal_points(
    delegations: dict[str, Delegation], *, tally, upsert: Callable
) -> None:
    user_model = get_user_model()
    from allauth.account.models import EmailAddress

    for delegation in delegations.values():
        if delegation.status == DelegationStatus.NOT_INVITED:
            continue
        member = (
            delegation.members.exclude(role=DelegationRole.HEAD).order_by("pk").first()
        )
        username = focal_point_username(delegation)
        values = {
            "email": member.email
            if member
            else f"{username.replace('-', '.')}@{DEMO_EMAIL_DOMAIN}",
            "first_name": member.given_names[:150] if member else "Demo",
            "last_name": member.family_name[:150] if member else "DAO",
            "is_active": True,
            "is_staff": False,
        }
        user = user_model._default_manager.filter(username=username).first()
        if user is None:
            user = user_model(username=username, **values)
            user.set_unusable_password()
            user.full_clean()
            user.save()
            tally.created[user_model._meta.label] += 1
        elif any(getattr(user, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(user, name, value)
            user.save()
            tally.updated[user_model._meta.label] += 1
        upsert(
            EmailAddress,
            lookup={"user": user, "email": values["email"]},
            values={"verified": True, "primary": True},
            tally=tally,
        )
        if member is not None and member.user_id != user.pk:
            # No history record: the demo gives each participant one.
            Participant.objects.filter(pk=member.pk).update(user=user)
        if delegation.focal_point_id != user.pk:
            Delegation.objects.filter(pk=delegation.pk).update(focal_point=user)
            delegation.focal_point = user
            tally.updated[Delegation._meta.label] += 1
