"""Demo data: the Hanoi 2025 signing ceremony with rooms, programme,
delegations, participants and an organizer account.

``demo_load()`` is the only entry point (``manage.py load_demo`` calls it).
Everything here is fixed data or drawn from ``random.Random(2025)``, so every
run produces the same records. Records are found by natural keys (event slug,
room name, programme item title and start, delegation organisation,
participant email) and only created or changed when they differ, so a second
run creates nothing and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from delegations.enums import (
    DelegationRole,
    DelegationStatus,
    Gender,
    Honorific,
    OrganisationKind,
    ParticipantStatus,
    ProtocolRank,
)
from delegations.fields import DECISION_FIELDS, DELEGATION_ROLE_FIELDS, PROFILE_FIELDS
from delegations.models import (
    Delegation,
    DelegationRoleQuota,
    Organisation,
    Participant,
)
from hanoi_event.models import Event
from hanoi_event.roles import ORGANIZER, roles_sync
from sessions.models import ProgrammeItem, Room

from .accreditation import load_accreditation
from .data import (
    ADMIN_URL,
    ADVISER_TITLES,
    CHANGE_REASON,
    CULTURES,
    DAY_2,
    DELEGATE_TITLES,
    DELEGATIONS,
    DEMO_EMAIL_DOMAIN,
    DEMO_ORGANISATIONS,
    DIETARY,
    EVENT_SLUG,
    EVENT_VALUES,
    HEAD_TITLES,
    HOTELS,
    MIXED_CULTURES,
    ORGANIZER_EMAIL,
    ORGANIZER_PASSWORD,
    ORGANIZER_USERNAME,
    PROGRAMME,
    REFERENCE_ORGANISATION_DELEGATIONS,
    REJECTION_REASONS,
    ROLE_QUOTAS,
    ROOMS,
    STATE_CULTURE,
    STATE_DELEGATIONS,
    Culture,
    DelegationSpec,
    hanoi_time,
    strip_diacritics,
)
from .focal_points import load_focal_points
from .programme import load_side_events
from .protocol import load_protocol

# ---------------------------------------------------------------------------
# Result and bookkeeping.


@dataclass
class _Tally:
    """Rows created and updated in this run, per model label."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class DemoResult:
    """What ``demo_load`` did. ``created`` and ``updated`` count rows per model
    label in this run; ``totals`` counts the demo event's rows after it."""

    event: Event
    created: dict[str, int]
    updated: dict[str, int]
    totals: dict[str, int]
    organizer_username: str = ORGANIZER_USERNAME
    organizer_email: str = ORGANIZER_EMAIL
    organizer_password: str = ORGANIZER_PASSWORD
    admin_url: str = ADMIN_URL

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)


def _comparable(instance: models.Model, name: str) -> Any:
    """The value of ``name`` on ``instance`` without fetching related rows."""
    model_field = instance._meta.get_field(name)
    return getattr(instance, model_field.attname)


def _raw(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _changed_fields(instance: models.Model, values: dict[str, Any]) -> list[str]:
    return [
        name
        for name, value in values.items()
        if _comparable(instance, name) != _raw(value)
    ]


_LOOK_UP = object()


def _upsert(
    model: type[models.Model],
    *,
    lookup: dict[str, Any],
    values: dict[str, Any],
    tally: _Tally,
    current: Any = _LOOK_UP,
) -> models.Model:
    """Create the row found by ``lookup`` or bring it to ``values``.

    ``current`` is the row when the caller already read it (None: there is
    none), so that a loop does not query once per row. Saves only when
    something differs, so a re-run writes nothing and adds no history records.

    ``full_clean`` checks the fields and the model's ``clean()``. It skips the
    look-ups of related rows (they were just read here) and the per-row
    constraint queries: the natural-key look-up already rules out duplicates,
    and the database enforces every constraint again inside the transaction.
    """
    label = model._meta.label
    instance = (
        model._default_manager.filter(**lookup).first()
        if current is _LOOK_UP
        else current
    )
    if instance is None:
        instance = model(**lookup, **values)
        tally.created[label] += 1
    else:
        changed = _changed_fields(instance, values)
        if not changed:
            return instance
        for name in changed:
            setattr(instance, name, values[name])
        tally.updated[label] += 1
    related = [field.name for field in model._meta.concrete_fields if field.is_relation]
    instance.full_clean(exclude=related, validate_constraints=False)
    instance._change_reason = CHANGE_REASON
    instance.save()
    return instance


# ---------------------------------------------------------------------------
# Loaders.


def _load_event(tally: _Tally) -> Event:
    # Only one event can be current: the demo event takes over.
    Event.objects.filter(is_current=True).exclude(slug=EVENT_SLUG).update(
        is_current=False
    )
    event = _upsert(
        Event, lookup={"slug": EVENT_SLUG}, values=EVENT_VALUES, tally=tally
    )
    quotas = {quota.role: quota for quota in event.role_quotas.all()}
    for role, max_count in ROLE_QUOTAS.items():
        _upsert(
            DelegationRoleQuota,
            lookup={"event": event, "role": role},
            values={"max_count": max_count},
            tally=tally,
            current=quotas.get(role),
        )
    return event


def _load_rooms(event: Event, tally: _Tally) -> dict[str, Room]:
    rooms = {room.name: room for room in Room.objects.filter(event=event)}
    return {
        name: _upsert(
            Room,
            lookup={"event": event, "name": name},
            values={"capacity": capacity, "location": location},
            tally=tally,
            current=rooms.get(name),
        )
        for name, capacity, location in ROOMS
    }


def _load_programme(event: Event, rooms: dict[str, Room], tally: _Tally) -> None:
    items = {
        (item.title, item.starts_at): item
        for item in ProgrammeItem.objects.filter(event=event)
    }
    for kind, title, room_name, day, start, end, published in PROGRAMME:
        starts_at = hanoi_time(day, start)
        _upsert(
            ProgrammeItem,
            lookup={"event": event, "title": title, "starts_at": starts_at},
            current=items.get((title, starts_at)),
            values={
                "kind": kind,
                "room": rooms[room_name],
                "ends_at": hanoi_time(day, end),
                "is_published": published,
            },
            tally=tally,
        )


def _organisations(tally: _Tally) -> dict[str, Organisation]:
    """Every organisation the demo refers to, by the key its spec uses."""
    for name, kind, acronym in DEMO_ORGANISATIONS:
        _upsert(
            Organisation,
            lookup={"name": name},
            values={
                "kind": kind,
                "acronym": acronym,
                "website": f"https://{acronym.lower()}.example.org/",
            },
            tally=tally,
        )
    iso3s = {spec.org for spec in STATE_DELEGATIONS}
    for culture in CULTURES.values():
        iso3s.update(culture.countries)
    acronyms = {spec.org for spec in REFERENCE_ORGANISATION_DELEGATIONS}
    names = {name for name, _kind, _acronym in DEMO_ORGANISATIONS}
    found: dict[str, Organisation] = {}
    for organisation in Organisation.objects.filter(iso3__in=iso3s):
        found[organisation.iso3] = organisation
    for organisation in Organisation.objects.filter(
        acronym__in=acronyms,
        kind__in=[OrganisationKind.UN_ENTITY, OrganisationKind.IGO],
    ):
        found[organisation.acronym] = organisation
    for organisation in Organisation.objects.filter(name__in=names):
        found[organisation.name] = organisation
    missing = sorted((iso3s | acronyms | names) - found.keys())
    if missing:
        raise ImproperlyConfigured(
            "The demo needs organisations the reference data does not have: "
            + ", ".join(missing)
        )
    return found


def _load_delegations(
    event: Event, organisations: dict[str, Organisation], tally: _Tally
) -> dict[str, Delegation]:
    existing = {
        delegation.organisation_id: delegation
        for delegation in Delegation.objects.filter(event=event)
    }
    delegations = {}
    for index, spec in enumerate(DELEGATIONS):
        submitted = spec.status in (
            DelegationStatus.SUBMITTED,
            DelegationStatus.ACCREDITED,
        )
        delegations[spec.org] = _upsert(
            Delegation,
            lookup={"event": event, "organisation": organisations[spec.org]},
            current=existing.get(organisations[spec.org].pk),
            values={
                "status": spec.status,
                "submitted_at": hanoi_time(
                    dt.date(2025, 9, 1) + dt.timedelta(days=index % 30), "10:00"
                )
                if submitted
                else None,
            },
            tally=tally,
        )
    return delegations


def _romanised(culture: Culture, text: str) -> str:
    for pool in (culture.male, culture.female, culture.family, culture.family_female):
        for written, ascii_form in pool:
            if written == text:
                return ascii_form
    return strip_diacritics(text)


def _email_part(text: str) -> str:
    return "-".join(text.lower().replace("'", "").split())


def _roles(spec: DelegationSpec, organisation_kind: str) -> list[str]:
    """Roles of the members in order, the head first, within ``ROLE_QUOTAS``."""
    role = DelegationRole
    count = spec.members
    if organisation_kind == OrganisationKind.MEDIA:
        # A news agency sends its head and journalists.
        roles = [role.HEAD] + [role.PRESS] * min(2, count - 1)
    else:
        roles = [role.HEAD]
        roles += [role.ALTERNATE] * (2 if count >= 6 else (1 if count >= 3 else 0))
        high_level = spec.head_rank in (
            ProtocolRank.HEAD_OF_STATE,
            ProtocolRank.HEAD_OF_GOVERNMENT,
            ProtocolRank.VICE_PRESIDENT,
        )
        security = 4 if high_level else (2 if count >= 8 else 0)
        roles += [role.SECURITY] * max(min(security, count - len(roles) - 1), 0)
        press = 2 if count >= 20 else (1 if count >= 9 else 0)
        roles += [role.PRESS] * max(min(press, count - len(roles)), 0)
    while len(roles) < count:
        roles.append(role.ADVISER if len(roles) % 3 == 0 else role.DELEGATE)
    return roles[:count]


def _member_status(
    rng: random.Random, delegation_status: str, role: str
) -> tuple[str, str]:
    """(participant status, rejection reason) for a member of a delegation."""
    status = ParticipantStatus
    draw = rng.random()
    if delegation_status == DelegationStatus.REGISTERING:
        if role == DelegationRole.HEAD or draw < 0.4:
            return status.SUBMITTED, ""
        return status.NOMINATED, ""
    if delegation_status == DelegationStatus.SUBMITTED:
        if role != DelegationRole.HEAD and draw < 0.08:
            return status.WITHDRAWN, ""
        return status.SUBMITTED, ""
    # Accredited delegations.
    if role != DelegationRole.HEAD:
        if draw < 0.06:
            return status.REJECTED, rng.choice(REJECTION_REASONS)
        if draw < 0.1:
            return status.WITHDRAWN, ""
    return status.APPROVED, ""


def _rank_and_title(
    rng: random.Random, role: str, position: int, *, is_state: bool, kind: str
) -> tuple[int, str]:
    """Protocol rank and function for a member who is neither head nor spouse."""
    if role == DelegationRole.ALTERNATE:
        if not is_state:
            return ProtocolRank.SENIOR_OFFICIAL, "Deputy Director"
        if position == 1:  # the first alternate
            return ProtocolRank.AMBASSADOR, "Ambassador, Permanent Representative"
        return ProtocolRank.SENIOR_OFFICIAL, "Director-General"
    if role == DelegationRole.SECURITY:
        return ProtocolRank.OFFICIAL, "Security Officer"
    if role == DelegationRole.PRESS:
        if kind == OrganisationKind.MEDIA:
            return ProtocolRank.OTHER, "Journalist"
        return ProtocolRank.OFFICIAL, "Press Officer"
    if role == DelegationRole.ADVISER:
        rank = ProtocolRank.SENIOR_OFFICIAL if is_state else ProtocolRank.OTHER
        return rank, rng.choice(ADVISER_TITLES)
    rank = ProtocolRank.OFFICIAL if is_state else ProtocolRank.OTHER
    return rank, rng.choice(DELEGATE_TITLES)


def _honorific(rng: random.Random, rank: int, gender: str) -> str:
    female = gender == Gender.FEMALE
    if rank <= ProtocolRank.AMBASSADOR:  # Their Excellencies
        return Honorific.HE_MS if female else Honorific.HE_MR
    if rng.random() < 0.15:
        return Honorific.DR
    return Honorific.MS if female else Honorific.MR


def _random_time(
    rng: random.Random, day: dt.date, first_hour: int, hours: int
) -> dt.datetime:
    minute = rng.choice(("00", "15", "30", "45"))
    return hanoi_time(day, f"{first_hour + rng.randrange(hours)}:{minute}")


def _participants(
    event: Event,
    delegations: dict[str, Delegation],
    organisations: dict[str, Organisation],
) -> list[Participant]:
    """The demo participants, unsaved, always in the same order and values."""
    rng = random.Random(2025)
    people: list[Participant] = []
    number = 0
    for spec in DELEGATIONS:
        if not spec.members:
            continue
        delegation = delegations[spec.org]
        kind = organisations[spec.org].kind
        is_state = spec.org in STATE_CULTURE
        roles = _roles(spec, kind)
        if spec.head_replaced:
            roles.append(DelegationRole.HEAD)  # the first head, who withdrew
        last = len(roles) - 1
        for position, role in enumerate(roles):
            number += 1
            culture = CULTURES[
                STATE_CULTURE[spec.org] if is_state else rng.choice(MIXED_CULTURES)
            ]
            if position < len(spec.pinned):
                given, family, gender = spec.pinned[position]
                given_ascii = _romanised(culture, given)
                family_ascii = _romanised(culture, family)
            else:
                gender = rng.choice((Gender.FEMALE, Gender.MALE))
                female = gender == Gender.FEMALE
                given, given_ascii = rng.choice(
                    culture.female if female else culture.male
                )
                family, family_ascii = rng.choice(
                    culture.family_female
                    if female and culture.family_female
                    else culture.family
                )
            nationality = organisations[
                spec.org if is_state else rng.choice(culture.countries)
            ]
            withdrawn_head = spec.head_replaced and position == last
            spouse = spec.spouse and position == last
            if role == DelegationRole.HEAD:
                rank, title = spec.head_rank, HEAD_TITLES[spec.head_rank]
            elif spouse:
                rank, title = ProtocolRank.OTHER, "Spouse of the Head of Delegation"
            else:
                rank, title = _rank_and_title(
                    rng, role, position, is_state=is_state, kind=kind
                )
            if withdrawn_head:
                status, reason = ParticipantStatus.WITHDRAWN, ""
            else:
                status, reason = _member_status(rng, spec.status, role)
            # Hosts live in Hanoi: no travel, hotel or visa.
            local = nationality.iso3 == "VNM"
            arrival_day = dt.date(2025, 10, 22) + dt.timedelta(days=rng.randrange(3))
            departure_day = DAY_2 + dt.timedelta(days=rng.randrange(3))
            people.append(
                Participant(
                    event=event,
                    delegation=delegation,
                    email=(
                        f"{_email_part(given_ascii)}.{_email_part(family_ascii)}"
                        f".{number}@{DEMO_EMAIL_DOMAIN}"
                    ),
                    role=role,
                    protocol_rank=rank,
                    is_spouse_of_dignitary=spouse,
                    status=status,
                    honorific=_honorific(rng, rank, gender),
                    given_names=given,
                    family_name=family,
                    gender=gender,
                    function_title=title,
                    nationality=nationality,
                    date_of_birth=dt.date(
                        1955 + rng.randrange(45),
                        1 + rng.randrange(12),
                        1 + rng.randrange(28),
                    ),
                    passport_number=f"{nationality.iso2}{rng.randrange(10**6, 10**7)}",
                    passport_expiry=dt.date(
                        2027 + rng.randrange(8),
                        1 + rng.randrange(12),
                        1 + rng.randrange(28),
                    ),
                    phone=f"+84 9{rng.randrange(10**7, 10**8)}" if local else "",
                    arrival_at=None if local else _random_time(rng, arrival_day, 8, 14),
                    departure_at=(
                        None if local else _random_time(rng, departure_day, 6, 16)
                    ),
                    hotel="" if local else rng.choice(HOTELS),
                    needs_visa_letter=not local and rng.random() < 0.3,
                    dietary_needs=rng.choice(DIETARY) if rng.random() < 0.2 else "",
                    accessibility_needs=(
                        "Wheelchair access" if rng.random() < 0.03 else ""
                    ),
                    preferred_language=culture.language,
                    consent_list_of_participants=rng.random() < 0.9,
                    submitted_at=(
                        hanoi_time(
                            dt.date(2025, 9, 10) + dt.timedelta(days=number % 25),
                            "09:30",
                        )
                        if status != ParticipantStatus.NOMINATED
                        else None
                    ),
                    decided_at=(
                        hanoi_time(
                            dt.date(2025, 10, 6) + dt.timedelta(days=number % 4),
                            "15:00",
                        )
                        if status
                        in (ParticipantStatus.APPROVED, ParticipantStatus.REJECTED)
                        else None
                    ),
                    rejection_reason=reason,
                )
            )
    return people


# Every field the demo sets on a participant, so that a re-run puts an edited
# record back to its demo values.
PARTICIPANT_FIELDS = (
    "delegation",
    *DELEGATION_ROLE_FIELDS,
    *DECISION_FIELDS,
    *PROFILE_FIELDS,
)


def _check_participants(people: list[Participant]) -> None:
    """The table constraints, checked on the whole list at once.

    Checking them row by row (``full_clean``'s ``validate_constraints``) costs
    several queries per participant; here the list is the whole demo, so a
    pass over it in memory says the same. The database enforces them again.
    """
    emails = Counter(person.email.lower() for person in people)
    heads = Counter(
        person.delegation.pk
        for person in people
        if person.role == DelegationRole.HEAD
        and person.status != ParticipantStatus.WITHDRAWN
    )
    errors = [f"Email used twice: {email}" for email, n in emails.items() if n > 1]
    errors += [
        f"Delegation {delegation_id} has {n} heads"
        for delegation_id, n in heads.items()
        if n > 1
    ]
    errors += [
        f"{person.email}: departure before arrival"
        for person in people
        if person.arrival_at
        and person.departure_at
        and person.departure_at < person.arrival_at
    ]
    if errors:
        raise ValidationError(errors)


def _load_participants(
    event: Event,
    delegations: dict[str, Delegation],
    organisations: dict[str, Organisation],
    tally: _Tally,
) -> None:
    wanted = _participants(event, delegations, organisations)
    _check_participants(wanted)
    existing = {
        participant.email: participant
        for participant in Participant.objects.filter(
            event=event, email__in=[person.email for person in wanted]
        )
    }
    # The related rows were just read from the database, so their look-ups
    # are skipped; clean() still checks the event, dates and passport.
    skip_lookups = ["event", "delegation", "nationality"]
    new = []
    for person in wanted:
        current = existing.get(person.email)
        if current is None:
            person.full_clean(exclude=skip_lookups, validate_constraints=False)
            new.append(person)
            continue
        values = {name: getattr(person, name) for name in PARTICIPANT_FIELDS}
        changed = _changed_fields(current, values)
        if changed:
            for name in changed:
                setattr(current, name, values[name])
            current.full_clean()
            current._change_reason = CHANGE_REASON
            current.save()
            tally.updated[Participant._meta.label] += 1
    if new:
        bulk_create_with_history(
            new, Participant, batch_size=500, default_change_reason=CHANGE_REASON
        )
        tally.created[Participant._meta.label] += len(new)


def _load_organizer(tally: _Tally) -> None:
    user_model = get_user_model()
    user = user_model._default_manager.filter(username=ORGANIZER_USERNAME).first()
    values = {
        "email": ORGANIZER_EMAIL,
        "first_name": "Demo",
        "last_name": "Organizer",
        "is_staff": True,
        "is_superuser": True,
        "is_active": True,
    }
    if user is None:
        user = user_model(username=ORGANIZER_USERNAME, **values)
        user.set_password(ORGANIZER_PASSWORD)
        user.full_clean()
        user.save()
        tally.created[user_model._meta.label] += 1
    else:
        changed = _changed_fields(user, values)
        for name in changed:
            setattr(user, name, values[name])
        if not user.check_password(ORGANIZER_PASSWORD):
            user.set_password(ORGANIZER_PASSWORD)
            changed.append("password")
        if changed:
            user.full_clean()
            user.save()
            tally.updated[user_model._meta.label] += 1
    user.groups.add(Group.objects.get(name=ORGANIZER))
    if apps.is_installed("allauth.account"):
        # Email login through allauth needs a verified, primary address.
        from allauth.account.models import EmailAddress

        _upsert(
            EmailAddress,
            lookup={"user": user, "email": ORGANIZER_EMAIL},
            values={"verified": True, "primary": True},
            tally=tally,
        )


def _totals(event: Event) -> dict[str, int]:
    return {
        "events": Event.objects.filter(pk=event.pk).count(),
        "rooms": Room.objects.filter(event=event).count(),
        "programme_items": ProgrammeItem.objects.filter(event=event).count(),
        "delegations": Delegation.objects.filter(event=event).count(),
        "participants": Participant.objects.filter(event=event).count(),
    }


@transaction.atomic
def demo_load() -> DemoResult:
    """Load the reference data, the staff roles and the demo event.

    Side effects, in one transaction: runs ``load_reference_data`` and
    ``roles_sync``; creates or updates the Hanoi 2025 event (and makes it the
    current event, so any other event stops being current), its role quotas,
    rooms, programme, delegations, participants (with a history record
    each), demo organisations and the organizer account (a superuser in the
    Organizer group). Idempotent: records are matched by natural keys and
    written only when they differ, so a second run creates and changes nothing.
    Raises ``ImproperlyConfigured`` if the reference data lacks an
    organisation the demo uses.
    """
    call_command("load_reference_data", stdout=io.StringIO())
    roles_sync()
    tally = _Tally()
    event = _load_event(tally)
    rooms = _load_rooms(event, tally)
    _load_programme(event, rooms, tally)
    organisations = _organisations(tally)
    delegations = _load_delegations(event, organisations, tally)
    _load_participants(event, delegations, organisations, tally)
    load_side_events(event, delegations, tally=tally, upsert=_upsert)
    load_protocol(event, delegations, tally=tally, upsert=_upsert)
    load_focal_points(delegations, tally=tally, upsert=_upsert)
    load_accreditation(event, tally=tally, upsert=_upsert)
    _load_organizer(tally)
    return DemoResult(
        event=event,
        created=dict(sorted(tally.created.items())),
        updated=dict(sorted(tally.updated.items())),
        totals=_totals(event),
    )
