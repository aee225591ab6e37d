"""The outbox services in eager mode (no broker), mail to Django's locmem backend."""

import pytest
from django.core import mail

from hanoi_event.enums import EmailKind, EmailStatus
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
        kind=EmailKind.INVITATION,
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
    EmailTemplate.objects.create(
        kind=EmailKind.INVITATION,
        language="fr",
        subject="Invitation : {{ organisation_name }}",
        text_body="Bonjour {{ recipient_name }}",
    )
    fr = _invite(event, key="k-fr", language="fr")
    es = _invite(event, key="k-es", language="es")
    assert (fr.language, fr.subject) == ("fr", "Invitation : Republic of Example")
    assert fr.html_body == ""
    assert es.language == "en"
    assert es.subject.endswith("delegation of Republic of Example")


@pytest.mark.django_db(transaction=True)
def test_email_queue_rendered_with_invalid_address_is_failed_and_not_sent():
    row = email_queue_rendered(
        to="not an address",
        kind=EmailKind.ACCOUNT,
        subject="Confirm",
        text_body="Hello",
        idempotency_key="acct:1",
    )
    row.refresh_from_db()
    assert row.status == EmailStatus.FAILED
    assert row.last_error == "Invalid recipient address: 'not an address'"
    assert mail.outbox == []
