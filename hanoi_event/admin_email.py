"""Admin for the email outbox, its templates and bulk sends (imported by
hanoi_event/admin.py).

To offer a bulk send from another admin (for example "Email focal points" on
delegations), add an action that collects recipients and calls the service;
see ``email_bulk_action`` below and the example in its docstring.
"""

from __future__ import annotations

import re
import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import construct_instance
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template import Template, TemplateSyntaxError
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from unfold.decorators import display
from unfold.widgets import UnfoldAdminSelectWidget

from .admin_safety import SafeModelAdmin, unfilterable_fields
from .enums import EmailStatus
from .mail_kinds import (
    mail_kind,
    mail_kind_choices,
    mail_kind_label,
    placeholders_for,
    sample_context,
    templated_kinds,
)
from .models import BulkSend, EmailTemplate, OutboundEmail
from .selectors import bulk_send_progress, email_status_counts
from .services import (
    bulk_send_start,
    email_queue_rendered,
    email_render,
    email_send_again,
)


def email_bulk_action(request, *, subject: str, text_body: str, recipients) -> BulkSend:
    """Start a bulk send from an admin action and tell the user where to
    watch it. Example for another admin::

        @admin.action(description=_("Email focal points"))
        def email_focal_points(self, request, queryset):
            form = ...  # or a fixed subject and text
            email_bulk_action(request, subject=s, text_body=t, recipients=[
                (d.focal_point.email, "en", d) for d in queryset if d.focal_point
            ])
    """
    bulk = bulk_send_start(
        created_by=request.user,
        subject=subject,
        text_body=text_body,
        recipients=list(recipients),
    )
    # The caller shows the bulk send's progress page next: no link needed.
    messages.success(
        request,
        ngettext(
            "Sending to %(n)d recipient in the background.",
            "Sending to %(n)d recipients in the background.",
            bulk.total,
        )
        % {"n": bulk.total},
    )
    return bulk


# ---------------------------------------------------------------- outbox

# A message keeps its links as sent (the workers deliver it from the row):
# one-time invitation links, password-reset and address-confirmation keys.
# Staff never read them: the admin shows each link's site only, and no one
# filters or searches the outbox by a message's body.
unfilterable_fields(OutboundEmail, ["text_body", "html_body"])
_LINK = re.compile(r"(https?://[^/\s\"'<>]+)(/[^\s\"'<>]*)?")


def hide_links(text: str) -> str:
    """``text`` with the path and query of every link replaced by "…"
    (``https://site/portal/invitation/<token>/`` becomes ``https://site/…``);
    a link to a site's root stays as it is."""

    def hide(match: re.Match) -> str:
        site, rest = match.group(1), match.group(2) or ""
        path = rest.rstrip(".,;:!?)")  # punctuation after a link is the text's
        if path in ("", "/"):
            return match.group(0)
        return f"{site}/…{rest[len(path) :]}"

    return _LINK.sub(hide, text or "")


class KindFilter(admin.SimpleListFilter):
    """The kinds the apps declare (the field has no choices: a kind an app
    adds needs no migration). Rows of a kind no app declares any more are
    still found with ``?kind=<value>``."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return mail_kind_choices()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


@admin.register(OutboundEmail)
class OutboundEmailAdmin(SafeModelAdmin):
    # Six columns fit at 1,280 px (language and attempts are on the row's
    # page).
    list_display = [
        "created_at",
        "to_email",
        "kind_label",
        "short_subject",
        "status_badge",
        "sent_at",
    ]
    list_filter = ["status", KindFilter, "language"]
    search_fields = ["to_email", "subject", "idempotency_key", "message_id"]
    date_hierarchy = "created_at"
    list_select_related = []
    list_before_template = "admin/hanoi_event/outboundemail/status_counts.html"
    change_form_after_template = "admin/hanoi_event/outboundemail/rendered.html"
    actions = ["send_again"]
    fields = [
        "to_email",
        "kind_label",
        "language",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sending_started_at",
        "sent_at",
        "about_link",
        "event",
        "bulk_send",
        "idempotency_key",
        "message_id",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @display(
        description=_("status"),
        label={
            EmailStatus.QUEUED: "info",
            EmailStatus.SENDING: "warning",
            EmailStatus.SENT: "success",
            EmailStatus.FAILED: "danger",
        },
    )
    def status_badge(self, obj):
        return obj.status, obj.get_status_display()

    @display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return mail_kind_label(obj.kind)

    @display(description=_("subject"), ordering="subject")
    def short_subject(self, obj):
        return Truncator(obj.subject).chars(60)

    @display(description=_("about"))
    def about_link(self, obj):
        return str(obj.about) if obj.content_type_id else "-"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {**(extra_context or {})}
        if obj is not None:
            extra_context["message_text"] = hide_links(obj.text_body)
            extra_context["message_html"] = hide_links(obj.html_body)
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        counts = email_status_counts()
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                (status.value, status.label, counts[status.value])
                for status in EmailStatus
            ],
        }
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Send again (failed messages only)"))
    def send_again(self, request, queryset):
        if not self.has_view_permission(request) or not request.user.has_perm(
            "hanoi_event.change_outboundemail"
        ):
            raise PermissionDenied
        n = email_send_again(emails=queryset)
        skipped = queryset.count() - n
        self.message_user(
            request,
            ngettext(
                "%(n)d message queued again.",
                "%(n)d messages queued again.",
                n,
            )
            % {"n": n}
            + (
                " " + _("%(skipped)d not failed, left alone.") % {"skipped": skipped}
                if skipped
                else ""
            ),
            messages.SUCCESS,
        )


# ---------------------------------------------------------------- templates


class EmailTemplateForm(forms.ModelForm):
    class Meta:
        model = EmailTemplate
        fields = ["kind", "language", "subject", "text_body", "html_body"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = mail_kind_choices(templated_kinds())
        current = self.instance.kind if self.instance.pk else None
        if current and current not in dict(choices):
            # A template of a kind no app declares any more stays editable.
            choices.append((current, current))
        self.fields["kind"] = forms.ChoiceField(
            label=capfirst(EmailTemplate._meta.get_field("kind").verbose_name),
            choices=[("", "---------"), *choices],
            widget=UnfoldAdminSelectWidget(),
        )

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        declared = mail_kind(kind)
        if declared is not None and not declared.templated:
            raise ValidationError(
                _("This kind of message is written elsewhere and has no template.")
            )
        return kind

    def clean(self):
        cleaned = super().clean()
        for field in ["subject", "text_body", "html_body"]:
            source = cleaned.get(field)
            if not source:
                continue
            try:
                Template(source)
            except TemplateSyntaxError as exc:
                self.add_error(
                    field,
                    _("Template syntax error: %(error)s") % {"error": exc},
                )
        kind = cleaned.get("kind")
        if kind and not self.errors:
            # A filter used wrongly only fails when rendering: try it.
            try:
                email_render(
                    EmailTemplate(
                        kind=kind,
                        language=cleaned.get("language") or "en",
                        subject=cleaned.get("subject") or "",
                        text_body=cleaned.get("text_body") or "",
                        html_body=cleaned.get("html_body") or "",
                    ),
                    sample_context(kind, cleaned.get("language") or "en"),
                )
            except Exception as exc:  # noqa: BLE001 - shown to the editor
                raise ValidationError(
                    _("The template fails with sample data: %(error)s") % {"error": exc}
                ) from exc
        return cleaned


class EmailTemplatePreviewForm(EmailTemplateForm):
    """The template form for a preview: the form's checks (syntax, a render
    with sample data), not the model's (one template per kind and language:
    the template being edited exists already)."""

    def _post_clean(self):
        self.instance = construct_instance(self, self.instance, self._meta.fields)


@admin.register(EmailTemplate)
class EmailTemplateAdmin(SafeModelAdmin):
    form = EmailTemplateForm
    list_display = ["kind_label", "language", "subject", "updated_at"]
    list_filter = [KindFilter, "language"]
    search_fields = ["subject", "text_body"]
    change_form_after_template = "admin/hanoi_event/emailtemplate/preview.html"

    @display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return mail_kind_label(obj.kind)

    def get_urls(self):
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="hanoi_event_emailtemplate_preview",
            ),
            path(
                "send-test/",
                self.admin_site.admin_view(self.send_test_view),
                name="hanoi_event_emailtemplate_send_test",
            ),
            *super().get_urls(),
        ]

    def _preview_context(self, obj: EmailTemplate | None, kind: str | None):
        context = {
            "preview_url": reverse("admin:hanoi_event_emailtemplate_preview"),
            "send_test_url": reverse("admin:hanoi_event_emailtemplate_send_test"),
        }
        if not kind:
            return context
        context["placeholders"] = placeholders_for(kind)
        if obj is not None:
            try:
                subject, text, html = email_render(
                    obj, sample_context(kind, obj.language)
                )
                context["preview"] = {"subject": subject, "text": text, "html": html}
            except Exception as exc:  # noqa: BLE001 - shown to the editor
                context["preview_error"] = str(exc)
        return context

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            **self._preview_context(obj, obj.kind if obj else None),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        kind = request.GET.get("kind")
        if kind and mail_kind(kind) is None:
            kind = None
        extra_context = {**(extra_context or {}), **self._preview_context(None, kind)}
        return super().add_view(request, form_url, extra_context)

    def _may_edit(self, request) -> bool:
        return self.has_add_permission(request) or self.has_change_permission(request)

    def _render_posted(self, request) -> tuple[dict | None, JsonResponse | None]:
        """The template being edited (the form as posted, not as saved),
        rendered with the kind's sample data; or a 400 with the errors."""
        if request.method != "POST":
            return None, JsonResponse({"error": _("Use POST.")}, status=405)
        if not self._may_edit(request):
            raise PermissionDenied
        form = EmailTemplatePreviewForm(request.POST)
        if not form.is_valid():
            return None, JsonResponse(
                {"errors": {k: [str(e) for e in v] for k, v in form.errors.items()}},
                status=400,
            )
        template = EmailTemplate(**form.cleaned_data)
        subject, text, html = email_render(
            template, sample_context(template.kind, template.language)
        )
        return {"subject": subject, "text": text, "html": html}, None

    def preview_view(self, request):
        """JSON: the posted template rendered with sample data."""
        rendered, error = self._render_posted(request)
        return error or JsonResponse(rendered)

    def send_test_view(self, request):
        """Queue the posted template, rendered with sample data, to the staff
        member's own address through the outbox (marked as a test)."""
        rendered, error = self._render_posted(request)
        if error:
            return error
        address = (request.user.email or "").strip()
        if not address:
            return JsonResponse(
                {"error": _("Your account has no email address to send to.")},
                status=400,
            )
        email_queue_rendered(
            to=address,
            kind=request.POST.get("kind", ""),
            subject=_("[Test] %(subject)s") % {"subject": rendered["subject"]},
            text_body=rendered["text"],
            html_body=rendered["html"],
            idempotency_key=f"template-test:{uuid.uuid4()}",
            language=request.POST.get("language", "en"),
        )
        return JsonResponse(
            {"message": _("A test was sent to %(email)s.") % {"email": address}}
        )


# ---------------------------------------------------------------- bulk sends


@admin.register(BulkSend)
class BulkSendAdmin(SafeModelAdmin):
    list_display = ["created_at", "subject", "total", "status", "created_by"]
    list_filter = ["status"]
    search_fields = ["subject"]
    list_select_related = ["created_by"]
    fields = [
        "subject",
        "message",
        "html_body",
        "total",
        "status",
        "created_by",
        "created_at",
        "queued_at",
    ]
    readonly_fields = fields
    change_form_before_template = "admin/hanoi_event/bulksend/progress.html"

    @display(description=_("message"))
    def message(self, obj: BulkSend) -> str:
        # As written, line breaks kept (placeholders still unfilled).
        return format_html(
            '<pre style="white-space: pre-wrap; overflow-wrap: anywhere; '
            'font-family: inherit">{}</pre>',
            obj.text_body,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/progress/",
                self.admin_site.admin_view(self.progress_view),
                name="hanoi_event_bulksend_progress",
            ),
            *super().get_urls(),
        ]

    def progress_view(self, request, pk: int):
        """JSON: status, total, sent, failed, waiting. Staff with view
        permission on bulk sends only."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        bulk = get_object_or_404(BulkSend, pk=pk)
        return JsonResponse(bulk_send_progress(bulk))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        bulk = self.get_object(request, object_id)
        if bulk is None:
            return redirect("admin:hanoi_event_bulksend_changelist")
        extra_context = {
            **(extra_context or {}),
            "progress": bulk_send_progress(bulk),
            "progress_url": reverse(
                "admin:hanoi_event_bulksend_progress", args=[bulk.pk]
            ),
        }
        return super().change_view(request, object_id, form_url, extra_context)
