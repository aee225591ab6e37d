"""The protocol app's figures on the organizers' dashboard: requests to
sign, cleared full powers, signatures, requests to speak (two queries)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from hanoi_event.dashboard import Figure

from .enums import FullPowersStatus, SigningStatus, SpeakerStatus
from .models import SigningRequest, SpeakingRequest


def _url(name: str, **params) -> str:
    return reverse(name) + ("?" + urlencode(params) if params else "")


def protocol_figures(event) -> list[Figure]:
    if event is None:
        return []
    group = _("Signing ceremony and speaking list")
    counts = SigningRequest.objects.filter(event=event).aggregate(
        requests=Count("pk", filter=~Q(status=SigningStatus.WITHDRAWN)),
        fp_review=Count(
            "pk", filter=Q(full_powers_status=FullPowersStatus.UNDER_REVIEW)
        ),
        fp_cleared=Count("pk", filter=Q(full_powers_status=FullPowersStatus.CLEARED)),
        signed=Count("pk", filter=Q(status=SigningStatus.SIGNED)),
    )
    speakers = SpeakingRequest.objects.filter(
        speaking_list__event=event, status=SpeakerStatus.WAITING
    ).count()
    changelist = "admin:protocol_signingrequest_changelist"
    ev = {"event__id__exact": event.pk}
    return [
        Figure(
            "protocol.signing_requests",
            _("Requests to sign"),
            counts["requests"],
            _url(changelist, **ev),
            group,
        ),
        Figure(
            "protocol.full_powers_under_review",
            _("Full powers to review"),
            counts["fp_review"],
            _url(changelist, full_powers_status=FullPowersStatus.UNDER_REVIEW, **ev),
            group,
        ),
        Figure(
            "protocol.full_powers_cleared",
            _("Full powers cleared"),
            counts["fp_cleared"],
            _url(changelist, full_powers_status=FullPowersStatus.CLEARED, **ev),
            group,
        ),
        Figure(
            "protocol.signatures",
            _("Signatures"),
            counts["signed"],
            _url(changelist, status=SigningStatus.SIGNED, **ev),
            group,
        ),
        Figure(
            "protocol.speakers_waiting",
            _("Speakers waiting"),
            speakers,
            _url(
                "admin:protocol_speakingrequest_changelist",
                status=SpeakerStatus.WAITING,
                speaking_list__event__id__exact=event.pk,
            ),
            group,
        ),
    ]
