"""Demo data of the programme's side: rooms open to side events, the slot
grid of day 2, side-event applications (most accepted and placed as the
demo's side events, some pending, one rejected, one accepted and waiting to
be placed), their speakers, seats (one side event full, with a waiting list)
and the first release of the public programme.

Called by ``loader.demo_load`` with its ``_upsert`` and tally, so it is
idempotent the same way: rows are matched by natural keys and written only
when they differ.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from delegations.enums import ParticipantStatus
from delegations.models import Delegation, Participant
from hanoi_event.models import Event
from sessions.enums import (
    ApplicationStatus,
    RegistrationStatus,
    SideEventFormat,
    SpeakerRole,
)
from sessions.models import (
    ProgrammeItem,
    ProgrammeRole,
    Registration,
    Release,
    Room,
    SideEventApplication,
    SideEventSlot,
    SideEventSpeaker,
    speaker_key,
)
from sessions.services import release_publish

from .data import DAY_2, SIDE_EVENT_SLOTS, hanoi_time

# Rooms the allocator may use for side events.
SIDE_EVENT_ROOM_NAMES = [f"Meeting Room {n}" for n in range(3, 13)]
# One side event with few seats, so the demo shows a waiting list.
FULL_SIDE_EVENT = "Protecting children online under the Convention"
FULL_SIDE_EVENT_SEATS = 12
FULL_SIDE_EVENT_REGISTRANTS = 15
# Applications that are not (yet) in the programme: (title, status, comment).
OTHER_APPLICATIONS = [
    (
        "Cyber hygiene for small and medium enterprises",
        ApplicationStatus.ACCEPTED,
        "Accepted; to be placed.",
    ),
    (
        "Open-source intelligence in cybercrime investigations",
        ApplicationStatus.PENDING,
        "",
    ),
    ("Deepfakes and electoral integrity", ApplicationStatus.PENDING, ""),
    (
        "A product launch by a private company",
        ApplicationStatus.REJECTED,
        "Side events may not promote commercial products.",
    ),
]
SPEAKER_NAMES = [
    ("Amina", "Diallo"),
    ("Lucas", "Fernández"),
    ("Mei", "Lin"),
    ("Olga", "Petrova"),
    ("Rahul", "Mehta"),
    ("Sara", "Haddad"),
    ("Tomás", "Silva"),
    ("Yuki", "Tanaka"),
    ("Kwame", "Mensah"),
    ("Ingrid", "Larsen"),
    ("Hoa", "Nguyen"),
    ("Omar", "Farouk"),
]
FORMATS = list(SideEventFormat.values)

Upsert = Callable[..., object]


def load_side_events(
    event: Event,
    delegations: dict[str, Delegation],
    *,
    tally,
    upsert: Upsert,
) -> None:
    """Rooms, slot grid, applications, speakers, seats, release 1."""
    rooms = {room.name: room for room in Room.objects.filter(event=event)}
    for name in SIDE_EVENT_ROOM_NAMES:
        upsert(
            Room,
            lookup={"event": event, "name": name},
            values={"open_to_side_events": True},
            tally=tally,
            current=rooms.get(name),
        )
    slots = _load_slots(event, tally, upsert)
    items = {
        item.title: item
        for item in ProgrammeItem.objects.filter(
            event=event, kind="side_event"
        ).order_by("starts_at", "room__name", "pk")
    }
    rng = random.Random(2025)
    applicants = sorted(delegations.values(), key=lambda d: d.pk)
    titles = list(items) + [title for title, _s, _c in OTHER_APPLICATIONS]
    existing = {a.title: a for a in SideEventApplication.objects.filter(event=event)}
    for index, title in enumerate(titles):
        item = items.get(title)
        status, comment = (
            (ApplicationStatus.ACCEPTED, "Accepted.")
            if item
            else next((s, c) for t, s, c in OTHER_APPLICATIONS if t == title)
        )
        delegation = applicants[index % len(applicants)]
        application = upsert(
            SideEventApplication,
            lookup={"event": event, "title": title},
            values={
                "delegation": delegation,
                "abstract": (
                    f"A discussion of “{title.lower()}” with practitioners, "
                    "followed by questions from the floor."
                ),
                "organiser": str(delegation.organisation),
                "co_sponsors": "UNODC" if index % 3 == 0 else "",
                "format": FORMATS[index % len(FORMATS)],
                "expected_audience": 20 + (index * 7) % 60
                if title != "Cyber hygiene for small and medium enterprises"
                else 90,
                "status": status,
                "score": 3 + index % 3 if status != ApplicationStatus.PENDING else None,
                "review_comment": comment,
                "programme_item": item,
            },
            tally=tally,
            current=existing.get(title),
        )
        if not application.preferred_slots.exists():
            application.preferred_slots.set(rng.sample(slots, 2))
        speakers = _speakers_for(index)
        _load_speakers(application, speakers, tally, upsert)
        if item is not None:
            _load_item(item, speakers, tally, upsert)
    _load_seats(event, items, tally)
    if not Release.objects.filter(event=event).exists():
        release_publish(event=event, comment="First programme")
        tally.created[Release._meta.label] += 1


def _load_slots(event: Event, tally, upsert: Upsert) -> list[SideEventSlot]:
    existing = {s.starts_at: s for s in SideEventSlot.objects.filter(event=event)}
    slots = []
    for start, end in SIDE_EVENT_SLOTS:
        starts_at = hanoi_time(DAY_2, start)
        slots.append(
            upsert(
                SideEventSlot,
                lookup={"event": event, "starts_at": starts_at},
                values={"ends_at": hanoi_time(DAY_2, end)},
                tally=tally,
                current=existing.get(starts_at),
            )
        )
    return slots


def _speakers_for(index: int) -> list[dict]:
    """Two speakers and a moderator; nobody twice in one slot (the 20 placed
    side events run four at a time; the speaker pool is large enough)."""
    people = []
    for offset, role in enumerate(
        (SpeakerRole.MODERATOR, SpeakerRole.SPEAKER, SpeakerRole.SPEAKER)
    ):
        given, family = SPEAKER_NAMES[(index * 3 + offset) % len(SPEAKER_NAMES)]
        people.append(
            {
                "role": role,
                "name": f"{given} {family}",
                "email": f"{given}.{family}.{index}@speakers.example".lower()
                .replace("á", "a")
                .replace("é", "e"),
                "organisation": "Demo speaker",
            }
        )
    return people


def _load_speakers(application, speakers: list[dict], tally, upsert: Upsert) -> None:
    existing = {s.name: s for s in application.speakers.all()}
    for order, person in enumerate(speakers):
        upsert(
            SideEventSpeaker,
            lookup={"application": application, "name": person["name"]},
            values={
                "function_title": person["role"].label,
                "organisation": person["organisation"],
                "email": person["email"],
                "order": order,
            },
            tally=tally,
            current=existing.get(person["name"]),
        )


def _load_item(item: ProgrammeItem, speakers: list[dict], tally, upsert: Upsert):
    upsert(
        ProgrammeItem,
        lookup={"pk": item.pk},
        values={
            "registration_required": True,
            "capacity": FULL_SIDE_EVENT_SEATS
            if item.title == FULL_SIDE_EVENT
            else None,
            "languages": ["en", "fr"] if item.pk % 2 else ["en"],
        },
        tally=tally,
        current=item,
    )
    existing = {r.name: r for r in item.roles.all()}
    for order, person in enumerate(speakers):
        upsert(
            ProgrammeRole,
            lookup={"item": item, "name": person["name"]},
            values={
                "role": person["role"],
                "affiliation": person["organisation"],
                "email": person["email"],
                "order": order,
                "speaker_key": speaker_key(email=person["email"]),
            },
            tally=tally,
            current=existing.get(person["name"]),
        )


def _load_seats(event: Event, items: dict[str, ProgrammeItem], tally) -> None:
    """Approved participants take seats: the full side event gets more
    registrants than seats (the last ones wait, in order); a few others get
    some seats. Written directly: the demo event is in the past, where the
    seat service (rightly) takes no registrations."""
    people = list(
        Participant.objects.filter(event=event, status=ParticipantStatus.APPROVED)
        .order_by("pk")
        .values_list("pk", flat=True)[:40]
    )
    plan: list[tuple[ProgrammeItem, list[int], int]] = []
    full = items.get(FULL_SIDE_EVENT)
    if full is not None:
        plan.append((full, people[:FULL_SIDE_EVENT_REGISTRANTS], FULL_SIDE_EVENT_SEATS))
    others = [
        item
        for title, item in sorted(items.items())
        if title != FULL_SIDE_EVENT and item.is_published
    ][:3]
    for n, item in enumerate(others):
        start = FULL_SIDE_EVENT_REGISTRANTS + n * 5
        plan.append((item, people[start : start + 5], 10**6))
    have = set(
        Registration.objects.filter(item__event=event).values_list(
            "item_id", "participant_id"
        )
    )
    new = []
    for item, participants, seats in plan:
        for position, participant_id in enumerate(participants):
            if (item.pk, participant_id) in have:
                continue
            new.append(
                Registration(
                    item=item,
                    participant_id=participant_id,
                    status=RegistrationStatus.CONFIRMED
                    if position < seats
                    else RegistrationStatus.WAITING,
                )
            )
    Registration.objects.bulk_create(new)
    if new:
        tally.created[Registration._meta.label] += len(new)
