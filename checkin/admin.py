"""Admin doors into the check-in services: gates, devices (created with a
one-time setup code shown once as a QR code; revoke), scans (read only; the
disputed ones filterable) and the live counts."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import admin, messages
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accreditation.admin_times import event_time
from hanoi_event.admin_safety import SafeModelAdmin, unfilterable_fields
from hanoi_event.links import absolute_url
from hanoi_event.selectors import current_event

from . import selectors, services
from .models import Device, Gate, Scan

unfilterable_fields(Device, ["token_hash", "setup_code_hash"])


@admin.register(Gate)
class GateAdmin(SafeModelAdmin):
    list_display = ["name", "zone", "direction", "is_active", "event"]
    list_filter = ["event", "direction"]


class DeviceForm(forms.ModelForm):
    class Meta:
        model = Device
        fields = ["event", "name"]


def _setup_response(modeladmin, request, device, code):
    url = absolute_url(f"/checkin/?setup={code}")
    svg = segno.make(url, error="m").svg_inline(scale=5)
    return TemplateResponse(
        request,
        "checkin/admin/setup_code.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Set up %(name)s") % {"name": device.name},
            "device": device,
            "code": code,
            "url": url,
            "qr": mark_safe(svg),  # noqa: S308 - segno's own SVG
            "opts": Device._meta,
        },
    )


@admin.register(Device)
class DeviceAdmin(SafeModelAdmin):
    list_display = ["name", "event", "enrolled", "last_seen", "revoked"]
    list_select_related = ["event"]
    list_filter = ["event"]
    form = DeviceForm
    readonly_fields = ["enrolled", "last_seen", "revoked", "setup_code_expires"]
    actions = ["revoke", "new_setup_code"]
    enrolled = event_time("enrolled_at", _("enrolled"))
    last_seen = event_time("last_seen_at", _("last seen"))
    revoked = event_time("revoked_at", _("revoked"))
    setup_code_expires = event_time(
        "setup_code_expires_at", _("setup code valid until")
    )

    def get_fields(self, request, obj=None):
        return (
            ["event", "name"]
            if obj is None
            else ["event", "name", *self.readonly_fields]
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "POST":
            form = DeviceForm(request.POST)
            if form.is_valid():
                device, code = services.device_create(
                    event=form.cleaned_data["event"],
                    name=form.cleaned_data["name"],
                    by=request.user,
                )
                return _setup_response(self, request, device, code)
        return super().add_view(request, form_url, extra_context)

    @admin.action(
        description=_("Revoke (its token stops working at once)"),
        permissions=["change"],
    )
    def revoke(self, request, queryset):
        for device in queryset:
            services.device_revoke(device=device)
        self.message_user(request, _("Revoked."), messages.SUCCESS)

    @admin.action(description=_("New setup code (enrol again)"), permissions=["change"])
    def new_setup_code(self, request, queryset):
        device = queryset.filter(revoked_at__isnull=True).first()
        if device is None:
            self.message_user(
                request, _("Choose a device that is not revoked."), messages.ERROR
            )
            return None
        return _setup_response(
            self, request, device, services.device_new_setup_code(device=device)
        )


@admin.register(Scan)
class ScanAdmin(SafeModelAdmin):
    list_display = [
        "received",
        "scanned",
        "gate",
        "device",
        "badge",
        "verdict",
        "reason",
        "offline",
        "disputed",
        "late",
        "confirmed",
    ]
    list_select_related = ["gate", "device", "badge", "event"]
    list_filter = ["verdict", "disputed", "offline", "late", "gate", "device"]
    fields = list_display + ["code", "offline_verdict", "nonce", "direction"]
    readonly_fields = fields
    # The server's time and the device's, in the event's zone.
    received = event_time("received_at", _("received"))
    scanned = event_time("scanned_at", _("scanned"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "live/", self.admin_site.admin_view(self.live_view), name="checkin_live"
            ),
            path(
                "live/data/",
                self.admin_site.admin_view(self.live_data),
                name="checkin_live_data",
            ),
            *super().get_urls(),
        ]

    def live_view(self, request):
        from django.core.exceptions import PermissionDenied

        if not self.has_view_permission(request):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "checkin/admin/live.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Live counts"),
                "opts": Scan._meta,
            },
        )

    def live_data(self, request):
        from django.core.exceptions import PermissionDenied

        if not self.has_view_permission(request):
            raise PermissionDenied
        event = current_event()
        return JsonResponse(selectors.live_counts(event) if event else {})

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "live_link": True}
        return super().changelist_view(request, extra_context)
