import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from hanoi_event.roles import role_permissions, roles_sync

pytestmark = pytest.mark.django_db


def _permissions_of(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in group.permissions.select_related("content_type")
    }


def _group_permission_rows() -> list[tuple[str, str]]:
    through = Group.permissions.through
    return sorted(through.objects.values_list("group__name", "permission__codename"))


def test_roles_sync_creates_the_six_staff_groups():
    roles_sync()

    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "Accreditation officer",
        "Check-in operator",
        "Organizer",
        "Protocol officer",
        "Registration staff",
        "Side-event reviewer",
    ]


def test_each_group_gets_exactly_its_declared_permissions():
    roles_sync()

    for name, codes in role_permissions().items():
        assert _permissions_of(name) == set(codes), name
    # Each app declares its part (delegations/roles.py, sessions/roles.py,
    # accreditation/roles.py, checkin/roles.py, ...).
    assert _permissions_of("Check-in operator") == {
        "accreditation.view_badgecategory",
        "accreditation.view_zone",
        "checkin.view_gate",
        "checkin.view_scan",
        "delegations.view_delegation",
        "delegations.view_participant",
        "hanoi_event.view_event",
    }
    assert _permissions_of("Side-event reviewer") == {
        "delegations.view_delegation",
        "delegations.view_organisation",
        "event_sessions.add_allocationproposal",
        "event_sessions.add_programmeitem",
        "event_sessions.change_allocationproposal",
        "event_sessions.change_programmeitem",
        "event_sessions.change_sideeventapplication",
        "event_sessions.view_allocationproposal",
        "event_sessions.view_programmeitem",
        "event_sessions.view_room",
        "event_sessions.view_sideeventapplication",
        "event_sessions.view_sideeventslot",
        "event_sessions.view_sideeventspeaker",
        "hanoi_event.view_event",
    }
    organizer = _permissions_of("Organizer")
    assert len(organizer) == 110
    assert "delegations.delete_participant" in organizer
    assert "event_sessions.add_room" in organizer
    assert "hanoi_event.change_outboundemail" in organizer
    assert "hanoi_event.add_bulksend" in organizer
    assert "hanoi_event.delete_event" not in organizer


def test_only_accreditation_officers_see_passport_data():
    roles_sync()

    holders = sorted(
        name
        for name in role_permissions()
        if "delegations.view_passport" in _permissions_of(name)
    )
    assert holders == ["Accreditation officer"]


def test_roles_sync_twice_changes_nothing():
    roles_sync()
    groups = sorted(Group.objects.values_list("pk", "name"))
    rows = _group_permission_rows()

    roles_sync()

    assert sorted(Group.objects.values_list("pk", "name")) == groups
    assert _group_permission_rows() == rows
    assert len(rows) == sum(len(set(codes)) for codes in role_permissions().values())


def test_roles_sync_removes_permissions_that_are_not_declared():
    roles_sync()
    operator = Group.objects.get(name="Check-in operator")
    operator.permissions.add(
        Permission.objects.get(
            content_type__app_label="delegations", codename="delete_participant"
        )
    )

    roles_sync()

    assert "delegations.delete_participant" not in _permissions_of("Check-in operator")
    assert len(_permissions_of("Check-in operator")) == 7


def test_roles_sync_leaves_undeclared_groups_alone():
    other = Group.objects.create(name="Caterers")
    view_room = Permission.objects.get(
        content_type__app_label="event_sessions", codename="view_room"
    )
    other.permissions.add(view_room)

    roles_sync()

    assert list(other.permissions.all()) == [view_room]


def test_roles_sync_refuses_unknown_permissions_and_changes_nothing():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        roles_sync(
            roles={
                "Organizer": ["hanoi_event.view_event"],
                "Badge printer": ["delegations.print_badge", "hanoi_event.view_event"],
            }
        )

    assert str(excinfo.value) == (
        "Roles declare permissions that do not exist (not migrated yet, or a "
        "typo): delegations.print_badge"
    )
    assert Group.objects.count() == 0


def test_sync_roles_command_reports_each_role():
    out = io.StringIO()

    call_command("sync_roles", stdout=out)

    assert out.getvalue().splitlines() == [
        "Organizer: 110 permissions",
        "Accreditation officer: 24 permissions",
        "Protocol officer: 27 permissions",
        "Side-event reviewer: 14 permissions",
        "Registration staff: 8 permissions",
        "Check-in operator: 7 permissions",
        "6 roles in sync.",
    ]
    assert Group.objects.count() == 6
