"""What the delegation's admin page shows below the record: its members and
its invitations, read-only (each member is changed on their own page, each
invitation through its actions), and the role quotas in use."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from hanoi_event.admin_safety import SafeTabularInline

from .models import Delegation, Invitation, Participant
from .selectors import quota_use


class _ReadOnlyInline(SafeTabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DelegationMemberInline(_ReadOnlyInline):
    model = Participant
    verbose_name = _("member")
    verbose_name_plural = _("members")
    fields = ["member", "role", "protocol_rank", "status", "email"]
    readonly_fields = fields
    ordering = ["family_name", "given_names"]

    @display(description=_("name"))
    def member(self, obj: Participant) -> str:
        url = reverse("admin:delegations_participant_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.full_name)


class DelegationInvitationInline(_ReadOnlyInline):
    model = Invitation
    fields = ["email", "status_label", "created_at", "expires_at", "accepted_at"]
    readonly_fields = fields
    ordering = ["-created_at"]

    @display(description=_("status"))
    def status_label(self, obj: Invitation) -> str:
        return obj.get_effective_status_display()


@display(description=_("role quotas"))
def quota_use_summary(delegation: Delegation) -> str:
    """ "Head of Delegation: 1 of 1 used" per role the event limits."""
    if not delegation.pk:
        return "-"
    rows = quota_use(delegation)
    if not rows:
        return _("No quotas for this event.")
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{}: {}</li>",
            (
                (
                    row.label,
                    _("%(used)s of %(limit)s used")
                    % {"used": row.used, "limit": row.limit},
                )
                for row in rows
            ),
        ),
    )
