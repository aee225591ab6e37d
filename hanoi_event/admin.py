from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from delegations.models import DelegationRoleQuota

from .models import Event


class DelegationRoleQuotaInline(TabularInline):
    model = DelegationRoleQuota
    fields = ["role", "max_count"]
    extra = 0


@admin.register(Event)
class EventAdmin(ModelAdmin):
    """The event's own record, with its per-role delegation quotas inline."""

    list_display = [
        "name",
        "short_name",
        "start_date",
        "end_date",
        "city",
        "is_current",
    ]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [DelegationRoleQuotaInline]
    fieldsets = [
        (
            _("Identity"),
            {"fields": ["name", "short_name", "slug", "theme", "is_current"]},
        ),
        (_("Venue and time zone"), {"fields": ["venue", "city", "time_zone"]}),
        (
            _("Dates and deadlines"),
            {
                "fields": [
                    "start_date",
                    "end_date",
                    "registration_opens_at",
                    "registration_deadline",
                    "side_event_application_deadline",
                    "invitation_validity_days",
                ]
            },
        ),
        (_("Contact"), {"fields": ["contact_email"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]


# The email outbox, templates and bulk sends; celery beat's schedules.
from . import admin_beat, admin_email  # noqa: E402, F401
