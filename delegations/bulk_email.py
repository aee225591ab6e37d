"""Bulk email actions of the delegation and participant admins: who gets the
message (see hanoi_event/admin_bulk.py for the form, the permission and the
background send). Each reads the selected records in one query."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hanoi_event.admin_bulk import bulk_email_action

from .enums import ParticipantStatus
from .models import Delegation, Participant
from .selectors import (
    focal_point_language_subquery,
    focal_point_record_names,
    record_full_name,
)


def focal_point_recipients(
    queryset: QuerySet[Delegation],
) -> list[tuple[str, str, Delegation, dict[str, str]]]:
    """(email, language, delegation, names) for each selected delegation with
    a focal point who has an address; names are the placeholders
    ``recipient_name`` and ``organisation_name``. The language is the focal point's own where
    they are also a member of the delegation (as for reminders), else English."""
    delegations = focal_point_record_names(
        Delegation.objects.filter(pk__in=queryset.values("pk"))
        .exclude(focal_point__isnull=True)
        .exclude(focal_point__email="")
        .select_related("focal_point", "organisation")
        .annotate(focal_point_language=focal_point_language_subquery())
    )
    return [
        (
            d.focal_point.email,
            d.focal_point_language or "en",
            d,
            {
                "recipient_name": record_full_name(d) or d.focal_point.get_full_name(),
                "organisation_name": d.organisation.name,
            },
        )
        for d in delegations
    ]


def participant_recipients(
    queryset: QuerySet[Participant],
) -> list[tuple[str, str, Participant, dict[str, str]]]:
    """(email, preferred language, participant, names) for each selected
    participant who has not withdrawn; names as for the focal points."""
    participants = (
        Participant.objects.filter(pk__in=queryset.values("pk"))
        .exclude(status=ParticipantStatus.WITHDRAWN)
        .exclude(email="")
        .select_related("delegation__organisation")
        .only(
            "pk",
            "email",
            "preferred_language",
            "given_names",
            "family_name",
            "delegation__organisation__name",
        )
    )
    return [
        (
            p.email,
            p.preferred_language,
            p,
            {
                "recipient_name": p.full_name,
                "organisation_name": p.delegation.organisation.name,
            },
        )
        for p in participants
    ]


email_focal_points = bulk_email_action(
    name="email_focal_points",
    description=_("Email the focal points of the selected delegations"),
    recipients_of=focal_point_recipients,
)

email_participants = bulk_email_action(
    name="email_participants",
    description=_("Email the selected participants"),
    recipients_of=participant_recipients,
)
