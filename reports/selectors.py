"""The List of Participants: who is listed, in protocol order.

Sections: UN Member States, observer States, UN entities,
intergovernmental organisations, other organisations (NGOs, private
sector, academia), media; within a section, organisations in English
alphabetical order of their (UN) names, accents aside ("Côte d'Ivoire"
among the C); within a delegation the Head of Delegation first, then by
role (alternates, advisers, delegates, security, press) and protocol rank,
then name. Only participants who consented are listed; the provisional
list has those submitted or approved, the final list only the approved.
One query for any size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from delegations.enums import DelegationRole, OrganisationKind, ParticipantStatus
from delegations.models import Participant
from hanoi_event.formatting import collation_key

SECTIONS = (
    ((OrganisationKind.MEMBER_STATE,), _("Member States")),
    ((OrganisationKind.OBSERVER_STATE,), _("Observer States")),
    ((OrganisationKind.UN_ENTITY,), _("United Nations entities")),
    ((OrganisationKind.IGO,), _("Intergovernmental organisations")),
    (
        (
            OrganisationKind.NGO,
            OrganisationKind.PRIVATE_SECTOR,
            OrganisationKind.ACADEMIA,
        ),
        _("Other organisations"),
    ),
    ((OrganisationKind.MEDIA,), _("Media")),
)
ROLE_ORDER = {role.value: index for index, role in enumerate(DelegationRole)}


@dataclass
class ListedPerson:
    honorific: str
    name: str
    function: str
    is_head: bool


@dataclass
class ListedDelegation:
    name: str
    people: list[ListedPerson] = field(default_factory=list)


@dataclass
class Section:
    title: str
    delegations: list[ListedDelegation]


def listed_statuses(*, final: bool) -> tuple[str, ...]:
    if final:
        return (ParticipantStatus.APPROVED,)
    return (ParticipantStatus.SUBMITTED, ParticipantStatus.APPROVED)


def list_of_participants(event, *, final: bool) -> list[Section]:
    """The non-empty sections of the list, in order."""
    people = (
        Participant.objects.filter(
            event=event,
            consent_list_of_participants=True,
            status__in=listed_statuses(final=final),
        )
        .select_related("delegation__organisation")
        .only(
            "honorific",
            "given_names",
            "family_name",
            "function_title",
            "role",
            "protocol_rank",
            "delegation__organisation__name",
            "delegation__organisation__kind",
        )
    )
    by_org: dict[int, tuple[object, list[Participant]]] = {}
    for person in people:
        organisation = person.delegation.organisation
        by_org.setdefault(organisation.pk, (organisation, []))[1].append(person)
    # Names in the reader's collation (ICU): "Bélanger" with "Belanger".
    alphabetical_key = collation_key()
    sections = []
    for kinds, title in SECTIONS:
        organisations = sorted(
            (entry for entry in by_org.values() if entry[0].kind in kinds),
            key=lambda entry: alphabetical_key(entry[0].name),
        )
        delegations = []
        for organisation, members in organisations:
            members.sort(
                key=lambda p: (
                    ROLE_ORDER.get(p.role, len(ROLE_ORDER)),
                    p.protocol_rank,
                    alphabetical_key(p.family_name),
                    alphabetical_key(p.given_names),
                )
            )
            delegations.append(
                ListedDelegation(
                    name=organisation.name,
                    people=[
                        ListedPerson(
                            honorific=p.get_honorific_display() if p.honorific else "",
                            name=p.full_name,
                            function=p.function_title,
                            is_head=p.role == DelegationRole.HEAD,
                        )
                        for p in members
                    ],
                )
            )
        if delegations:
            sections.append(Section(title=str(title), delegations=delegations))
    return sections
