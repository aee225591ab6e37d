"""Admin actions that email many people at once ("Email the focal points of
the selected delegations", "Email the selected participants").

``bulk_email_action(...)`` makes such an action for any ModelAdmin; the admin
also takes ``BulkEmailAdminMixin``, which offers the action only to users
allowed to start a bulk send (``hanoi_event.add_bulksend``). The action is a
two-step page:

1. from the changelist (records selected): a form for the subject and the
   text, with the number of addresses that will get it and the number of
   selected records skipped (no address, withdrawn, ...);
2. "Send" (``apply``): the form is checked; if valid, one BulkSend is
   recorded (``hanoi_event.services.bulk_send_start``), a background task
   writes and delivers one outbox row per address, and the user lands on the
   bulk send's progress page. If invalid, the same page shows the errors and
   nothing is queued.

The subject and message may name the recipient: ``{{ recipient_name }}``,
``{{ organisation_name }}``, ``{{ recipient_email }}`` and the event's
placeholders (``{{ event_name }}``...), filled in for each recipient. The
page previews the message as its first recipient will read it ("Preview")
and lists who gets it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.widgets import UnfoldAdminTextareaWidget, UnfoldAdminTextInputWidget

from .admin_email import email_bulk_action
from .selectors import current_event
from .services import event_context
from .services.bulk import bulk_placeholders_check, bulk_render

BULK_EMAIL_PERMISSION = "hanoi_event.add_bulksend"

# A "Send" posted twice (double click, browser back and resubmit) must not
# mail everyone twice: each form carries a token, claimed once in the cache
# (shared between web processes when CACHE_URL points at Redis).
_TOKEN_CACHE_KEY = "hanoi_event:bulk-email-token:{}"
_TOKEN_TTL_SECONDS = 24 * 3600

# (email, language, about) or (email, language, about, {"recipient_name":
# ..., "organisation_name": ...}).
Recipient = tuple[str, str, Model] | tuple[str, str, Model, dict[str, str]]

# Recipients listed on the page before sending (the rest are counted).
LISTED_RECIPIENTS = 50


class BulkEmailForm(forms.Form):
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=255,
        widget=UnfoldAdminTextInputWidget,
    )
    text_body = forms.CharField(
        label=gettext_lazy("Message"),
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 14}),
        help_text=gettext_lazy(
            "Plain text. {{ recipient_name }} and {{ organisation_name }} are "
            "filled in for each recipient, as are {{ recipient_email }}, "
            "{{ event_name }}, {{ event_dates }}, {{ event_venue }} and "
            "{{ event_contact_email }}."
        ),
    )
    send_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_subject(self) -> str:
        subject = " ".join(self.cleaned_data["subject"].split())
        if not subject:
            raise forms.ValidationError(_("This field is required."), code="required")
        return _checked_placeholders(subject)

    def clean_text_body(self) -> str:
        return _checked_placeholders(self.cleaned_data["text_body"])


def _checked_placeholders(text: str) -> str:
    problems = bulk_placeholders_check(text)
    if "tags" in problems:
        raise forms.ValidationError(
            _("Only placeholders such as {{ recipient_name }} may be used here."),
            code="tags",
        )
    if problems:
        raise forms.ValidationError(
            _("Unknown placeholder: %(names)s.")
            % {"names": ", ".join(f"{{{{ {name} }}}}" for name in problems)},
            code="unknown_placeholder",
        )
    return text


class BulkEmailAdminMixin:
    """For a ModelAdmin offering ``bulk_email_action`` actions: Django's
    action filter asks ``has_bulk_email_permission`` before listing them (and
    the changelist refuses an action it does not list)."""

    def has_bulk_email_permission(self, request) -> bool:
        return _may_bulk_email(self, request)


def _may_bulk_email(modeladmin, request) -> bool:
    return modeladmin.has_view_permission(request) and request.user.has_perm(
        BULK_EMAIL_PERMISSION
    )


def _summary(
    queryset: QuerySet, recipients_of: Callable[[QuerySet], Iterable[Recipient]]
) -> tuple[list[Recipient], int, int]:
    """(recipients, distinct addresses, selected records skipped)."""
    selected = queryset.count()
    recipients = [r for r in recipients_of(queryset) if r[0] and r[0].strip()]
    addresses = len({r[0].strip().lower() for r in recipients})
    return recipients, addresses, max(selected - len(recipients), 0)


def bulk_email_action(
    *,
    name: str,
    description: str,
    recipients_of: Callable[[QuerySet], Iterable[Recipient]],
):
    """An admin action called ``name`` that emails the people
    ``recipients_of(queryset)`` yields: (email, language, about) per selected
    record that has an address (records without one are left out and counted
    as skipped). Put it in the ModelAdmin's ``actions`` list and give the
    admin ``BulkEmailAdminMixin``. Side effects: on "Send", one BulkSend and,
    in the background, one outbox row per distinct address."""

    def action(modeladmin, request, queryset):
        if not _may_bulk_email(modeladmin, request):
            raise PermissionDenied
        recipients, addresses, skipped = _summary(queryset, recipients_of)
        preview = None
        if "apply" in request.POST:
            form = BulkEmailForm(request.POST)
            if form.is_valid() and not recipients:
                form.add_error(
                    None, _("None of the selected records has an address to send to.")
                )
            if form.is_valid() and "preview" in request.POST:
                preview = _preview(form.cleaned_data, recipients[0])
            elif form.is_valid():
                return _send(request, form.cleaned_data, recipients)
        else:
            form = BulkEmailForm(initial={"send_token": uuid.uuid4().hex})
        opts = modeladmin.model._meta
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": description,
            "opts": opts,
            "form": form,
            "media": modeladmin.media + form.media,
            "action_name": name,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected_ids": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "address_count": addresses,
            "skipped_count": skipped,
            "duplicate_count": len(recipients) - addresses,
            "preview": preview,
            "listed_recipients": [
                (r[0], (r[3] if len(r) > 3 else {}).get("recipient_name", ""))
                for r in recipients[:LISTED_RECIPIENTS]
            ],
            "unlisted_count": max(len(recipients) - LISTED_RECIPIENTS, 0),
            # The changelist as it was, filters included (the action posts there).
            "changelist_url": request.get_full_path(),
        }
        return TemplateResponse(
            request, "admin/hanoi_event/bulk_email_form.html", context
        )

    action.__name__ = name
    action.short_description = description
    # Django lists an action if ANY of these permissions holds: one name,
    # whose check asks for both the view and the bulk send permission.
    action.allowed_permissions = ("bulk_email",)
    return action


def _preview(data: dict, recipient: Recipient) -> dict[str, str]:
    """The message as ``recipient`` will read it."""
    email, language = recipient[0], recipient[1] or "en"
    context = {
        **event_context(current_event(), language),
        "recipient_email": email,
        **(recipient[3] if len(recipient) > 3 else {}),
    }
    return {
        "to": email,
        "subject": " ".join(bulk_render(data["subject"], context).split()),
        "text": bulk_render(data["text_body"], context),
    }


def _send(request, data: dict, recipients: list[Recipient]) -> HttpResponseRedirect:
    key = _TOKEN_CACHE_KEY.format(data["send_token"])
    if not cache.add(key, 0, _TOKEN_TTL_SECONDS):
        # This form was sent already: show that bulk send, do not start another.
        earlier = cache.get(key)
        messages.info(request, _("This message has already been sent."))
        if earlier:
            return HttpResponseRedirect(
                reverse("admin:hanoi_event_bulksend_change", args=[earlier])
            )
        return HttpResponseRedirect(reverse("admin:hanoi_event_bulksend_changelist"))
    try:
        bulk = email_bulk_action(
            request,
            subject=data["subject"],
            text_body=data["text_body"],
            recipients=recipients,
        )
    except Exception:
        cache.delete(key)  # nothing was recorded: the form may be sent again
        raise
    cache.set(key, bulk.pk, _TOKEN_TTL_SECONDS)
    return HttpResponseRedirect(
        reverse("admin:hanoi_event_bulksend_change", args=[bulk.pk])
    )
