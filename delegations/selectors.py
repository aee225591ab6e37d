"""Reads about delegations and participants that other modules reuse."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from hanoi_event.formatting import sorted_by_name
from hanoi_event.models import Event

from .enums import DelegationRole, DelegationStatus, ParticipantStatus
from .fields import incomplete_q, missing_fields
from .models import Delegation, DelegationRoleQuota, Participant


def current_heads_queryset() -> QuerySet[Participant]:
    """Heads of Delegation who have not withdrawn (one per delegation at most:
    a database constraint)."""
    return Participant.objects.filter(role=DelegationRole.HEAD).exclude(
        status=ParticipantStatus.WITHDRAWN
    )


def delegations_with_summary(
    *, queryset: QuerySet[Delegation] | None = None
) -> QuerySet[Delegation]:
    """Delegations with their organisation, event and focal point joined in,
    annotated with ``member_count`` (members not withdrawn), and with
    ``current_heads`` (a list of zero or one Participant) prefetched.

    Two queries for any number of rows; use ``head_of_delegation(delegation)``
    to read the head."""
    if queryset is None:
        queryset = Delegation.objects.all()
    return (
        queryset.select_related("organisation", "event", "focal_point")
        .annotate(
            member_count=Count(
                "members", filter=~Q(members__status=ParticipantStatus.WITHDRAWN)
            )
        )
        .prefetch_related(
            Prefetch(
                "members", queryset=current_heads_queryset(), to_attr="current_heads"
            )
        )
    )


def head_of_delegation(delegation: Delegation) -> Participant | None:
    """The delegation's current head; no query when it came from
    ``delegations_with_summary``."""
    heads = getattr(delegation, "current_heads", None)
    if heads is None:
        return current_heads_queryset().filter(delegation=delegation).first()
    return heads[0] if heads else None


def participants_with_delegation(
    *, queryset: QuerySet[Participant] | None = None
) -> QuerySet[Participant]:
    """Participants with their delegation and its organisation joined in."""
    if queryset is None:
        queryset = Participant.objects.all()
    return queryset.select_related("delegation__organisation")


# Portal reads (registration portal: focal points and delegates) ------------


def portal_access(user) -> bool:
    """Whether ``user``'s records count in the portal: signed in and not
    staff. A staff account owns nothing in the portal, however it came to be
    a record's account or a focal point (assigned before it became staff,
    claimed by its address at sign-in): staff read records in the admin, with
    their role's permissions, and portal access must not widen them."""
    return user.is_authenticated and not user.is_staff


def portal_delegations_for_user(user) -> QuerySet[Delegation]:
    """Delegations ``user`` is the focal point of (none for anonymous and
    for staff: see ``portal_access``)."""
    if not portal_access(user):
        return Delegation.objects.none()
    return Delegation.objects.filter(focal_point=user).select_related(
        "organisation", "event"
    )


def portal_participants_for_user(user) -> QuerySet[Participant]:
    """Participant records ``user`` may see and change in the portal: their
    own, and the members of delegations they are the focal point of."""
    if not portal_access(user):
        return Participant.objects.none()
    return Participant.objects.filter(
        Q(user=user) | Q(delegation__focal_point=user)
    ).select_related("delegation__organisation", "delegation__event", "nationality")


def portal_own_participations(user) -> QuerySet[Participant]:
    """The user's own participant records (one per event at most)."""
    if not portal_access(user):
        return Participant.objects.none()
    return Participant.objects.filter(user=user).select_related(
        "delegation__organisation", "delegation__event", "nationality"
    )


def portal_delegation_members(delegation: Delegation) -> list[Participant]:
    """A delegation's members for its page, by family then given names in the
    reader's collation (ICU: "Bélanger" with "Belanger", not after "Brown")."""
    return sorted_by_name(
        delegation.members.select_related("nationality", "user"),
        lambda p: p.family_name,
        lambda p: p.given_names,
    )


@dataclass(frozen=True)
class QuotaUse:
    """One role's quota in a delegation: ``used`` of ``limit`` taken."""

    role: str
    label: str
    used: int
    limit: int

    @property
    def full(self) -> bool:
        return self.used >= self.limit


def quota_use(delegation: Delegation) -> list[QuotaUse]:
    """Each role the event limits, with the members (not withdrawn) holding
    it in ``delegation``; two queries."""
    used = dict(
        delegation.members.exclude(status=ParticipantStatus.WITHDRAWN)
        .values_list("role")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        QuotaUse(
            role=quota.role,
            label=quota.get_role_display(),
            used=used.get(quota.role, 0),
            limit=quota.max_count,
        )
        for quota in DelegationRoleQuota.objects.filter(
            event_id=delegation.event_id
        ).order_by("pk")
    ]


def focal_point_name(delegation: Delegation) -> str:
    """How emails name the delegation's focal point: their own record in the
    delegation (honorific and name as in passport), else their account's
    name, else their address ("" without a focal point)."""
    user = delegation.focal_point
    if user is None:
        return ""
    own = (
        delegation.members.filter(email__iexact=user.email)
        .exclude(status=ParticipantStatus.WITHDRAWN)
        .first()
    )
    if own is not None:
        honorific = own.get_honorific_display() if own.honorific else ""
        return f"{honorific} {own.full_name}".strip()
    return user.get_full_name() or user.email


# Reminders ------------------------------------------------------------------


def registration_days_left(*, event: Event, now: dt.datetime) -> int | None:
    """Calendar days (in the event's time zone) until the registration
    deadline; None without a deadline."""
    if event.registration_deadline is None:
        return None
    tz = event.tzinfo
    return (
        event.registration_deadline.astimezone(tz).date() - now.astimezone(tz).date()
    ).days


def focal_point_language_subquery() -> Subquery:
    """For a delegation queryset: the preferred language of the focal point's
    own participant record in the delegation (None if they have none)."""
    return Subquery(
        Participant.objects.filter(
            delegation=OuterRef("pk"), email__iexact=OuterRef("focal_point__email")
        )
        .order_by("pk")
        .values("preferred_language")[:1]
    )


def focal_point_record_names(queryset: QuerySet[Delegation]) -> QuerySet[Delegation]:
    """``queryset`` annotated with the focal point's own names as in their
    participant record in the delegation (``fp_given_names``,
    ``fp_family_name``; None if they have none); see
    ``record_full_name``."""

    def own(field: str) -> Subquery:
        return Subquery(
            Participant.objects.filter(
                delegation=OuterRef("pk"), email__iexact=OuterRef("focal_point__email")
            )
            .order_by("pk")
            .values(field)[:1]
        )

    return queryset.annotate(
        fp_given_names=own("given_names"), fp_family_name=own("family_name")
    )


def record_full_name(delegation: Delegation) -> str:
    """The focal point's name from ``focal_point_record_names`` written as
    ``Participant.full_name`` writes it ("" without a record)."""
    if not getattr(delegation, "fp_family_name", None):
        return ""
    return f"{delegation.fp_given_names} {delegation.fp_family_name.upper()}".strip()


def reminder_deadline_delegations(*, event: Event) -> list[Delegation]:
    """Delegations of ``event`` that have not submitted (invited or
    registering) and have a focal point with an address. Each carries
    ``focal_point_language`` (see ``focal_point_language_subquery``)."""
    return list(
        Delegation.objects.filter(
            event=event,
            status__in=[DelegationStatus.INVITED, DelegationStatus.REGISTERING],
            focal_point__isnull=False,
        )
        .exclude(focal_point__email="")
        .select_related("organisation", "focal_point")
        .annotate(focal_point_language=focal_point_language_subquery())
        .order_by("pk")
    )


def reminder_missing_data_participants(*, event: Event) -> list[Participant]:
    """Participants (nominated or submitted) who still miss something their
    registration needs (``fields.missing_fields``)."""
    candidates = (
        Participant.objects.filter(
            event=event,
            status__in=[ParticipantStatus.NOMINATED, ParticipantStatus.SUBMITTED],
        )
        .filter(incomplete_q())
        .order_by("pk")
    )
    return [p for p in candidates if missing_fields(p)]
