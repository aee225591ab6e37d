"""Admin for organisations, delegations and participants (themed by unfold).

Django's User and Group admins are re-registered here with unfold's classes
and forms, so that every page of the admin looks the same.

Changelists read through ``delegations.selectors`` so that their number of
queries does not grow with the number of rows (see tests/delegations/test_admin.py).
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.contrib.filters.admin import ChoicesDropdownFilter, RelatedDropdownFilter
from unfold.decorators import display
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from hanoi_event.admin import register_event_inline
from hanoi_event.admin_bulk import BulkEmailAdminMixin
from hanoi_event.admin_safety import (
    SafeModelAdmin,
    SafeSimpleHistoryAdmin,
    SafeTabularInline,
    restrict_fields,
    unfilterable_fields,
)

from . import permissions, portal_admin, selectors
from .admin_imports import TransferAdminMixin
from .admin_inlines import (
    DelegationInvitationInline,
    DelegationMemberInline,
    quota_use_summary,
)
from .bulk_email import email_focal_points, email_participants
from .enums import InvitationStatus
from .fields import (
    DECISION_FIELDS,
    DELEGATION_ROLE_FIELDS,
    IDENTITY_FIELDS,
    PROFILE_SECTIONS,
    RESTRICTED_FIELDS,
    missing_labels,
)
from .models import (
    Delegation,
    DelegationRoleQuota,
    Invitation,
    Organisation,
    OrganisationRequest,
    Participant,
    RegistrationCode,
)


def titled_filter(base: type, title: str) -> type:
    """``base`` (a field list filter) showing ``title`` instead of the field's
    own name: "kind" alone says nothing when the field is the organisation's."""

    class TitledFilter(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    TitledFilter.__name__ = f"Titled{base.__name__}"
    return TitledFilter


class DelegationRoleQuotaInline(SafeTabularInline):
    """The event's per-role quotas, on the event's admin page."""

    model = DelegationRoleQuota
    fields = ["role", "max_count"]
    extra = 0


register_event_inline(DelegationRoleQuotaInline)


# Django's auth admins, with unfold's look (forms from unfold.forms).
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(BaseUserAdmin, SafeModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin, SafeModelAdmin):
    pass


@admin.register(Organisation)
class OrganisationAdmin(TransferAdminMixin, SafeModelAdmin):
    import_kind = "organisations"
    list_display = ["name", "kind", "iso2", "iso3", "regional_group"]
    list_filter = [
        ("kind", ChoicesDropdownFilter),
        ("regional_group", ChoicesDropdownFilter),
    ]
    list_filter_submit = True
    search_fields = ["name", "iso2", "iso3", "acronym"]
    fields = ["name", "kind", "acronym", "iso2", "iso3", "regional_group", "website"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Delegation)
class DelegationAdmin(
    TransferAdminMixin,
    BulkEmailAdminMixin,
    portal_admin.NoStaffOwnerAdminMixin,
    SafeSimpleHistoryAdmin,
):
    import_kind = "delegations"
    no_staff_fields = {
        "focal_point": _("A staff account cannot be a delegation's focal point.")
    }
    list_display = [
        "organisation",
        "event",
        "status",
        "focal_point_email",
        "member_count",
        "head_of_delegation",
    ]
    list_select_related = ["organisation", "event", "focal_point"]
    list_filter = [
        ("event", RelatedDropdownFilter),
        ("status", ChoicesDropdownFilter),
        (
            "organisation__kind",
            titled_filter(ChoicesDropdownFilter, _("organisation kind")),
        ),
        (
            "organisation__regional_group",
            titled_filter(ChoicesDropdownFilter, _("UN regional group")),
        ),
    ]
    list_filter_submit = True
    # A member's name or address finds their delegation too.
    search_fields = [
        "organisation__name",
        "organisation__iso3",
        "members__given_names",
        "members__family_name",
        "members__email",
    ]
    autocomplete_fields = ["organisation", "focal_point"]
    fields = [
        "event",
        "organisation",
        "status",
        "focal_point",
        "submitted_at",
        "note_verbale_link",
        "quotas",
    ]
    readonly_fields = ["note_verbale_link", "quotas"]
    inlines = [DelegationMemberInline, DelegationInvitationInline]

    @display(description=_("role quotas"))
    def quotas(self, obj: Delegation) -> str:
        return quota_use_summary(obj)

    actions = ["invite_focal_points", email_focal_points]

    @display(description=_("note verbale"))
    def note_verbale_link(self, obj: Delegation) -> str:
        return portal_admin.note_verbale_link(obj)

    @admin.action(
        description=_("Invite focal point(s) by email"), permissions=["change"]
    )
    def invite_focal_points(self, request, queryset):
        return portal_admin.invite_focal_points(self, request, queryset)

    def get_queryset(self, request):
        return selectors.delegations_with_summary(
            queryset=super().get_queryset(request)
        )

    @display(description=_("focal point email"), ordering="focal_point__email")
    def focal_point_email(self, obj: Delegation) -> str | None:
        return obj.focal_point.email if obj.focal_point else None

    @display(description=_("members"), ordering="member_count")
    def member_count(self, obj: Delegation) -> int:
        return obj.member_count

    @display(description=_("Head of Delegation"))
    def head_of_delegation(self, obj: Delegation) -> str | None:
        head = selectors.head_of_delegation(obj)
        return head.full_name if head else None


# Shown in the identity section of the admin, after the profile's fields.
IDENTITY_EXTRA = ("email", "photo_preview")

# Passport data and the date of birth are for accreditation officers only:
# without the permission the fields are neither shown nor part of any form,
# history diff or revert, and no filter in the query string may touch them
# (hanoi_event.admin_safety).
restrict_fields(Participant, RESTRICTED_FIELDS, permission=permissions.VIEW_PASSPORT)
# The hash of an invitation's link: nobody filters by it.
unfilterable_fields(Invitation, ["token_hash"])


@admin.register(Participant)
class ParticipantAdmin(
    TransferAdminMixin,
    BulkEmailAdminMixin,
    portal_admin.NoStaffOwnerAdminMixin,
    SafeSimpleHistoryAdmin,
):
    import_kind = "participants"
    no_staff_fields = {"user": _("A staff account cannot own a participant's record.")}
    list_display = [
        "full_name",
        "delegation",
        "role",
        "protocol_rank",
        "status",
        "email",
        "has_photo",
    ]
    list_select_related = ["delegation__organisation"]
    actions = [email_participants]
    list_filter = [
        ("event", RelatedDropdownFilter),
        ("status", ChoicesDropdownFilter),
        ("role", ChoicesDropdownFilter),
        ("protocol_rank", ChoicesDropdownFilter),
        (
            "delegation__organisation__kind",
            titled_filter(ChoicesDropdownFilter, _("organisation kind")),
        ),
    ]
    list_filter_submit = True
    # The passport number is deliberately not searchable (privacy).
    search_fields = ["given_names", "family_name", "email"]
    autocomplete_fields = ["delegation", "nationality", "user"]
    # Photos come in only through the portal, which checks and re-encodes them.
    # The status and the decision are the review's (accreditation's
    # services, which record who decided and send the mail): shown here,
    # never edited.
    readonly_fields = [
        "photo_preview",
        "missing",
        *DECISION_FIELDS,
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            _("Delegation and role"),
            {"fields": ["event", "delegation", *DELEGATION_ROLE_FIELDS, "user"]},
        ),
        *(
            (
                title,
                {
                    "fields": [*names, *IDENTITY_EXTRA]
                    if names == IDENTITY_FIELDS
                    else list(names)
                },
            )
            for title, names in PROFILE_SECTIONS
        ),
        (
            _("Status"),
            {
                "fields": [
                    "missing",
                    *DECISION_FIELDS,
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return selectors.participants_with_delegation(
            queryset=super().get_queryset(request)
        )

    @display(description=_("name"), ordering="family_name")
    def full_name(self, obj: Participant) -> str:
        return obj.full_name

    @display(description=_("photo"), boolean=True)
    def has_photo(self, obj: Participant) -> bool:
        return bool(obj.photo)

    @display(description=_("still missing"))
    def missing(self, obj: Participant) -> str:
        # The one rule for "missing" (delegations.fields), as in the portal
        # and the reminders.
        if not obj.pk:
            return "-"
        return ", ".join(missing_labels(obj)) or _("Nothing")

    @display(description=_("photo"))
    def photo_preview(self, obj: Participant) -> str:
        if not obj.pk or not obj.photo:
            return _("No photo")
        url = reverse("portal:participant_photo", args=[obj.pk])
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" style="max-height:160px"></a>',
            url,
            url,
            _("Photo of %(name)s") % {"name": obj.full_name},
        )


# Registration portal: invitations and organisation requests (actions live in
# delegations/portal_admin.py and call delegations.services).


@admin.register(Invitation)
class InvitationAdmin(SafeModelAdmin):
    list_display = [
        "delegation",
        "email",
        "status_label",
        "expires_at",
        "created_at",
        "accepted_at",
    ]
    list_select_related = ["delegation__organisation", "delegation__event"]
    list_filter = [
        ("status", ChoicesDropdownFilter),
        ("delegation__event", RelatedDropdownFilter),
    ]
    search_fields = ["email", "delegation__organisation__name"]
    readonly_fields = [
        "delegation",
        "email",
        "status_label",
        "expires_at",
        "invited_by",
        "accepted_by",
        "accepted_at",
        "revoked_at",
        "created_at",
    ]
    fields = readonly_fields
    actions = ["resend", "revoke"]

    def has_add_permission(self, request):
        return False

    @display(
        description=_("status"),
        label={
            InvitationStatus.PENDING.label: "info",
            InvitationStatus.ACCEPTED.label: "success",
            InvitationStatus.REVOKED.label: "danger",
            InvitationStatus.EXPIRED.label: "warning",
        },
    )
    def status_label(self, obj: Invitation) -> str:
        return obj.get_effective_status_display()

    @admin.action(
        description=_("Resend (new link; the old one stops working)"),
        permissions=["change"],
    )
    def resend(self, request, queryset):
        return portal_admin.resend_invitations(self, request, queryset)

    @admin.action(description=_("Revoke"), permissions=["change"])
    def revoke(self, request, queryset):
        return portal_admin.revoke_invitations(self, request, queryset)


@admin.register(RegistrationCode)
class RegistrationCodeAdmin(SafeModelAdmin):
    list_display = ["code", "label", "event", "is_active", "max_uses", "expires_at"]
    list_filter = [("event", RelatedDropdownFilter), "is_active"]
    search_fields = ["code", "label"]


@admin.register(OrganisationRequest)
class OrganisationRequestAdmin(SafeModelAdmin):
    list_display = [
        "name",
        "kind",
        "status",
        "requested_by",
        "registration_code",
        "created_at",
    ]
    list_select_related = ["requested_by", "registration_code"]
    list_filter = [("status", ChoicesDropdownFilter), ("kind", ChoicesDropdownFilter)]
    search_fields = ["name", "requested_by__email"]
    readonly_fields = [
        "event",
        "registration_code",
        "requested_by",
        "name",
        "kind",
        "acronym",
        "website",
        "status",
        "organisation",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    fields = [*readonly_fields, "rejection_reason"]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    @admin.action(
        description=_("Approve (creates the organisation and its delegation)"),
        permissions=["change"],
    )
    def approve(self, request, queryset):
        return portal_admin.approve_organisation_requests(self, request, queryset)

    @admin.action(description=_("Reject"), permissions=["change"])
    def reject(self, request, queryset):
        return portal_admin.reject_organisation_requests(self, request, queryset)
