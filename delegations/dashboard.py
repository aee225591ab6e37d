"""The delegations app's figures on the organizers' dashboard (registered
from ``DelegationsConfig.ready()``): delegations invited, accepted (a focal
point), submitted and accredited; participants by status and by UN
regional group; registrations per day as a chart. Each figure links to the
admin list it counts. Five queries whatever the size of the event."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from hanoi_event.dashboard import Figure

from .enums import DelegationStatus, ParticipantStatus, RegionalGroup
from .models import Delegation, Participant

_NOT_WITHDRAWN = [
    s.value for s in ParticipantStatus if s != ParticipantStatus.WITHDRAWN
]
_INVITED = [s.value for s in DelegationStatus if s != DelegationStatus.NOT_INVITED]


def _url(name: str, **params) -> str:
    return reverse(name) + "?" + urlencode(params)


def delegations_figures(event) -> list[Figure]:
    if event is None:
        return []
    delegations_url = "admin:delegations_delegation_changelist"
    participants_url = "admin:delegations_participant_changelist"
    ev = {"event__id__exact": event.pk}
    counts = Delegation.objects.filter(event=event).aggregate(
        invited=Count("pk", filter=Q(status__in=_INVITED)),
        accepted=Count("pk", filter=Q(focal_point__isnull=False)),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        accredited=Count("pk", filter=Q(status=DelegationStatus.ACCREDITED)),
    )
    group = _("Delegations")
    figures = [
        Figure(
            "delegations.invited",
            _("Invited"),
            counts["invited"],
            _url(delegations_url, status__in=",".join(_INVITED), **ev),
            group,
        ),
        Figure(
            "delegations.accepted",
            _("Accepted (focal point named)"),
            counts["accepted"],
            _url(delegations_url, focal_point__isnull="False", **ev),
            group,
        ),
        Figure(
            "delegations.submitted",
            _("Submitted"),
            counts["submitted"],
            _url(delegations_url, submitted_at__isnull="False", **ev),
            group,
        ),
        Figure(
            "delegations.accredited",
            _("Accredited"),
            counts["accredited"],
            _url(delegations_url, status=DelegationStatus.ACCREDITED, **ev),
            group,
        ),
    ]

    by_status = dict(
        Participant.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    group = _("Participants by status")
    figures += [
        Figure(
            f"participants.status.{status.value}",
            status.label,
            by_status.get(status.value, 0),
            _url(participants_url, status=status.value, **ev),
            group,
        )
        for status in ParticipantStatus
    ]

    by_region = dict(
        Participant.objects.filter(event=event)
        .exclude(status=ParticipantStatus.WITHDRAWN)
        .values_list("delegation__organisation__regional_group")
        .annotate(n=Count("pk"))
        .values_list("delegation__organisation__regional_group", "n")
    )
    # The participant list filters by delegation; the ids of each group's
    # delegations make the link (one query).
    delegation_ids: dict[str, list[int]] = {}
    for pk, region in Delegation.objects.filter(
        event=event, organisation__regional_group__gt=""
    ).values_list("pk", "organisation__regional_group"):
        delegation_ids.setdefault(region, []).append(pk)
    group = _("Participants by UN regional group (not withdrawn)")
    figures += [
        Figure(
            f"participants.region.{region.value}",
            region.label,
            by_region.get(region.value, 0),
            _url(
                participants_url,
                delegation__id__in=",".join(
                    str(pk) for pk in delegation_ids.get(region.value, [0])
                ),
                status__in=",".join(_NOT_WITHDRAWN),
                **ev,
            ),
            group,
        )
        for region in RegionalGroup
    ]

    per_day = list(
        Participant.objects.filter(event=event)
        .annotate(day=TruncDate("created_at", tzinfo=event.tzinfo))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
        .order_by("day")
    )
    total = sum(n for _day, n in per_day)
    figures.append(
        Figure(
            "participants.registrations_per_day",
            _("Registrations"),
            total,
            _url(participants_url, **ev),
            _("Registrations per day"),
            chart={
                "type": "bar",
                "labels": [day.isoformat() for day, _n in per_day],
                "datasets": [
                    {
                        "label": str(_("Participants registered")),
                        "data": [n for _day, n in per_day],
                    }
                ],
            },
        )
    )
    return figures
