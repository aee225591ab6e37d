"""Zones and badge categories of an event, and which category a participant
gets: the default from the delegation's kind and the participant's role or
rank, unless an accreditation officer chose another."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from delegations.enums import DelegationRole, OrganisationKind, ProtocolRank
from delegations.models import Participant
from hanoi_event.models import Event

from .. import enums
from ..models import BadgeCategory, CategoryChoice, Zone

VIP_RANKS = frozenset({ProtocolRank.HEAD_OF_STATE, ProtocolRank.HEAD_OF_GOVERNMENT})

_KIND_CATEGORY = {
    OrganisationKind.MEMBER_STATE: enums.PARTY,
    OrganisationKind.OBSERVER_STATE: enums.OBSERVER,
    OrganisationKind.UN_ENTITY: enums.IGO_UN,
    OrganisationKind.IGO: enums.IGO_UN,
    OrganisationKind.NGO: enums.NGO,
    OrganisationKind.PRIVATE_SECTOR: enums.NGO,
    OrganisationKind.ACADEMIA: enums.NGO,
    OrganisationKind.MEDIA: enums.MEDIA,
}


@transaction.atomic
def badge_categories_ensure(*, event: Event) -> dict[str, BadgeCategory]:
    """The event's default zones and categories (``enums.DEFAULT_ZONES``,
    ``DEFAULT_CATEGORIES``), created where missing. Idempotent: existing rows,
    as organizers edited them, are left alone. Returns categories by code."""
    zones = {zone.code: zone for zone in Zone.objects.filter(event=event)}
    for code, name, reentry, exit_required in enums.DEFAULT_ZONES:
        if code not in zones:
            zone = Zone(
                event=event,
                code=code,
                name=str(name),
                reentry_allowed=reentry,
                exit_required=exit_required,
            )
            zone.full_clean()
            zone.save()
            zones[code] = zone
    categories = {c.code: c for c in BadgeCategory.objects.filter(event=event)}
    for position, (code, name, colour, label, confirm, zone_codes) in enumerate(
        enums.DEFAULT_CATEGORIES
    ):
        if code in categories:
            continue
        category = BadgeCategory(
            event=event,
            code=code,
            name=str(name),
            colour=colour,
            label=label,
            requires_confirmation=confirm,
            position=position,
        )
        category.full_clean()
        category.save()
        category.zones.set([zones[z] for z in zone_codes])
        categories[code] = category
    return categories


def default_category_code(participant: Participant) -> str:
    """The category a participant gets unless an officer chooses: VIP for
    Heads of State and Government, Security and Media by role, else by the
    kind of the delegation's organisation."""
    if participant.protocol_rank in VIP_RANKS:
        return enums.VIP
    if participant.role == DelegationRole.SECURITY:
        return enums.SECURITY
    if participant.role == DelegationRole.PRESS:
        return enums.MEDIA
    kind = participant.delegation.organisation.kind
    return _KIND_CATEGORY.get(kind, enums.NGO)


def category_for(
    participant: Participant, categories: dict[str, BadgeCategory] | None = None
) -> BadgeCategory:
    """The officer's choice, else the default (categories created if the
    event has none yet)."""
    choice = (
        CategoryChoice.objects.filter(participant=participant)
        .select_related("category")
        .first()
    )
    if choice is not None:
        return choice.category
    if categories is None:
        categories = badge_categories_ensure(event=participant.event)
    code = default_category_code(participant)
    if code not in categories:
        categories = badge_categories_ensure(event=participant.event)
    return categories[code]


@transaction.atomic
def badge_category_choose(
    *,
    participant: Participant,
    category: BadgeCategory,
    chosen_by: AbstractBaseUser | None,
) -> CategoryChoice:
    """Give ``participant`` ``category`` instead of the default. A valid badge
    in another category is reprinted (the old one revoked). Idempotent."""
    if category.event_id != participant.event_id:
        raise ValidationError(
            {"category": _("This category belongs to another event.")}
        )
    choice, _created = CategoryChoice.objects.update_or_create(
        participant=participant,
        defaults={"category": category, "set_by": chosen_by},
    )
    from .badges import badge_reprint, valid_badge

    badge = valid_badge(participant)
    if badge is not None and badge.category_id != category.pk:
        badge_reprint(
            badge=badge,
            reason=str(_("Category changed to %(name)s") % {"name": category.name}),
            by=chosen_by,
        )
    return choice
