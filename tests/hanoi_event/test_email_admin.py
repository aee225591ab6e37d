"""Admin for the outbox, the email templates and bulk sends."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from delegations.mail import INVITATION
from hanoi_event.enums import BulkSendStatus, EmailStatus
from hanoi_event.models import BulkSend, EmailTemplate, OutboundEmail
from tests.conftest import staff_two_factor_pass
from tests.factories import UserFactory


def _row(i: int, status=EmailStatus.SENT, **extra) -> OutboundEmail:
    return OutboundEmail.objects.create(
        to_email=f"r{i}@example.org",
        kind=INVITATION,
        subject=f"Subject {i}",
        text_body=f"Text {i}",
        html_body=extra.pop("html_body", ""),
        status=status,
        idempotency_key=f"k{i}",
        **extra,
    )


@pytest.fixture
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True


def test_outbox_changelist_shows_counts_per_status(admin_client):
    for i in range(3):
        _row(i)
    _row(3, EmailStatus.FAILED)
    _row(4, EmailStatus.QUEUED)

    response = admin_client.get(reverse("admin:hanoi_event_outboundemail_changelist"))

    assert response.status_code == 200
    assert response.context["status_counts"] == [
        ("queued", "Waiting", 1),
        ("sending", "Sending", 0),
        ("sent", "Sent", 3),
        ("failed", "Failed", 1),
    ]
    assert 'id="outbox-status-counts"' in response.content.decode()


@pytest.mark.parametrize("n", [5, 25])
def test_outbox_changelist_query_count_does_not_grow(
    admin_client, django_assert_max_num_queries, n
):
    for i in range(n):
        _row(i)
    with django_assert_max_num_queries(12):
        response = admin_client.get(
            reverse("admin:hanoi_event_outboundemail_changelist")
        )
    assert response.status_code == 200


def test_outbox_filters_by_status_and_kind(admin_client):
    _row(1, EmailStatus.FAILED)
    _row(2, EmailStatus.SENT)
    url = reverse("admin:hanoi_event_outboundemail_changelist")

    response = admin_client.get(
        url, {"status__exact": "failed", "kind__exact": "invitation"}
    )

    assert [o.to_email for o in response.context["cl"].result_list] == [
        "r1@example.org"
    ]


def test_outbox_change_page_shows_rendered_text_and_escaped_html(admin_client):
    row = _row(1, html_body="<p>Hello <script>alert(1)</script></p>")

    response = admin_client.get(
        reverse("admin:hanoi_event_outboundemail_change", args=[row.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Text 1" in html
    assert (
        'srcdoc="&lt;p&gt;Hello &lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;"'
        in html
    )
    assert 'sandbox=""' in html


@pytest.mark.django_db(transaction=True)
def test_send_again_requeues_failed_rows_only_and_delivers_them(
    admin_client, _locmem, mailoutbox
):
    failed = _row(1, EmailStatus.FAILED, attempts=8, last_error="SMTP 550 no")
    sent = _row(2, EmailStatus.SENT)

    response = admin_client.post(
        reverse("admin:hanoi_event_outboundemail_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )

    assert response.status_code == 200
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 1, "")
    assert sent.status == "sent"
    assert [m.to for m in mailoutbox] == [["r1@example.org"]]
    assert (
        "1 message queued again. 1 not failed, left alone." in response.content.decode()
    )


def test_template_with_syntax_error_is_refused_with_the_error(admin_client):
    template = EmailTemplate.objects.get(kind=INVITATION, language="en")
    url = reverse("admin:hanoi_event_emailtemplate_change", args=[template.pk])

    response = admin_client.post(
        url,
        {
            "kind": "invitation",
            "language": "en",
            "subject": "Hello {{ organisation_name|nofilter }}",
            "text_body": "{% if x %}never closed",
            "html_body": "",
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["subject"] == ["Template syntax error: Invalid filter: 'nofilter'"]
    assert errors["text_body"] == [
        "Template syntax error: Unclosed tag on line 1: 'if'. "
        "Looking for one of: elif, else, endif."
    ]
    template.refresh_from_db()
    assert template.subject.startswith("{{ event_short_name }}")


def test_template_failing_with_sample_data_is_refused(admin_client):
    # French ships; an organizer deleted it and writes their own.
    EmailTemplate.objects.filter(language="fr").delete()
    url = reverse("admin:hanoi_event_emailtemplate_add")
    response = admin_client.post(
        url,
        {
            "kind": "invitation",
            "language": "fr",
            "subject": "Invitation",
            "text_body": "{{ recipient_name|date:'Y' }}{% include 'missing.txt' %}",
            "html_body": "",
        },
    )
    assert response.status_code == 200
    assert (
        response.context["adminform"]
        .form.non_field_errors()[0]
        .startswith("The template fails with sample data: missing.txt")
    )
    assert not EmailTemplate.objects.filter(language="fr").exists()


def test_template_change_page_lists_placeholders_and_previews_sample_data(
    admin_client,
):
    template = EmailTemplate.objects.get(kind=INVITATION, language="en")

    response = admin_client.get(
        reverse("admin:hanoi_event_emailtemplate_change", args=[template.pk])
    )

    assert response.status_code == 200
    names = [p.name for p in response.context["placeholders"]]
    assert names[:4] == [
        "recipient_name",
        "organisation_name",
        "invitation_url",
        "expires_on",
    ]
    assert "event_name" in names
    preview = response.context["preview"]
    assert preview["subject"] == (
        "Hanoi Convention: invitation to register the delegation of Republic of Example"
    )
    assert "https://event.example.org/invitations/abc123/" in preview["text"]
    assert "8 October 2025" in preview["text"]


def test_saving_a_valid_translation_creates_it(admin_client):
    EmailTemplate.objects.filter(kind="invitation", language="fr").delete()
    response = admin_client.post(
        reverse("admin:hanoi_event_emailtemplate_add"),
        {
            "kind": "invitation",
            "language": "fr",
            "subject": "Invitation : {{ organisation_name }}",
            "text_body": "Bonjour {{ recipient_name }}",
            "html_body": "",
        },
    )
    assert response.status_code == 302
    assert EmailTemplate.objects.get(kind="invitation", language="fr").subject == (
        "Invitation : {{ organisation_name }}"
    )


def _bulk(total=4, sent=1, failed=1) -> BulkSend:
    bulk = BulkSend.objects.create(
        subject="Note", text_body="Text", total=total, status=BulkSendStatus.QUEUED
    )
    for i in range(total):
        status = (
            EmailStatus.SENT
            if i < sent
            else EmailStatus.FAILED
            if i < sent + failed
            else EmailStatus.QUEUED
        )
        _row(100 + i, status, bulk_send=bulk)
    return bulk


def test_bulk_send_progress_json_counts_sent_failed_waiting(admin_client):
    bulk = _bulk(total=4, sent=1, failed=1)

    response = admin_client.get(
        reverse("admin:hanoi_event_bulksend_progress", args=[bulk.pk])
    )

    assert response.json() == {
        "status": "queued",
        "total": 4,
        "sent": 1,
        "failed": 1,
        "waiting": 2,
    }


def test_bulk_send_progress_json_needs_view_permission(client, db):
    bulk = _bulk()
    url = reverse("admin:hanoi_event_bulksend_progress", args=[bulk.pk])
    staff = UserFactory(is_staff=True)
    staff_two_factor_pass(client, staff)

    assert client.get(url).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_bulksend"))
    assert client.get(url).json()["total"] == 4


def test_bulk_send_progress_json_refuses_anonymous(client, db):
    bulk = _bulk()
    response = client.get(
        reverse("admin:hanoi_event_bulksend_progress", args=[bulk.pk])
    )
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_bulk_send_page_shows_progress_bar_that_polls(admin_client):
    bulk = _bulk()
    response = admin_client.get(
        reverse("admin:hanoi_event_bulksend_change", args=[bulk.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-url="/admin/hanoi_event/bulksend/{bulk.pk}/progress/"' in html
    assert "setTimeout(poll, 2000)" in html


def test_beat_schedules_are_listed_in_the_admin_for_organizers_to_change(admin_client):
    from django_celery_beat.models import PeriodicTask

    response = admin_client.get(
        reverse("admin:django_celery_beat_periodictask_changelist")
    )

    assert response.status_code == 200
    from hanoi_event.schedules import registered_schedules

    # One row per schedule the apps declare, under its stable task name.
    assert sorted(PeriodicTask.objects.values_list("task", flat=True)) == sorted(
        schedule.task for schedule in registered_schedules()
    )
    assert {
        "delegations.reminders_deadline",
        "delegations.reminders_missing_data",
        "event_sessions.reminders_day_before",
        "hanoi_event.tasks.email_sweep_task",
    } <= set(PeriodicTask.objects.values_list("task", flat=True))
    sweeper = PeriodicTask.objects.get(task="hanoi_event.tasks.email_sweep_task")
    assert (sweeper.interval.every, sweeper.interval.period) == (60, "seconds")
    change = admin_client.get(
        reverse("admin:django_celery_beat_periodictask_change", args=[sweeper.pk])
    )
    assert change.status_code == 200


def test_setup_schedules_command_is_idempotent(db):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    call_command("setup_schedules")
    call_command("setup_schedules")
    from hanoi_event.schedules import registered_schedules

    assert PeriodicTask.objects.count() == len(registered_schedules())


@pytest.mark.parametrize("n", [2, 12])
def test_bulk_send_changelist_query_count_does_not_grow(
    admin_client, django_assert_max_num_queries, n
):
    user = UserFactory()
    for i in range(n):
        BulkSend.objects.create(subject=f"S{i}", text_body="T", created_by=user)
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:hanoi_event_bulksend_changelist"))
    assert len(response.context["cl"].result_list) == n


@pytest.mark.parametrize("languages", [["fr"], ["fr", "es", "ru", "ar", "vi"]])
def test_email_template_changelist_query_count_does_not_grow(
    admin_client, django_assert_max_num_queries, languages
):
    # From one language to five beside the English rows.
    EmailTemplate.objects.exclude(language="en").delete()
    for language in languages:
        EmailTemplate.objects.create(
            kind=INVITATION, language=language, subject="s", text_body="t"
        )
    with django_assert_max_num_queries(10):
        response = admin_client.get(
            reverse("admin:hanoi_event_emailtemplate_changelist")
        )
    assert response.status_code == 200


def _posted_template(**overrides):
    return {
        "kind": INVITATION,
        "language": "en",
        "subject": "Edited: {{ organisation_name }}",
        "text_body": "Hello {{ recipient_name }},\n" + "x" * 300,
        "html_body": '<p><a href="{{ invitation_url }}">Open</a> and more after</p>',
        **overrides,
    }


def test_template_page_html_preview_keeps_everything_after_the_first_link(
    admin_client,
):
    template = EmailTemplate.objects.get(kind=INVITATION, language="en")
    html = admin_client.get(
        reverse("admin:hanoi_event_emailtemplate_change", args=[template.pk])
    ).content.decode()

    # The whole HTML body sits in the frame's srcdoc, quotes escaped.
    assert 'srcdoc="&lt;p&gt;Dear Ms. Jane DOE,&lt;/p&gt;' in html
    assert (
        "&lt;a href=&quot;https://event.example.org/invitations/abc123/&quot;&gt;"
        in html
    )
    assert "The Secretariat&lt;/p&gt;" in html
    assert 'title="Preview of the HTML version"' in html
    # Long lines wrap instead of widening the page.
    assert "white-space: pre-wrap; overflow-wrap: anywhere" in html


def test_template_preview_renders_the_form_as_typed_not_as_saved(admin_client):
    response = admin_client.post(
        reverse("admin:hanoi_event_emailtemplate_preview"), _posted_template()
    )

    assert response.status_code == 200
    body = response.json()
    assert body["subject"] == "Edited: Republic of Example"
    assert body["text"].startswith("Hello Ms. Jane DOE,\n")
    assert body["html"] == (
        '<p><a href="https://event.example.org/invitations/abc123/">Open</a>'
        " and more after</p>"
    )
    saved = EmailTemplate.objects.get(kind=INVITATION, language="en")
    assert saved.subject.startswith("{{ event_short_name }}: invitation")


def test_template_preview_of_a_syntax_error_answers_400_with_the_error(admin_client):
    response = admin_client.post(
        reverse("admin:hanoi_event_emailtemplate_preview"),
        _posted_template(subject="{% if %}"),
    )

    assert response.status_code == 400
    assert response.json()["errors"]["subject"][0].startswith("Template syntax error:")


def test_template_send_test_queues_a_marked_copy_to_the_staff_member(
    admin_client, admin_user, _locmem, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:hanoi_event_emailtemplate_send_test"), _posted_template()
        )

    assert response.status_code == 200
    assert response.json() == {"message": f"A test was sent to {admin_user.email}."}
    row = OutboundEmail.objects.get()
    assert (row.to_email, row.kind, row.subject, row.status) == (
        admin_user.email,
        INVITATION,
        "[Test] Edited: Republic of Example",
        EmailStatus.SENT,
    )
    assert [m.subject for m in mail.outbox] == ["[Test] Edited: Republic of Example"]


def test_template_preview_and_test_need_the_right_to_edit_templates(client, db):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_emailtemplate"))
    staff_two_factor_pass(client, user)
    for name in ("preview", "send_test"):
        response = client.post(
            reverse(f"admin:hanoi_event_emailtemplate_{name}"), _posted_template()
        )
        assert response.status_code == 403, name
    assert not OutboundEmail.objects.exists()
