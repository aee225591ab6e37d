"""The bottom layer's registries, filled by each app's ready()."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hanoi_event import dashboard, mail_kinds, roles, schedules
from hanoi_event.mail_kinds import MailKind


def test_each_app_declares_its_own_mail_kinds():
    by_dir = {}
    for kind in mail_kinds.mail_kinds():
        owner = kind.shipped_dir.parent.name if kind.shipped_dir else "hanoi_event"
        by_dir.setdefault(owner, []).append(kind.value)
    # The bottom layer ships no text of its own; each app its kinds.
    assert sorted(by_dir["hanoi_event"]) == ["account", "bulk"]
    assert sorted(by_dir["delegations"]) == [
        "invitation",
        "member_invitation",
        "registration_received",
        "reminder_deadline",
        "reminder_missing_data",
    ]
    assert "reminder_day_before" in by_dir["sessions"]


def test_a_kind_declared_twice_differently_is_refused():
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        mail_kinds.register_mail_kinds(MailKind("invitation", "Something else"))


def test_registering_the_same_kind_again_is_harmless():
    kind = mail_kinds.mail_kind("bulk")
    mail_kinds.register_mail_kinds(kind)
    assert mail_kinds.mail_kind("bulk") is kind


def test_a_templated_kind_without_its_files_is_refused(tmp_path: Path):
    with pytest.raises(ImproperlyConfigured, match="no .*ghost.subject.txt"):
        mail_kinds.register_mail_kinds(MailKind("ghost", "Ghost", shipped_dir=tmp_path))
    assert mail_kinds.mail_kind("ghost") is None


def test_a_kind_no_app_declares_shows_its_raw_value():
    assert mail_kinds.mail_kind_label("retired_notice") == "retired_notice"
    assert mail_kinds.mail_kind_label("invitation") == (
        "Invitation to a delegation's focal point"
    )


def test_each_app_declares_its_schedules_with_stable_task_names():
    declared = {s.task: s.name for s in schedules.registered_schedules()}
    assert {
        task: name
        for task, name in declared.items()
        if task.startswith(("hanoi_event.", "delegations."))
    } == {
        "hanoi_event.tasks.email_sweep_task": (
            "Outbox sweeper: resend lost or stuck emails"
        ),
        "delegations.reminders_deadline": (
            "Reminders: registration deadline (focal points)"
        ),
        "delegations.reminders_missing_data": "Reminders: missing registration data",
        "hanoi_event.heartbeat": "Health: worker and beat heartbeat",
    }
    assert declared["event_sessions.reminders_day_before"] == (
        "Reminders: tomorrow's agenda"
    )
    # Every declared task is registered with the workers.
    from celery import current_app

    assert set(declared) <= set(current_app.tasks)


def test_a_schedule_needs_exactly_one_kind_of_timing():
    with pytest.raises(ImproperlyConfigured):
        schedules.Schedule("x", task="t")
    with pytest.raises(ImproperlyConfigured):
        schedules.Schedule("x", task="t", every=5, crontab=("0", "1"))


def test_role_permissions_are_the_union_of_the_apps_declarations():
    declared = roles.role_permissions()
    assert "delegations.view_passport" in declared[roles.ACCREDITATION_OFFICER]
    assert "event_sessions.view_room" in declared[roles.PROTOCOL_OFFICER]
    assert "hanoi_event.view_event" in declared[roles.CHECK_IN_OPERATOR]
    with pytest.raises(ImproperlyConfigured, match="Unknown staff role"):
        roles.register_role_permissions({"Janitor": ("auth.view_user",)})


def test_dashboard_registry_reads_contributions_in_order():
    before = dashboard.dashboard_contributions()
    assert dashboard.dashboard_figures(None) == []

    def contribution(event):
        return [dashboard.Figure(key="k", label="Label", value=3)]

    dashboard.register_dashboard("test", contribution)
    try:
        assert dashboard.dashboard_figures(None) == [
            dashboard.Figure(key="k", label="Label", value=3)
        ]
        with pytest.raises(ImproperlyConfigured):
            dashboard.register_dashboard("test", lambda event: [])
    finally:
        dashboard._CONTRIBUTIONS.pop("test")
    assert dashboard.dashboard_contributions() == before
