"""django-allauth adapter: the portal's sign-up and login rules and mail.

- Every message allauth sends (confirmation, password reset, security
  notices) goes through the event's email outbox, as kind "account".
- While an invitation is being accepted, sign-up is fixed to the invited
  address and the user returns to the invitation after logging in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from hanoi_event.mail import ACCOUNT
from hanoi_event.selectors import current_event
from hanoi_event.services import email_queue_rendered

PENDING_INVITATION_SESSION_KEY = "portal_pending_invitation"


def pending_invitation(request) -> dict | None:
    """{"token": ..., "email": ...} of the invitation being accepted, if any."""
    if request is None or not hasattr(request, "session"):
        return None
    data = request.session.get(PENDING_INVITATION_SESSION_KEY)
    return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class EventSite:
    """What allauth's messages call the site ("Hello from {{ site_name }}!",
    "[name] " before the subject): the current event, at SITE_URL."""

    name: str
    domain: str

    @classmethod
    def current(cls) -> EventSite:
        event = current_event()
        name = (event.short_name or event.name) if event else ""
        domain = urlsplit(settings.SITE_URL).netloc
        return cls(name=name or domain, domain=domain)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        site = EventSite.current()
        context = {"email": email, **context, "current_site": site}
        message = self.render_mail(template_prefix, email, context)
        html_body = ""
        for content, mimetype in getattr(message, "alternatives", []) or []:
            if mimetype == "text/html":
                html_body = content
        email_queue_rendered(
            to=email,
            kind=ACCOUNT,
            subject=message.subject,
            text_body=message.body,
            html_body=html_body,
            # allauth's messages are each a new request (a new confirmation
            # key, a new reset link): every one is its own row.
            idempotency_key=f"account:{template_prefix}:{uuid.uuid4()}",
        )

    def format_email_subject(self, subject: str) -> str:
        """The event's name before the subject: "[Hanoi Convention 2025] ..."."""
        return f"[{EventSite.current().name}] {force_str(subject)}"

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        invitation = pending_invitation(getattr(self, "request", None))
        if invitation and email.strip().lower() != invitation["email"].lower():
            raise forms.ValidationError(
                _("Sign up with the invited address, %(email)s."),
                params={"email": invitation["email"]},
                code="not_invited_address",
            )
        return email

    def get_login_redirect_url(self, request) -> str:
        invitation = pending_invitation(request)
        if invitation:
            return reverse("portal:invitation", args=[invitation["token"]])
        return super().get_login_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address) -> str:
        invitation = pending_invitation(getattr(self, "request", None))
        if invitation:
            return reverse("portal:invitation", args=[invitation["token"]])
        return super().get_email_verification_redirect_url(email_address)
