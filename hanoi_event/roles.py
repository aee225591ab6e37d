"""Staff roles: one Django Group per role, with the permissions that the
apps declare for it.

The role names live here; what each role may do on an app's models is
declared by that app (its ``roles.py``) and registered from its
``AppConfig.ready()`` with ``register_role_permissions``. ``manage.py
sync_roles`` (and ``manage.py load_demo``) makes each group hold exactly the
union of the declarations. Declare only permissions that exist:
``roles_sync`` refuses unknown ones, so a typo or a model that is not
migrated yet fails loudly instead of silently granting less. The sessions
app's label is ``event_sessions``.
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

# Who does what (PRODUCT.md): the secretariat does everything about the event;
# accreditation officers review nominations, credentials and photos (the only
# role that sees passport data); protocol officers handle ranks, signing and
# the speaking list; side-event reviewers review and place side events;
# registration staff import lists and correct records; check-in operators
# scan badges at the gates.
ROLES = (
    ORGANIZER,
    ACCREDITATION_OFFICER,
    PROTOCOL_OFFICER,
    SIDE_EVENT_REVIEWER,
    REGISTRATION_STAFF,
    CHECK_IN_OPERATOR,
)

_DECLARED: dict[str, set[str]] = {role: set() for role in ROLES}


def register_role_permissions(declaration: Mapping[str, Iterable[str]]) -> None:
    """Add an app's ``{role: ("app_label.codename", ...)}`` to the roles
    (from ``AppConfig.ready()``; registering the same again is harmless)."""
    for role, codes in declaration.items():
        if role not in _DECLARED:
            raise ImproperlyConfigured(f"Unknown staff role {role!r}.")
        _DECLARED[role].update(codes)


def role_permissions() -> dict[str, frozenset[str]]:
    """Every role with the union of the permissions the apps declared."""
    return {role: frozenset(codes) for role, codes in _DECLARED.items()}


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
        for name, codes in (role_permissions() if roles is None else roles).items()
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


# What the roles may do on this layer's own models (registered by
# hanoi_event's AppConfig.ready() like every app's declaration). Organizers
# see the staff accounts, the event record, the outbox ("send again" needs
# change), the templates per language, bulk sends and the beat schedules.
EVENT_ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ORGANIZER: (
        "auth.view_user",
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
        "hanoi_event.add_event",
        "hanoi_event.change_event",
        "hanoi_event.view_event",
    ),
    ACCREDITATION_OFFICER: ("hanoi_event.view_event",),
    PROTOCOL_OFFICER: ("hanoi_event.view_event",),
    SIDE_EVENT_REVIEWER: ("hanoi_event.view_event",),
    REGISTRATION_STAFF: ("hanoi_event.view_event",),
    CHECK_IN_OPERATOR: ("hanoi_event.view_event",),
}
