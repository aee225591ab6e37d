"""Admin of the signing ceremony and the speaking list. Every write goes
through protocol.services: the change forms are read-only; full powers are
decided, slots booked and signatures recorded from the buttons and actions
here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RelatedDropdownFilter

from hanoi_event.admin_safety import SafeModelAdmin, SafeSimpleHistoryAdmin
from hanoi_event.formatting import format_datetime

from . import services
from .forms import FullPowersDecisionForm, SlotForm, add_errors
from .models import (
    SigningCeremony,
    SigningRequest,
    SpeakerMove,
    SpeakingList,
    SpeakingRequest,
)


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@admin.register(SigningCeremony)
class SigningCeremonyAdmin(SafeModelAdmin):
    list_display = ["event", "starts_at", "slot_minutes", "slot_count", "links"]
    fields = ["event", "starts_at", "slot_minutes", "slot_count", "place"]

    @admin.display(description=_("Run sheet"))
    def links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("protocol:run_sheet", args=[obj.event_id]),
            _("HTML"),
            reverse("protocol:run_sheet_pdf", args=[obj.event_id]),
            _("PDF"),
        )


@admin.register(SigningRequest)
class SigningRequestAdmin(SafeSimpleHistoryAdmin):
    list_display = [
        "delegation",
        "signatory_name",
        "signatory_title",
        "full_powers_status",
        "status",
        "slot",
        "signed_at",
    ]
    list_select_related = ["delegation__organisation"]
    list_filter = [
        ("event", RelatedDropdownFilter),
        ("status", ChoicesDropdownFilter),
        ("full_powers_status", ChoicesDropdownFilter),
    ]
    list_filter_submit = True
    search_fields = ["delegation__organisation__name", "signatory_name"]
    ordering = ["slot", "delegation__organisation__name"]
    actions = ["book_first_free", "release_slot", "swap_slots", "record_signature"]
    readonly_fields = [
        "event",
        "delegation",
        "signatory_participant",
        "signatory_name",
        "signatory_title",
        "signatory_rank",
        "status",
        "full_powers_status",
        "full_powers_link",
        "full_powers_pages",
        "full_powers_uploaded_at",
        "full_powers_name",
        "full_powers_title",
        "full_powers_decided_at",
        "full_powers_decided_by",
        "full_powers_rejection_reason",
        "slot",
        "slot_time",
        "signed_at",
        "signature_recorded_by",
        "requested_by",
        "created_at",
        "tools",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        # Requests come from the focal points in the portal (protocol/views.py).
        return False

    @admin.display(description=_("Slot time"))
    def slot_time(self, obj):
        ceremony = services.signing_ceremony_for(obj.event)
        if ceremony is None or obj.slot is None:
            return "-"
        return format_datetime(
            ceremony.slot_starts_at(obj.slot), "datetime", tz=obj.event.tzinfo
        )

    @admin.display(description=_("Instrument of full powers"))
    def full_powers_link(self, obj):
        if not obj.full_powers:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:protocol_signingrequest_full_powers", args=[obj.pk]),
            _("Open the PDF"),
        )

    @admin.display(description=_("Actions"))
    def tools(self, obj):
        return format_html(
            '<a class="underline" href="{}">{}</a> · <a class="underline" href="{}">{}</a>',
            reverse("admin:protocol_signingrequest_decide", args=[obj.pk]),
            _("Clear or reject the full powers"),
            reverse("admin:protocol_signingrequest_slot", args=[obj.pk]),
            _("Book a slot"),
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/full-powers/",
                wrap(self.full_powers_view),
                name="protocol_signingrequest_full_powers",
            ),
            path(
                "<int:pk>/decide/",
                wrap(self.decide_view),
                name="protocol_signingrequest_decide",
            ),
            path(
                "<int:pk>/slot/",
                wrap(self.slot_view),
                name="protocol_signingrequest_slot",
            ),
        ] + super().get_urls()

    def _object_or_404(self, request, pk: int, *, change: bool) -> SigningRequest:
        obj = get_object_or_404(SigningRequest, pk=pk)
        allowed = (
            self.has_change_permission(request, obj)
            if change
            else self.has_view_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        return obj

    def full_powers_view(self, request, pk: int):
        obj = self._object_or_404(request, pk, change=False)
        if not obj.full_powers:
            raise Http404
        return FileResponse(obj.full_powers.open("rb"), content_type="application/pdf")

    def _form_page(self, request, obj, form, title: str, submit: str):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": title,
            "form": form,
            "submit_label": submit,
            "object_url": reverse(
                "admin:protocol_signingrequest_change", args=[obj.pk]
            ),
        }
        return TemplateResponse(request, "protocol/admin_form.html", context)

    def decide_view(self, request, pk: int):
        obj = self._object_or_404(request, pk, change=True)
        form = FullPowersDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.full_powers_decide(
                    request=obj,
                    clear=form.cleaned_data["decision"] == "clear",
                    decided_by=request.user,
                    name=form.cleaned_data["name"],
                    title=form.cleaned_data["title"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The decision is recorded."))
                return HttpResponseRedirect(
                    reverse("admin:protocol_signingrequest_change", args=[obj.pk])
                )
        return self._form_page(
            request,
            obj,
            form,
            _("Full powers of %(delegation)s: %(name)s, %(title)s")
            % {
                "delegation": obj.delegation,
                "name": obj.signatory_name,
                "title": obj.signatory_title,
            },
            _("Record the decision"),
        )

    def slot_view(self, request, pk: int):
        obj = self._object_or_404(request, pk, change=True)
        form = SlotForm(request.POST or None, initial={"slot": obj.slot})
        if request.method == "POST" and form.is_valid():
            try:
                services.slot_book(request=obj, slot=form.cleaned_data["slot"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("The slot is booked."))
                return HttpResponseRedirect(
                    reverse("admin:protocol_signingrequest_change", args=[obj.pk])
                )
        return self._form_page(
            request,
            obj,
            form,
            _("Signing slot of %(delegation)s") % {"delegation": obj.delegation},
            _("Book"),
        )

    def _each(self, request, queryset, call, success) -> None:
        done = 0
        for obj in queryset:
            try:
                call(obj)
            except ValidationError as error:
                messages.error(request, f"{obj.delegation}: {' '.join(error.messages)}")
            else:
                done += 1
        if done:
            messages.success(request, success % {"count": done})

    @admin.action(description=_("Book the first free slot"), permissions=["change"])
    def book_first_free(self, request, queryset):
        self._each(
            request,
            queryset.order_by("pk"),
            lambda obj: services.slot_book(request=obj),
            _("%(count)s request(s) hold a slot."),
        )

    @admin.action(description=_("Release the slot"), permissions=["change"])
    def release_slot(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda obj: services.slot_release(request=obj),
            _("%(count)s slot(s) released."),
        )

    @admin.action(
        description=_("Swap the slots of the two selected"), permissions=["change"]
    )
    def swap_slots(self, request, queryset):
        chosen = list(queryset[:3])
        if len(chosen) != 2:
            messages.error(request, _("Select exactly two requests to swap."))
            return
        try:
            services.slots_swap(first=chosen[0], second=chosen[1])
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The two slots are swapped."))

    @admin.action(description=_("Record the signature (now)"), permissions=["change"])
    def record_signature(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda obj: services.signature_record(
                request=obj, recorded_by=request.user
            ),
            _("%(count)s signature(s) recorded."),
        )


@admin.register(SpeakingList)
class SpeakingListAdmin(SafeModelAdmin):
    list_display = ["title", "event", "day", "time_limit_seconds", "is_open", "links"]
    list_filter = [("event", RelatedDropdownFilter), "is_open"]
    fields = [
        "event",
        "title",
        "day",
        "time_limit_seconds",
        "reply_time_limit_seconds",
        "is_open",
    ]

    @admin.display(description=_("Pages"))
    def links(self, obj):
        return format_html(
            '<a class="underline" href="{}">{}</a> · <a class="underline" href="{}">{}</a>'
            ' · <a class="underline" href="{}">{}</a> · <a class="underline" href="{}">{}</a>',
            reverse("protocol:speaking_chair", args=[obj.pk]),
            _("Chair"),
            reverse("protocol:speaking_screen", args=[obj.pk]),
            _("Hall screen"),
            reverse("protocol:speaking_print", args=[obj.pk]),
            _("Printable"),
            reverse("protocol:speaking_public", args=[obj.pk]),
            _("Public"),
        )


@admin.register(SpeakingRequest)
class SpeakingRequestAdmin(SafeSimpleHistoryAdmin):
    list_display = [
        "delegation",
        "speaker",
        "kind",
        "status",
        "requested_at",
        "speaking_list",
    ]
    list_select_related = ["delegation__organisation", "speaker", "speaking_list"]
    list_filter = [
        ("speaking_list__event", RelatedDropdownFilter),
        ("speaking_list", RelatedDropdownFilter),
        ("status", ChoicesDropdownFilter),
        ("kind", ChoicesDropdownFilter),
    ]
    list_filter_submit = True
    search_fields = ["delegation__organisation__name", "speaker__family_name"]
    readonly_fields = [
        "speaking_list",
        "delegation",
        "speaker",
        "kind",
        "status",
        "requested_at",
        "time_limit_seconds",
        "begin_at",
        "end_at",
        "total_pause_seconds",
        "requested_by",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False


@admin.register(SpeakerMove)
class SpeakerMoveAdmin(SafeModelAdmin):
    list_display = [
        "request",
        "from_position",
        "to_position",
        "reason",
        "moved_by",
        "moved_at",
    ]
    list_select_related = [
        "request__delegation__organisation",
        "request__speaker",
        "moved_by",
    ]
    readonly_fields = list_display
    fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
