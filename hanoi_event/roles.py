"""Staff roles: one Django Group per role, with a declared set of permissions.

``ROLE_PERMISSIONS`` is the single declaration. When a feature adds a model
or a custom permission a role needs, add its ``"app_label.codename"`` here
(the sessions app's label is ``event_sessions``) and run
``manage.py sync_roles`` (``manage.py load_demo`` runs it too). Declare only
permissions that exist: ``roles_sync`` refuses unknown ones, so a typo or a
model that is not migrated yet fails loudly instead of silently granting less.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q

ORGANIZER = "Organizer"
ACCREDITATION_OFFICER = "Accreditation officer"
PROTOCOL_OFFICER = "Protocol officer"
SIDE_EVENT_REVIEWER = "Side-event reviewer"
REGISTRATION_STAFF = "Registration staff"
CHECK_IN_OPERATOR = "Check-in operator"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    # The secretariat: everything about the event, its delegations and its
    # programme; sees the staff accounts.
    ORGANIZER: (
        "auth.view_user",
        "delegations.add_delegation",
        "delegations.add_delegationrolequota",
        "delegations.add_organisation",
        "delegations.add_participant",
        "delegations.change_delegation",
        "delegations.change_delegationrolequota",
        "delegations.change_organisation",
        "delegations.change_participant",
        "delegations.delete_delegation",
        "delegations.delete_delegationrolequota",
        "delegations.delete_organisation",
        "delegations.delete_participant",
        "delegations.view_delegation",
        "delegations.view_delegationrolequota",
        "delegations.view_organisation",
        "delegations.view_participant",
        # Invitations of focal points, registration codes for organisations
        # that are not States, and their requests.
        "delegations.change_invitation",
        "delegations.view_invitation",
        "delegations.add_registrationcode",
        "delegations.change_registrationcode",
        "delegations.delete_registrationcode",
        "delegations.view_registrationcode",
        "delegations.change_organisationrequest",
        "delegations.view_organisationrequest",
        # Email: the outbox ("send again" needs change), templates per
        # language, bulk sends, and the beat schedules of reminders.
        "django_celery_beat.change_periodictask",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.view_crontabschedule",
        "django_celery_beat.view_intervalschedule",
        "hanoi_event.add_bulksend",
        "hanoi_event.view_bulksend",
        "hanoi_event.add_emailtemplate",
        "hanoi_event.change_emailtemplate",
        "hanoi_event.view_emailtemplate",
        "hanoi_event.change_outboundemail",
        "hanoi_event.view_outboundemail",
        "event_sessions.add_programmeitem",
        "event_sessions.add_room",
        "event_sessions.change_programmeitem",
        "event_sessions.change_room",
        "event_sessions.delete_programmeitem",
        "event_sessions.delete_room",
        "event_sessions.view_programmeitem",
        "event_sessions.view_room",
        "hanoi_event.add_event",
        "hanoi_event.change_event",
        "hanoi_event.view_event",
    ),
    # Reviews nominations, credentials and photos; approves or rejects. The
    # only role that sees passport data.
    ACCREDITATION_OFFICER: (
        "delegations.change_delegation",
        "delegations.change_participant",
        "delegations.view_passport",
        "delegations.view_delegation",
        "delegations.view_delegationrolequota",
        "delegations.view_organisation",
        "delegations.view_participant",
        "hanoi_event.view_event",
    ),
    # Protocol ranks, signing slots, full powers, speaking list.
    PROTOCOL_OFFICER: (
        "delegations.change_participant",
        "delegations.view_delegation",
        "delegations.view_organisation",
        "delegations.view_participant",
        "event_sessions.change_programmeitem",
        "event_sessions.view_programmeitem",
        "event_sessions.view_room",
        "hanoi_event.view_event",
    ),
    # Reviews side-event applications and places them into the slot grid.
    SIDE_EVENT_REVIEWER: (
        "delegations.view_delegation",
        "delegations.view_organisation",
        "event_sessions.add_programmeitem",
        "event_sessions.change_programmeitem",
        "event_sessions.view_programmeitem",
        "event_sessions.view_room",
        "hanoi_event.view_event",
    ),
    # Imports participant lists and corrects records.
    REGISTRATION_STAFF: (
        "delegations.add_participant",
        "delegations.change_participant",
        "delegations.view_delegation",
        "delegations.view_delegationrolequota",
        "delegations.view_organisation",
        "delegations.view_participant",
        "hanoi_event.view_event",
    ),
    # Scans badges at the gates.
    CHECK_IN_OPERATOR: (
        "delegations.view_delegation",
        "delegations.view_participant",
        "hanoi_event.view_event",
    ),
}


def _permissions_by_name(names: Iterable[str]) -> dict[str, Permission]:
    """Look up ``"app_label.codename"`` strings in one query."""
    wanted: set[tuple[str, str]] = set()
    for name in names:
        app_label, sep, codename = name.partition(".")
        if not sep or not app_label or not codename:
            raise ImproperlyConfigured(
                f"Permission {name!r} is not of the form 'app_label.codename'."
            )
        wanted.add((app_label, codename))
    condition = Q(pk__in=[])
    for app_label, codename in wanted:
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.filter(condition).select_related(
            "content_type"
        )
    }


@transaction.atomic
def roles_sync(*, roles: Mapping[str, Iterable[str]] | None = None) -> None:
    """Create or update one Group per role with exactly its declared permissions.

    Side effects: creates missing groups; adds and removes group permissions
    so each group holds exactly the declared set. Groups that are not declared
    are left alone. Idempotent: a second run changes nothing. Raises
    ``ImproperlyConfigured`` (and changes nothing) if a declared permission
    does not exist, for instance before ``migrate``.
    """
    declared = {
        name: frozenset(codes)
        for name, codes in (ROLE_PERMISSIONS if roles is None else roles).items()
    }
    all_names = set().union(*declared.values()) if declared else set()
    found = _permissions_by_name(all_names)
    missing = sorted(all_names - found.keys())
    if missing:
        raise ImproperlyConfigured(
            "Roles declare permissions that do not exist (not migrated yet, or a "
            "typo): " + ", ".join(missing)
        )
    for group_name, codes in declared.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.set([found[code] for code in codes])
