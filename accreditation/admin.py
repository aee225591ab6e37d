"""Admin doors into the accreditation services: the review queue (approve,
approve in bulk, reject with a reason), badges (reprint with a reason,
revoke, print one or a batch), categories and zones, signing keys (rotate,
retire), decisions and print jobs (read only)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display
from unfold.widgets import UnfoldAdminTextareaWidget, UnfoldAdminTextInputWidget

from delegations.enums import ParticipantStatus
from hanoi_event.admin_safety import SafeModelAdmin
from hanoi_event.formatting import format_datetime

from . import services
from .admin_times import event_time
from .enums import CardSize
from .models import (
    AccreditationDecision,
    Badge,
    BadgeCategory,
    BadgeFlagChange,
    BadgePrintJob,
    ParticipantReview,
    SigningKey,
    Zone,
)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 4}),
        max_length=2000,
    )


class FlagForm(ReasonForm):
    note = forms.CharField(
        label=_("Note for the gate"),
        help_text=_("Shown on the scanner when the badge is scanned."),
        widget=UnfoldAdminTextInputWidget,
        max_length=255,
        required=False,
    )
    field_order = ["note", "reason"]


def _reason_step(
    modeladmin, request, queryset, *, title, action, apply, form_class=ReasonForm
):
    """An action that asks for a reason (and what else ``form_class`` asks)
    first, then calls ``apply(obj, cleaned_data)`` for each selected
    object."""
    form = form_class(request.POST if "reason" in request.POST else None)
    if form.is_bound and form.is_valid():
        done = 0
        for obj in queryset:
            try:
                apply(obj, form.cleaned_data)
                done += 1
            except ValidationError as exc:
                modeladmin.message_user(
                    request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR
                )
        modeladmin.message_user(
            request, _("%(n)s done.") % {"n": done}, messages.SUCCESS
        )
        return None
    return TemplateResponse(
        request,
        "accreditation/admin/reason.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "objects": queryset,
            "action": action,
            "opts": modeladmin.model._meta,
        },
    )


class ReviewStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("submitted", _("Waiting for review")),
            ("approved", _("Approved")),
            ("rejected", _("Rejected")),
            ("all", _("All")),
        ]

    def choices(self, changelist):
        value = self.value() or "submitted"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup}
                ),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "submitted"
        if value == "all":
            return queryset
        return queryset.filter(status=value)


@admin.register(ParticipantReview)
class ReviewAdmin(SafeModelAdmin):
    """The review queue: submitted participants with their photo and what
    changed since the last review."""

    list_display = [
        "photo",
        "full_name",
        "delegation",
        "role",
        "protocol_rank",
        "submitted",
        "changes",
        "status",
    ]
    list_select_related = ["delegation__organisation", "event"]
    list_filter = [ReviewStatusFilter]
    search_fields = ["given_names", "family_name", "email"]
    ordering = ["submitted_at"]
    actions = ["approve", "reject"]
    fields = [
        "full_name",
        "photo_large",
        "delegation",
        "role",
        "protocol_rank",
        "status",
        "changes",
        "decisions",
    ]
    readonly_fields = fields
    submitted = event_time("submitted_at", _("submitted"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("name"), ordering="family_name")
    def full_name(self, obj):
        return obj.full_name

    @display(description=_("photo"))
    def photo(self, obj):
        if not obj.photo:
            return _("No photo")
        url = reverse("portal:participant_photo", args=[obj.pk])
        return format_html(
            '<img src="{}" alt="{}" style="height:64px">', url, obj.full_name
        )

    @display(description=_("photo"))
    def photo_large(self, obj):
        if not obj.photo:
            return _("No photo")
        url = reverse("portal:participant_photo", args=[obj.pk])
        return format_html(
            '<img src="{}" alt="{}" style="max-height:240px">', url, obj.full_name
        )

    @display(description=_("changed since the last review"))
    def changes(self, obj):
        changed = services.changed_since_last_review(
            obj, decisions=getattr(obj, "review_decisions", None)
        )
        if changed is None:
            return _("First review")
        labels = [str(obj._meta.get_field(name).verbose_name) for name in changed]
        return ", ".join(labels) or _("Nothing")

    @display(description=_("decisions"))
    def decisions(self, obj):
        rows = obj.accreditation_decisions.select_related("decided_by")[:10]
        if not rows:
            return "-"
        return format_html_join(
            mark_safe("<br>"),
            "{} {} ({}) {}",
            (
                (
                    format_datetime(row.decided_at, "datetime", tz=obj.event.tzinfo),
                    row.get_decision_display(),
                    row.decided_by or "-",
                    row.reason,
                )
                for row in rows
            ),
        )

    @admin.action(
        description=_("Approve the selected participants"), permissions=["change"]
    )
    def approve(self, request, queryset):
        count, problems = services.accreditation_approve_many(
            participants=queryset.select_related("delegation__organisation", "event"),
            decided_by=request.user,
        )
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)
        self.message_user(
            request, _("%(n)s approved.") % {"n": count}, messages.SUCCESS
        )

    @admin.action(
        description=_("Reject the selected participants (with a reason)"),
        permissions=["change"],
    )
    def reject(self, request, queryset):
        return _reason_step(
            self,
            request,
            queryset,
            title=_("Reject: the reason is mailed to each participant"),
            action="reject",
            apply=lambda p, data: services.accreditation_reject(
                participant=p, reason=data["reason"], decided_by=request.user
            ),
        )

    def get_queryset(self, request):
        # Every row shows what changed since its last decision: the
        # decisions read in one query for the page, not one per row.
        decisions = Prefetch(
            "accreditation_decisions",
            queryset=AccreditationDecision.objects.order_by("-decided_at", "-pk"),
            to_attr="review_decisions",
        )
        return (
            super()
            .get_queryset(request)
            .exclude(status=ParticipantStatus.WITHDRAWN)
            .prefetch_related(decisions)
        )


@admin.register(AccreditationDecision)
class DecisionAdmin(SafeModelAdmin):
    list_display = ["participant", "decision", "decided_by", "decided", "reason"]
    list_select_related = ["participant", "decided_by", "event"]
    list_filter = ["decision"]
    search_fields = ["participant__family_name", "participant__given_names"]
    fields = ["participant", "decision", "reason", "decided_by", "decided"]
    readonly_fields = fields
    decided = event_time("decided_at", _("decided"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Zone)
class ZoneAdmin(SafeModelAdmin):
    list_display = ["name", "code", "event", "reentry_allowed", "exit_required"]
    list_filter = ["event"]


@admin.register(BadgeCategory)
class BadgeCategoryAdmin(SafeModelAdmin):
    list_display = ["name", "label", "colour", "requires_confirmation", "event"]
    list_filter = ["event"]
    filter_horizontal = ["zones"]


class PrintForm(forms.Form):
    card_size = forms.ChoiceField(label=_("Card size"), choices=CardSize.choices)


@admin.register(Badge)
class BadgeAdmin(SafeModelAdmin):
    list_display = [
        "display_number",
        "version",
        "participant",
        "category",
        "valid",
        "flagged",
        "issued",
    ]
    list_select_related = ["participant", "category", "event"]
    list_filter = ["category", "flagged", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["participant__family_name", "participant__given_names"]
    fields = [
        "participant",
        "number",
        "version",
        "category",
        "flagged",
        "flag_note",
        "issued",
        "issued_by",
        "issue_reason",
        "revoked",
        "revoked_by",
        "revoke_reason",
        "flag_history",
        "pdf_link",
    ]
    # Every change goes through a service (actions): flags too, with a
    # reason and a record of who and when.
    readonly_fields = fields
    actions = ["reprint", "revoke", "flag", "unflag", "print_batch"]
    issued = event_time("issued_at", _("issued"))
    revoked = event_time("revoked_at", _("revoked"))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("valid"), boolean=True)
    def valid(self, obj):
        return obj.revoked_at is None

    @display(description=_("PDF"))
    def pdf_link(self, obj):
        if not obj.pk or obj.revoked_at:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:accreditation_badge_pdf", args=[obj.pk]),
            _("Download the badge (PDF)"),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing on the badge's page is edited in place: no save buttons.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # Every field is read-only: a badge changes through the actions
        # (services) only, never by saving this form.
        return None

    @display(description=_("flag history"))
    def flag_history(self, obj):
        # The participant's badges, every version: a reprint keeps the flag.
        rows = list(
            BadgeFlagChange.objects.filter(badge__participant_id=obj.participant_id)
            .select_related("badge", "changed_by")
            .order_by("-changed_at", "-pk")[:20]
        )
        if not rows:
            return "-"
        return format_html_join(
            mark_safe("<br>"),
            "{}",
            (
                (
                    (
                        _("%(when)s: flagged by %(who)s (note: %(note)s). %(reason)s")
                        if row.flagged
                        else _("%(when)s: unflagged by %(who)s. %(reason)s")
                    )
                    % {
                        "when": format_datetime(
                            row.changed_at, "datetime", tz=obj.event.tzinfo
                        ),
                        "who": row.changed_by or "-",
                        "note": row.note or "-",
                        "reason": row.reason,
                    },
                )
                for row in rows
            ),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="accreditation_badge_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk):
        badge = get_object_or_404(Badge, pk=pk)
        if not self.has_view_permission(request, badge):
            raise Http404
        try:
            data = services.badge_pdf(
                badges=[badge], card_size=request.GET.get("size", CardSize.CR80)
            )
        except (ValidationError, ValueError) as exc:
            raise Http404 from exc
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="badge-{badge.display_number}.pdf"'
        )
        return response

    @admin.action(
        description=_("Reprint (with a reason; the old badge is revoked)"),
        permissions=["change"],
    )
    def reprint(self, request, queryset):
        return _reason_step(
            self,
            request,
            queryset,
            title=_("Reprint: why?"),
            action="reprint",
            apply=lambda b, data: services.badge_reprint(
                badge=b, reason=data["reason"], by=request.user
            ),
        )

    @admin.action(description=_("Revoke (with a reason)"), permissions=["change"])
    def revoke(self, request, queryset):
        return _reason_step(
            self,
            request,
            queryset,
            title=_("Revoke: why?"),
            action="revoke",
            apply=lambda b, data: services.badge_revoke(
                badge=b, reason=data["reason"], by=request.user
            ),
        )

    @admin.action(
        description=_("Flag (the gate confirms with the photo; with a reason)"),
        permissions=["change"],
    )
    def flag(self, request, queryset):
        return _reason_step(
            self,
            request,
            queryset,
            title=_("Flag: what should the gate know, and why?"),
            action="flag",
            form_class=FlagForm,
            apply=lambda b, data: services.badge_flag(
                badge=b, note=data["note"], reason=data["reason"], by=request.user
            ),
        )

    @admin.action(description=_("Unflag (with a reason)"), permissions=["change"])
    def unflag(self, request, queryset):
        return _reason_step(
            self,
            request,
            queryset,
            title=_("Unflag: why?"),
            action="unflag",
            apply=lambda b, data: services.badge_unflag(
                badge=b, reason=data["reason"], by=request.user
            ),
        )

    @admin.action(
        description=_("Print the selected badges (one PDF, in the background)"),
        permissions=["change"],
    )
    def print_batch(self, request, queryset):
        badges = list(queryset.filter(revoked_at__isnull=True))
        if not badges:
            self.message_user(
                request, _("None of the selected badges is valid."), messages.ERROR
            )
            return None
        try:
            job = services.print_job_start(
                event=badges[0].event,
                badges=badges,
                card_size=CardSize.CR80,
                by=request.user,
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return None
        self.message_user(
            request,
            _("Printing %(n)s badges: follow it in Badge print jobs.")
            % {"n": job.total},
            messages.SUCCESS,
        )
        return None


@admin.register(BadgePrintJob)
class BadgePrintJobAdmin(SafeModelAdmin):
    list_display = [
        "started",
        "created_by",
        "card_size",
        "status",
        "progress",
        "download",
    ]
    list_select_related = ["created_by", "event"]
    fields = [
        "started",
        "finished",
        "created_by",
        "card_size",
        "status",
        "progress",
        "error",
        "download",
    ]
    readonly_fields = fields
    started = event_time("created_at", _("started"))
    finished = event_time("finished_at", _("finished"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @display(description=_("progress"))
    def progress(self, obj):
        return format_html(
            '<progress value="{}" max="{}" aria-label="{}"></progress> {} / {}',
            obj.done,
            obj.total or 1,
            _("badges printed"),
            obj.done,
            obj.total,
        )

    @display(description=_("PDF"))
    def download(self, obj):
        if not obj.file:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:accreditation_badgeprintjob_download", args=[obj.pk]),
            _("Download"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="accreditation_badgeprintjob_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        job = get_object_or_404(BadgePrintJob, pk=pk)
        if not self.has_view_permission(request, job) or not job.file:
            raise Http404
        return FileResponse(
            job.file.open("rb"),
            content_type="application/pdf",
            filename=f"badges-{job.pk}.pdf",
        )


@admin.register(SigningKey)
class SigningKeyAdmin(SafeModelAdmin):
    list_display = ["key_id_hex", "event", "is_active", "created", "retired"]
    list_select_related = ["event"]
    fields = [
        "event",
        "key_id_hex",
        "public_key",
        "is_active",
        "created",
        "retired",
    ]
    readonly_fields = fields
    created = event_time("created_at", _("created"))
    retired = event_time("retired_at", _("retired"))
    actions = ["rotate", "retire"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(
        description=_("Rotate: a new key signs new badges (old ones stay valid)"),
        permissions=["change"],
    )
    def rotate(self, request, queryset):
        for event_id in set(queryset.values_list("event_id", flat=True)):
            services.signing_key_rotate(
                event=queryset.filter(event_id=event_id).first().event
            )
        self.message_user(request, _("New key created."), messages.SUCCESS)

    @admin.action(
        description=_("Retire: refuse the badges these keys signed"),
        permissions=["change"],
    )
    def retire(self, request, queryset):
        for key in queryset:
            try:
                services.signing_key_retire(key=key)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
