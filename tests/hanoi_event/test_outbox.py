"""The outbox services in eager mode (no broker), mail to Django's locmem backend."""

import pytest
from django.core import mail
from django.db import transaction

from delegations.mail import INVITATION
from hanoi_event.enums import EmailStatus
from hanoi_event.mail import ACCOUNT, BULK
from hanoi_event.models import EmailTemplate, OutboundEmail
from hanoi_event.services import email_queue, email_queue_rendered
from tests.factories import DelegationFactory, EventFactory


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.DEFAULT_FROM_EMAIL = "Hanoi Convention <noreply@hanoi.example>"


def _invite(event, key="invite:1", language="en", about=None):
    return email_queue(
        to="fp@example.org",
        kind=INVITATION,
        context={
            "recipient_name": "Ms. Jane DOE",
            "organisation_name": "Republic of Example",
            "invitation_url": "https://x.example/inv/abc/",
            "expires_on": "8 October 2025",
        },
        language=language,
        idempotency_key=key,
        about=about,
        event=event,
    )


@pytest.mark.django_db(transaction=True)
def test_email_queue_renders_stores_and_delivers_after_commit():
    event = EventFactory(short_name="Hanoi Convention", name="Signing Ceremony")
    delegation = DelegationFactory(event=event)
    row = _invite(event, about=delegation)

    row.refresh_from_db()
    assert row.status == EmailStatus.SENT
    assert row.attempts == 1
    assert row.language == "en"
    assert row.about == delegation
    assert row.subject == (
        "Hanoi Convention: invitation to register the delegation of Republic of Example"
    )
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["fp@example.org"]
    assert sent.subject == row.subject
    assert "https://x.example/inv/abc/" in sent.body
    assert "25–26 October 2025" in sent.body
    assert sent.extra_headers["Message-ID"] == row.message_id
    assert sent.alternatives[0][1] == "text/html"


@pytest.mark.django_db(transaction=True)
def test_email_queue_same_key_twice_returns_first_row_and_sends_once():
    event = EventFactory()
    first = _invite(event)
    second = _invite(event)
    assert second.pk == first.pk
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_email_queue_uses_recipient_language_template_else_english():
    event = EventFactory()
    # Every language ships its text; an organizer edited the French one.
    EmailTemplate.objects.filter(kind=INVITATION, language="fr").update(
        subject="Invitation : {{ organisation_name }}",
        text_body="Bonjour {{ recipient_name }}",
        html_body="",
    )
    fr = _invite(event, key="k-fr", language="fr")
    es = _invite(event, key="k-es", language="es")
    pt = _invite(event, key="k-pt", language="pt")
    assert (fr.language, fr.subject) == ("fr", "Invitation : Republic of Example")
    assert fr.html_body == ""
    assert es.language == "es"
    assert "Republic of Example" in es.subject and "delegation" not in es.subject
    assert pt.language == "en"
    assert pt.subject.endswith("delegation of Republic of Example")


@pytest.mark.django_db(transaction=True)
def test_email_queue_rendered_with_invalid_address_is_failed_and_not_sent():
    row = email_queue_rendered(
        to="not an address",
        kind=ACCOUNT,
        subject="Confirm",
        text_body="Hello",
        idempotency_key="acct:1",
    )
    row.refresh_from_db()
    assert row.status == EmailStatus.FAILED
    assert row.last_error == "Invalid recipient address: 'not an address'"
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_bulk_send_queues_one_row_per_distinct_address_and_delivers(settings):
    from hanoi_event.enums import BulkSendStatus
    from hanoi_event.selectors import bulk_send_progress
    from hanoi_event.services import bulk_send_start
    from tests.factories import UserFactory

    settings.EMAIL_BULK_CHUNK_SIZE = 2
    settings.EMAIL_BATCH_SIZE = 2
    organizer = UserFactory()
    delegation = DelegationFactory()
    recipients = [
        ("a@example.org", "en", delegation),
        ("B@example.org", "fr", None),
        ("b@example.org", "fr", None),  # the same address again
        ("broken", "en", None),
        ("c@example.org", "en", None),
    ]

    bulk = bulk_send_start(
        created_by=organizer,
        subject="Shuttle  times\nchanged",
        text_body="The shuttle leaves at 08:00.",
        recipients=recipients,
    )

    bulk.refresh_from_db()
    assert bulk.status == BulkSendStatus.QUEUED
    assert bulk_send_progress(bulk) == {
        "status": "queued",
        "total": 4,
        "sent": 3,
        "failed": 1,
        "waiting": 0,
    }
    assert sorted(m.to[0] for m in mail.outbox) == [
        "B@example.org",
        "a@example.org",
        "c@example.org",
    ]
    assert {m.subject for m in mail.outbox} == {"Shuttle times changed"}
    row = OutboundEmail.objects.get(to_email="a@example.org")
    assert (row.kind, row.about, row.bulk_send) == (BULK, delegation, bulk)
    failed = OutboundEmail.objects.get(to_email="broken")
    assert failed.last_error == "Invalid recipient address: 'broken'"


@pytest.mark.django_db(transaction=True)
def test_bulk_send_queue_run_again_adds_nothing():
    from hanoi_event.models import BulkSend
    from hanoi_event.services import bulk_send_queue, bulk_send_start

    bulk = bulk_send_start(
        created_by=None,
        subject="Hi",
        text_body="Text",
        recipients=[("a@example.org", "en", None), ("b@example.org", "en", None)],
    )
    BulkSend.objects.filter(pk=bulk.pk).update(status="queuing")  # as if cut off

    assert bulk_send_queue(bulk_send_id=bulk.pk) == 0
    assert OutboundEmail.objects.count() == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_rows_queued_in_one_transaction_are_enqueued_in_batches(settings):
    settings.EMAIL_BATCH_SIZE = 4
    batches = []

    from celery.signals import task_prerun

    def count(sender=None, args=None, **kwargs):
        if sender.name == "hanoi_event.tasks.email_deliver_batch":
            batches.append(len(args[0]))

    task_prerun.connect(count, weak=False)
    with transaction.atomic():
        for i in range(10):
            email_queue_rendered(
                to=f"p{i}@example.org",
                kind=BULK,
                subject="s",
                text_body="t",
                idempotency_key=f"batch:{i}",
            )
    task_prerun.disconnect(count)
    assert batches == [4, 4, 2]
    assert len(mail.outbox) == 10


@pytest.mark.django_db(transaction=True)
def test_email_queue_rejects_a_kind_without_template():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        email_queue(to="a@example.org", kind=BULK, context={}, idempotency_key="x")
    assert error.value.message_dict == {
        "kind": ["'bulk' has no template; use email_queue_rendered."]
    }
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        email_queue_rendered(
            to="a@example.org",
            kind=BULK,
            subject="s",
            text_body="t",
            idempotency_key="rb",
        )
        raise RuntimeError("boom")
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_shipped_templates_exist_for_every_templated_kind_and_render_samples():
    from hanoi_event.mail_kinds import (
        sample_context,
        shipped_template,
        templated_kinds,
    )
    from hanoi_event.services import email_render

    kinds = [kind.value for kind in templated_kinds()]
    assert {
        "invitation",
        "member_invitation",
        "registration_received",
        "reminder_day_before",
        "reminder_deadline",
        "reminder_missing_data",
    } <= set(kinds)
    for kind in kinds:
        texts = shipped_template(kind)
        subject, text, _html = email_render(
            EmailTemplate(kind=kind, language="en", **texts), sample_context(kind)
        )
        assert "{{" not in subject + text, kind
        assert subject and text.strip(), kind


@pytest.mark.django_db
def test_user_values_are_escaped_in_the_html_body_only():
    from hanoi_event.selectors import _template_cache

    _template_cache.clear()
    event = EventFactory()
    with transaction.atomic():
        row = email_queue(
            to="fp@example.org",
            kind=INVITATION,
            context={
                "recipient_name": "<script>alert(1)</script> & Co",
                "organisation_name": "A <b>bold</b> State",
                "invitation_url": "https://x.example/inv/abc/",
                "expires_on": "8 October 2025",
            },
            idempotency_key="escape:1",
            event=event,
        )
    assert "Dear &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co," in row.html_body
    assert "<strong>A &lt;b&gt;bold&lt;/b&gt; State</strong>" in row.html_body
    assert "<script>" not in row.html_body
    assert "<script>alert(1)</script> & Co" in row.text_body
    assert row.subject.endswith("delegation of A <b>bold</b> State")


@pytest.mark.django_db
def test_language_variants_fall_back_to_their_base_language_then_english():
    from hanoi_event.selectors import _template_cache, email_template_for

    _template_cache.clear()
    # A language whose template an organizer deleted gets English.
    EmailTemplate.objects.filter(kind=INVITATION, language="es").delete()

    assert [
        email_template_for(INVITATION, lang).language
        for lang in ["zh-hans", "zh-Hans", "fr-ca", "fr", "pt-br", "zh", "es", "ar"]
    ] == ["zh-hans", "zh-hans", "fr", "fr", "en", "en", "en", "ar"]
    _template_cache.clear()


@pytest.mark.django_db(transaction=True)
def test_ids_of_a_rolled_back_transaction_are_never_handed_over_later(monkeypatch):
    from hanoi_event.services import outbox

    handed = []
    monkeypatch.setattr(
        outbox,
        "email_enqueue",
        lambda *, email_ids, countdown=None: handed.append(list(email_ids)),
    )
    event = EventFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        _invite(event, key="rolled-back")
        raise RuntimeError("boom")
    with transaction.atomic():
        first = _invite(event, key="first")
        second = _invite(event, key="second")

    # One hand-over for the committed transaction, with its two rows only.
    assert handed == [[first.pk, second.pk]]
