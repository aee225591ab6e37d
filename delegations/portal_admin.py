"""Admin actions of the registration portal (invitations, organisation
requests), and the rule that no staff account owns a portal record. Kept out
of admin.py so that file stays about the admin classes; each action calls
delegations.services."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import services
from .enums import InvitationStatus
from .forms import InviteFocalPointForm
from .models import Delegation

InviteFormSet = forms.formset_factory(InviteFocalPointForm, extra=0)


class NoStaffOwnerAdminMixin:
    """For a SafeModelAdmin whose foreign keys to accounts make someone a
    record's owner in the portal (``no_staff_fields = {"user": message}``):
    a staff account is refused there with ``message``, and the autocomplete
    offers none. Staff read records in the admin, with the permissions of
    their role; as a record's owner a staff account without the passport
    permission would read the passport in the portal."""

    no_staff_fields: dict[str, str] = {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        message = self.no_staff_fields.get(db_field.name)
        if field is not None and message:
            field.validators.append(_not_staff(message))
        return field

    def limit_choices_for(self, request, field_name, queryset):
        queryset = super().limit_choices_for(request, field_name, queryset)
        if field_name in self.no_staff_fields:
            queryset = queryset.filter(is_staff=False)
        return queryset


def _not_staff(message: str):
    def validate(user) -> None:
        if user is not None and user.is_staff:
            raise ValidationError(message, code="staff_account")

    return validate


def note_verbale_link(delegation: Delegation) -> str:
    if not delegation.pk or not delegation.note_verbale:
        return "—"
    return format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse("portal:delegation_note_verbale", args=[delegation.pk]),
        _("Open the PDF"),
    )


def invite_focal_points(modeladmin, request, queryset):
    """Step 1: a page with one email per selected delegation (pre-filled
    from its last invitation or focal point). Step 2 (``apply``): invite."""
    delegations = list(queryset.select_related("organisation", "focal_point"))
    by_id = {d.pk: d for d in delegations}
    if "apply" in request.POST:
        formset = InviteFormSet(request.POST, prefix="invite")
        if formset.is_valid():
            sent = 0
            for form in formset:
                delegation = by_id.get(form.cleaned_data["delegation_id"])
                if delegation is None:
                    continue
                _invitation, token = services.invitation_send(
                    delegation=delegation,
                    email=form.cleaned_data["email"],
                    invited_by=request.user,
                    language=form.cleaned_data.get("language") or "en",
                )
                # No token: the same invitation was just sent (a double post).
                sent += token is not None
            modeladmin.message_user(
                request,
                ngettext(
                    "%(count)d invitation sent.",
                    "%(count)d invitations sent.",
                    sent,
                )
                % {"count": sent},
                messages.SUCCESS,
            )
            return None
    else:
        initial = []
        for delegation in delegations:
            last = delegation.invitations.order_by("-created_at").first()
            email = (
                last.email
                if last
                else (delegation.focal_point.email if delegation.focal_point else "")
            )
            initial.append({"delegation_id": delegation.pk, "email": email})
        formset = InviteFormSet(initial=initial, prefix="invite")
    rows = [
        (
            form,
            by_id.get(form.initial.get("delegation_id") or _int(form, "delegation_id")),
        )
        for form in formset
    ]
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Invite focal points"),
        "formset": formset,
        "rows": rows,
        "queryset": queryset,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return TemplateResponse(request, "portal/admin_invite.html", context)


def _int(form, name):
    try:
        return int(form[name].value())
    except (TypeError, ValueError):
        return None


def resend_invitations(modeladmin, request, queryset):
    sent = 0
    for invitation in queryset.select_related("delegation"):
        if invitation.status == InvitationStatus.ACCEPTED:
            continue
        services.invitation_resend(invitation=invitation, invited_by=request.user)
        sent += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d invitation resent.", "%(count)d invitations resent.", sent)
        % {"count": sent},
        messages.SUCCESS,
    )


def revoke_invitations(modeladmin, request, queryset):
    revoked = 0
    for invitation in queryset:
        if invitation.status == InvitationStatus.PENDING:
            services.invitation_revoke(invitation=invitation)
            revoked += 1
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d invitation revoked.", "%(count)d invitations revoked.", revoked
        )
        % {"count": revoked},
        messages.SUCCESS,
    )


def approve_organisation_requests(modeladmin, request, queryset):
    done = 0
    for request_obj in queryset:
        try:
            services.organisation_request_approve(
                request_obj=request_obj, decided_by=request.user
            )
        except ValidationError as exc:
            modeladmin.message_user(
                request, f"{request_obj}: {'; '.join(exc.messages)}", messages.ERROR
            )
        else:
            done += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d request approved.", "%(count)d requests approved.", done)
        % {"count": done},
        messages.SUCCESS,
    )


def reject_organisation_requests(modeladmin, request, queryset):
    done = 0
    for request_obj in queryset:
        services.organisation_request_reject(
            request_obj=request_obj, decided_by=request.user
        )
        done += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d request rejected.", "%(count)d requests rejected.", done)
        % {"count": done},
        messages.SUCCESS,
    )
