from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.utils.translation import gettext_lazy as _

from . import admin_site
from .admin_safety import SafeModelAdmin
from .models import Event

# The admin's login page never authenticates: sign-in is allauth's.
admin_site.install(admin.site)

# Inlines that apps above add to the event's page (for example the per-role
# delegation quotas), registered from their AppConfig.ready().
_EVENT_INLINES: list[type[InlineModelAdmin]] = []


def register_event_inline(inline: type[InlineModelAdmin]) -> None:
    """Show ``inline`` (an inline of a model with a foreign key to Event) on
    the event's admin page. Registering it again is harmless."""
    if inline not in _EVENT_INLINES:
        _EVENT_INLINES.append(inline)


@admin.register(Event)
class EventAdmin(SafeModelAdmin):
    """The event's own record, with the inlines the apps register."""

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

    def get_inlines(self, request, obj):
        return list(_EVENT_INLINES)


# The email outbox, templates and bulk sends; celery beat's schedules;
# allauth's email addresses and authenticators.
from . import admin_accounts, admin_beat, admin_email  # noqa: E402, F401
