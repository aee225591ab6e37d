"""Demo data of the protocol side: the signing ceremony (slots of 5
minutes from 10:00 on day 1), requests to sign in every state (signed,
cleared with and without a slot, full powers missing, under review,
rejected, cleared; one withdrawn) and the high-level segment's speaking
list of day 1 with statements and a right of reply.

Called by ``loader.demo_load`` with its ``_upsert`` and tally, so it is
idempotent the same way: rows are matched by natural keys and written only
when they differ.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.core.files.base import ContentFile
from pypdf import PdfWriter

from delegations.enums import DelegationRole, ParticipantStatus, ProtocolRank
from delegations.models import Delegation, Participant
from hanoi_event.models import Event
from protocol.enums import FullPowersStatus, SigningStatus, SpeechKind
from protocol.models import (
    SigningCeremony,
    SigningRequest,
    SpeakingList,
    SpeakingRequest,
)

from .data import hanoi_time

# (signing status, full powers, rank, slot, signed) per demo State, in order.
SIGNING_PLAN = (
    (
        SigningStatus.SIGNED,
        FullPowersStatus.NOT_REQUIRED,
        ProtocolRank.HEAD_OF_STATE,
        1,
    ),
    (
        SigningStatus.SIGNED,
        FullPowersStatus.NOT_REQUIRED,
        ProtocolRank.HEAD_OF_GOVERNMENT,
        2,
    ),
    (SigningStatus.SIGNED, FullPowersStatus.CLEARED, ProtocolRank.MINISTER, 3),
    (
        SigningStatus.SIGNED,
        FullPowersStatus.NOT_REQUIRED,
        ProtocolRank.MINISTER_FOR_FOREIGN_AFFAIRS,
        4,
    ),
    (
        SigningStatus.CLEARED,
        FullPowersStatus.NOT_REQUIRED,
        ProtocolRank.HEAD_OF_STATE,
        5,
    ),
    (SigningStatus.CLEARED, FullPowersStatus.CLEARED, ProtocolRank.AMBASSADOR, 6),
    (SigningStatus.CLEARED, FullPowersStatus.CLEARED, ProtocolRank.VICE_MINISTER, None),
    (
        SigningStatus.AWAITING_FULL_POWERS,
        FullPowersStatus.MISSING,
        ProtocolRank.AMBASSADOR,
        None,
    ),
    (
        SigningStatus.AWAITING_FULL_POWERS,
        FullPowersStatus.UNDER_REVIEW,
        ProtocolRank.MINISTER,
        None,
    ),
    (
        SigningStatus.AWAITING_FULL_POWERS,
        FullPowersStatus.REJECTED,
        ProtocolRank.AMBASSADOR,
        None,
    ),
    (
        SigningStatus.WITHDRAWN,
        FullPowersStatus.MISSING,
        ProtocolRank.SENIOR_OFFICIAL,
        None,
    ),
)
TITLES = {
    ProtocolRank.HEAD_OF_STATE: "President",
    ProtocolRank.HEAD_OF_GOVERNMENT: "Prime Minister",
    ProtocolRank.MINISTER_FOR_FOREIGN_AFFAIRS: "Minister for Foreign Affairs",
    ProtocolRank.MINISTER: "Minister of Justice",
    ProtocolRank.VICE_MINISTER: "Vice-Minister of Public Security",
    ProtocolRank.AMBASSADOR: "Permanent Representative to the United Nations",
    ProtocolRank.SENIOR_OFFICIAL: "Director-General",
}


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _heads(delegations) -> dict[int, Participant]:
    return {
        p.delegation_id: p
        for p in Participant.objects.filter(
            delegation__in=delegations, role=DelegationRole.HEAD
        ).exclude(status=ParticipantStatus.WITHDRAWN)
    }


def load_protocol(
    event: Event,
    delegations: dict[str, Delegation],
    *,
    tally,
    upsert: Callable,
) -> None:
    states = sorted(
        (d for d in delegations.values() if d.organisation.is_state),
        key=lambda d: d.organisation.name,
    )
    heads = _heads(states)
    starts_at = hanoi_time(event.start_date, "10:00")
    ceremony = upsert(
        SigningCeremony,
        lookup={"event": event},
        values={
            "starts_at": starts_at,
            "slot_minutes": 5,
            "slot_count": 60,
            "place": "Signing hall, National Convention Center",
        },
        tally=tally,
    )
    for delegation, (status, full_powers, rank, slot) in zip(
        states, SIGNING_PLAN, strict=False
    ):
        head = heads.get(delegation.pk)
        name = head.full_name if head else f"Signatory of {delegation.organisation}"
        decided = full_powers in (FullPowersStatus.CLEARED, FullPowersStatus.REJECTED)
        request = upsert(
            SigningRequest,
            lookup={"event": event, "delegation": delegation},
            values={
                "signatory_participant": None,
                "signatory_name": name,
                "signatory_title": TITLES[rank],
                "signatory_rank": rank,
                "status": status,
                "full_powers_status": full_powers,
                "full_powers_pages": 1
                if decided or full_powers == "under_review"
                else None,
                "full_powers_uploaded_at": starts_at - dt.timedelta(days=3)
                if decided or full_powers == "under_review"
                else None,
                "full_powers_name": name if full_powers == "cleared" else "",
                "full_powers_title": TITLES[rank] if full_powers == "cleared" else "",
                "full_powers_decided_at": starts_at - dt.timedelta(days=2)
                if decided
                else None,
                "full_powers_rejection_reason": (
                    "The instrument is signed by the Minister of Justice; full "
                    "powers must come from the Head of State, the Head of "
                    "Government or the Minister for Foreign Affairs."
                )
                if full_powers == "rejected"
                else "",
                "slot": slot,
                "signed_at": ceremony.slot_starts_at(slot) + dt.timedelta(minutes=2)
                if status == SigningStatus.SIGNED
                else None,
            },
            tally=tally,
        )
        if request.full_powers_pages and not request.full_powers:
            request.full_powers.save("demo-full-powers.pdf", ContentFile(_pdf()))

    speaking_list = upsert(
        SpeakingList,
        lookup={"event": event, "title": "High-level segment: general statements"},
        values={
            "day": event.start_date,
            "time_limit_seconds": 300,
            "reply_time_limit_seconds": 180,
            "countdown_duration": 300,
        },
        tally=tally,
    )
    requested = hanoi_time(event.start_date, "08:00") - dt.timedelta(days=10)
    speakers = [d for d in states if d.pk in heads][:14]
    for n, delegation in enumerate(speakers):
        upsert(
            SpeakingRequest,
            lookup={
                "speaking_list": speaking_list,
                "delegation": delegation,
                "kind": SpeechKind.STATEMENT,
            },
            values={
                "speaker": heads[delegation.pk],
                "requested_at": requested + dt.timedelta(hours=3 * n),
            },
            tally=tally,
        )
    if speakers:
        upsert(
            SpeakingRequest,
            lookup={
                "speaking_list": speaking_list,
                "delegation": speakers[-1],
                "kind": SpeechKind.REPLY,
            },
            values={
                "speaker": heads[speakers[-1].pk],
                "requested_at": requested + dt.timedelta(days=9),
            },
            tally=tally,
        )
