"""A database from before the registries (outbox rows, templates edited by an
organizer, beat rows with the old task names) migrates forward with nothing
lost, and what it holds still works."""

import pytest
from celery import current_app
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The last migrations of the schema before the house issue.
BEFORE = [
    ("hanoi_event", "0003_email_templates_and_schedules"),
    ("delegations", "0002_portal_invitations_uploads_org_requests"),
    ("event_sessions", "0001_initial"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def old_database(transactional_db):
    """The schema and rows as a database of the previous release has them."""
    old = _migrate(BEFORE)
    yield old
    _migrate(_latest())


@pytest.mark.django_db(transaction=True)
def test_previous_database_migrates_forward_with_nothing_lost(old_database, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    old = old_database
    EmailTemplate = old.get_model("hanoi_event", "EmailTemplate")
    OutboundEmail = old.get_model("hanoi_event", "OutboundEmail")
    PeriodicTask = old.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = old.get_model("django_celery_beat", "CrontabSchedule")

    # The old release had these four, named after their module (apps added
    # since then declare more schedules; the old release had none of them).
    OLD_TASKS = [
        "hanoi_event.tasks.email_sweep_task",
        "hanoi_event.tasks.reminders_day_before_task",
        "hanoi_event.tasks.reminders_deadline_task",
        "hanoi_event.tasks.reminders_missing_data_task",
    ]
    PeriodicTask.objects.exclude(task__in=OLD_TASKS).delete()
    assert sorted(PeriodicTask.objects.values_list("task", flat=True)) == OLD_TASKS
    # An organizer edited the English invitation and the French one, kept a
    # template of a kind that no app declares any more, moved the deadline
    # reminder to 09:00 Hanoi time and switched the missing-data one off.
    EmailTemplate.objects.filter(kind="invitation", language="en").update(
        subject="Edited: {{ organisation_name }}", text_body="Edited body"
    )
    EmailTemplate.objects.update_or_create(
        kind="invitation",
        language="fr",
        defaults={"subject": "Invitation", "text_body": "Bonjour"},
    )
    EmailTemplate.objects.create(
        kind="retired_notice",
        language="en",
        subject="Retired",
        text_body="Retired body",
    )
    nine, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="UTC",
    )
    PeriodicTask.objects.filter(
        task="hanoi_event.tasks.reminders_deadline_task"
    ).update(crontab=nine)
    PeriodicTask.objects.filter(
        task="hanoi_event.tasks.reminders_missing_data_task"
    ).update(enabled=False)
    waiting = OutboundEmail.objects.create(
        to_email="fp@example.org",
        kind="invitation",
        language="en",
        subject="Waiting",
        text_body="Sent after the upgrade",
        idempotency_key="old:waiting",
        message_id="<old.waiting@example.org>",
        status="queued",
    )
    OutboundEmail.objects.create(
        to_email="done@example.org",
        kind="accreditation_approved",
        language="en",
        subject="Sent before",
        text_body="Sent before the upgrade",
        idempotency_key="old:sent",
        status="sent",
    )
    templates_before = sorted(
        EmailTemplate.objects.values_list("kind", "language", "subject", "text_body")
    )

    _migrate(_latest())

    from django_celery_beat.models import PeriodicTask as NewPeriodicTask

    from hanoi_event.models import EmailTemplate as NewEmailTemplate
    from hanoi_event.models import OutboundEmail as NewOutboundEmail
    from hanoi_event.services import email_deliver

    assert (
        sorted(
            NewEmailTemplate.objects.values_list(
                "kind", "language", "subject", "text_body"
            )
        )
        == templates_before
    )
    assert str(NewEmailTemplate.objects.get(kind="retired_notice")) == (
        "retired_notice (en)"
    )
    tasks = {
        row.name: (row.task, row.enabled, row.crontab_id, row.interval_id)
        for row in NewPeriodicTask.objects.filter(
            name__in=[
                "Outbox sweeper: resend lost or stuck emails",
                "Reminders: registration deadline (focal points)",
                "Reminders: missing registration data",
                "Reminders: tomorrow's agenda",
            ]
        )
    }
    assert {name: value[0] for name, value in tasks.items()} == {
        "Outbox sweeper: resend lost or stuck emails": (
            "hanoi_event.tasks.email_sweep_task"
        ),
        "Reminders: registration deadline (focal points)": (
            "delegations.reminders_deadline"
        ),
        "Reminders: missing registration data": "delegations.reminders_missing_data",
        "Reminders: tomorrow's agenda": "event_sessions.reminders_day_before",
    }
    deadline = tasks["Reminders: registration deadline (focal points)"]
    assert deadline[2] == nine.pk
    assert tasks["Reminders: missing registration data"][1] is False
    # Every task a beat row names is registered with the workers.
    for task, *_rest in tasks.values():
        assert task in current_app.tasks, task

    assert NewOutboundEmail.objects.count() == 2
    assert email_deliver(email_id=waiting.pk).result == "sent"
    assert NewOutboundEmail.objects.get(pk=waiting.pk).status == "sent"
    assert [m.subject for m in mail.outbox] == ["Waiting"]
    assert mail.outbox[0].extra_headers["Message-ID"] == "<old.waiting@example.org>"
