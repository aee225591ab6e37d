"""Registration portal views: they check access (per object: anything out
of the user's scope is a 404), validate a form, call one service, then
redirect or render."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hanoi_event.middleware import staff_session_passed_two_factor
from hanoi_event.selectors import current_event

from . import permissions, selectors, services
from .adapters import PENDING_INVITATION_SESSION_KEY, pending_invitation
from .enums import ParticipantStatus
from .fields import missing_items
from .forms import (
    NominationForm,
    NoteVerbaleForm,
    OrganisationRequestForm,
    ParticipantForm,
)
from .models import Delegation, OrganisationRequest, Participant
from .portal_links import delegation_links
from .services.organisations import INVALID_REGISTRATION_CODE


def _staff_verified(request) -> bool:
    return request.user.is_staff and staff_session_passed_two_factor(request)


def _submit_and_report(request, submit, *, success: str) -> None:
    """Run ``submit`` (a service call); say what is missing as error
    messages if it refuses, else ``success``."""
    try:
        submit()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _own_delegation(request, pk: int) -> Delegation:
    return get_object_or_404(selectors.portal_delegations_for_user(request.user), pk=pk)


def _visible_participant(request, pk: int) -> Participant:
    return get_object_or_404(
        selectors.portal_participants_for_user(request.user), pk=pk
    )


@login_required
def home(request):
    invitation = pending_invitation(request)
    if invitation:
        if services.user_has_verified_email(request.user, invitation["email"]):
            return redirect("portal:invitation", invitation["token"])
        # Signed in with another address: the invitation page says so once;
        # the portal must not keep sending them back there.
        request.session.pop(PENDING_INVITATION_SESSION_KEY, None)
    delegations = list(selectors.portal_delegations_for_user(request.user))
    participations = list(selectors.portal_own_participations(request.user))
    org_requests = OrganisationRequest.objects.filter(
        requested_by=request.user
    ).order_by("-created_at")
    return render(
        request,
        "portal/home.html",
        {
            "delegations": delegations,
            "participations": participations,
            "org_requests": org_requests,
        },
    )


# Invitations ---------------------------------------------------------------


INVITATION_PROBLEMS = {
    "invalid": gettext_lazy("This invitation link is not valid."),
    "expired": gettext_lazy("This invitation link has expired."),
    "revoked": gettext_lazy("This invitation link was withdrawn by the secretariat."),
    "accepted": gettext_lazy("This invitation link has already been used."),
}


@never_cache
def invitation(request, token: str):
    """GET: what the invitation is (or why it cannot be used). POST: accept
    it: signed in with the invited address, accept; anonymous, go through
    sign-up (new address) or login, then come back here."""
    try:
        invitation = services.invitation_check(token=token)
    except services.InvitationError as exc:
        request.session.pop(PENDING_INVITATION_SESSION_KEY, None)
        event = exc.invitation.delegation.event if exc.invitation else current_event()
        return render(
            request,
            "portal/invitation_problem.html",
            {
                "reason": exc.reason,
                "message": INVITATION_PROBLEMS[exc.reason],
                "invitation": exc.invitation,
                "contact_email": event.contact_email if event else "",
            },
            status=410 if exc.reason != "invalid" else 404,
        )
    user = request.user
    signed_in_as_invited = user.is_authenticated and services.user_has_verified_email(
        user, invitation.email
    )
    if request.method == "POST":
        if signed_in_as_invited:
            try:
                services.invitation_accept(token=token, user=user)
            except services.InvitationError:
                return redirect("portal:invitation", token)
            request.session.pop(PENDING_INVITATION_SESSION_KEY, None)
            messages.success(
                request,
                _("You are now the focal point of %(delegation)s.")
                % {"delegation": invitation.delegation},
            )
            return redirect("portal:delegation", invitation.delegation_id)
        if user.is_authenticated:
            return redirect("portal:invitation", token)
        request.session[PENDING_INVITATION_SESSION_KEY] = {
            "token": token,
            "email": invitation.email,
        }
        exists = (
            get_user_model().objects.filter(email__iexact=invitation.email).exists()
        )
        target = "account_login" if exists else "account_signup"
        return HttpResponseRedirect(
            reverse(target) + "?" + urlencode({"email": invitation.email})
        )
    return render(
        request,
        "portal/invitation.html",
        {
            "invitation": invitation,
            "signed_in_as_invited": signed_in_as_invited,
            "contact_email": invitation.delegation.event.contact_email,
        },
    )


# Focal point: the delegation page ---------------------------------------------


@login_required
def delegation(request, pk: int):
    delegation = _own_delegation(request, pk)
    return _render_delegation(request, delegation)


def _render_delegation(
    request, delegation, *, nomination_form=None, note_form=None, status=200
):
    members = list(selectors.portal_delegation_members(delegation))
    rows = [(member, services.participant_missing(member)) for member in members]
    quotas = selectors.quota_use(delegation)
    return render(
        request,
        "portal/delegation.html",
        {
            "delegation": delegation,
            "rows": rows,
            "quotas": quotas,
            "to_submit": sum(
                member.status
                in (ParticipantStatus.NOMINATED, ParticipantStatus.REJECTED)
                for member in members
            ),
            "nomination_form": nomination_form or NominationForm(quotas=quotas),
            "links": delegation_links(delegation),
            "note_form": note_form or NoteVerbaleForm(),
            "ParticipantStatus": ParticipantStatus,
        },
        status=status,
    )


@login_required
@require_POST
def delegation_nominate(request, pk: int):
    delegation = _own_delegation(request, pk)
    form = NominationForm(request.POST, quotas=selectors.quota_use(delegation))
    if form.is_valid():
        try:
            participant = services.participant_nominate(
                delegation=delegation, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if request.POST.get("then") == "send_link":
                services.participant_send_link(participant=participant)
                messages.success(
                    request,
                    _(
                        "%(name)s was nominated and sent a link to complete the registration."
                    )
                    % {"name": participant.full_name},
                )
                return redirect("portal:delegation", delegation.pk)
            messages.success(
                request, _("%(name)s was nominated.") % {"name": participant.full_name}
            )
            return redirect("portal:participant_edit", participant.pk)
    return _render_delegation(request, delegation, nomination_form=form, status=400)


@login_required
@require_POST
def delegation_note_verbale_upload(request, pk: int):
    delegation = _own_delegation(request, pk)
    form = NoteVerbaleForm(request.POST, request.FILES)
    if form.is_valid():
        services.delegation_upload_note_verbale(
            delegation=delegation, document=form.cleaned_data["document"]
        )
        messages.success(request, _("The note verbale was uploaded."))
        return redirect("portal:delegation", delegation.pk)
    return _render_delegation(request, delegation, note_form=form, status=400)


@login_required
def delegation_note_verbale(request, pk: int):
    delegation = get_object_or_404(
        Delegation.objects.select_related("organisation"), pk=pk
    )
    if not permissions.can_view_note_verbale(
        request.user, delegation, staff_verified=_staff_verified(request)
    ):
        raise Http404
    if not delegation.note_verbale:
        raise Http404
    response = FileResponse(
        delegation.note_verbale.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"note-verbale-{delegation.pk}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def delegation_submit(request, pk: int):
    delegation = _own_delegation(request, pk)
    _submit_and_report(
        request,
        lambda: services.delegation_submit(delegation=delegation),
        success=_("The delegation was submitted for accreditation."),
    )
    return redirect("portal:delegation", delegation.pk)


# Participant records (the delegate, or their focal point) ----------------------


@login_required
def registration(request):
    """The delegate's own record: its progress page. (Records nominated with
    the user's address were linked to the account when they signed in or
    confirmed the address: a GET writes nothing.)"""
    participations = list(selectors.portal_own_participations(request.user))
    if len(participations) == 1:
        return redirect("portal:participant", participations[0].pk)
    return render(
        request, "portal/registration_none.html", {"participations": participations}
    )


@never_cache
@login_required
def participant(request, pk: int):
    participant = _visible_participant(request, pk)
    return render(
        request,
        "portal/participant.html",
        {
            "participant": participant,
            "missing": missing_items(participant),
            "is_focal_point": permissions.is_focal_point(
                request.user, participant.delegation
            ),
            "can_view_passport": permissions.can_view_passport(
                request.user, participant
            ),
            "ParticipantStatus": ParticipantStatus,
        },
    )


@never_cache
@login_required
def participant_edit(request, pk: int):
    participant = _visible_participant(request, pk)
    if participant.status == ParticipantStatus.WITHDRAWN:
        messages.error(request, _("This registration was withdrawn."))
        return redirect("portal:participant", participant.pk)
    include_rank = permissions.is_focal_point(request.user, participant.delegation)
    if request.method == "POST":
        form = ParticipantForm(
            request.POST, request.FILES, instance=participant, include_rank=include_rank
        )
        if form.is_valid():
            try:
                services.participant_update(
                    participant=participant,
                    data=form.service_data(),
                    photo=form.cleaned_data.get("photo"),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("portal:participant", participant.pk)
        status = 400
    else:
        form = ParticipantForm(instance=participant, include_rank=include_rank)
        status = 200
    # Fresh copy for the page (the form changed the instance in validation).
    participant.refresh_from_db()
    return render(
        request,
        "portal/participant_form.html",
        {"participant": participant, "form": form},
        status=status,
    )


@login_required
@require_POST
def participant_submit(request, pk: int):
    participant = _visible_participant(request, pk)
    _submit_and_report(
        request,
        lambda: services.participant_submit(participant=participant),
        success=_("Submitted for accreditation."),
    )
    return redirect("portal:participant", participant.pk)


@login_required
def participant_withdraw(request, pk: int):
    participant = _visible_participant(request, pk)
    if request.method == "POST":
        services.participant_withdraw(participant=participant)
        messages.success(request, _("The registration was withdrawn."))
        return redirect("portal:participant", participant.pk)
    return render(
        request, "portal/participant_withdraw.html", {"participant": participant}
    )


@login_required
@require_POST
def participant_send_link(request, pk: int):
    participant = _visible_participant(request, pk)
    if not permissions.is_focal_point(request.user, participant.delegation):
        raise Http404
    if participant.status == ParticipantStatus.WITHDRAWN:
        messages.error(request, _("This registration was withdrawn."))
        return redirect("portal:delegation", participant.delegation_id)
    services.participant_send_link(participant=participant)
    messages.success(
        request,
        _("A link was sent to %(email)s.") % {"email": participant.email},
    )
    return redirect("portal:delegation", participant.delegation_id)


@login_required
def participant_photo(request, pk: int):
    participant = get_object_or_404(
        Participant.objects.select_related("delegation"), pk=pk
    )
    if (
        not permissions.can_view_photo(
            request.user, participant, staff_verified=_staff_verified(request)
        )
        or not participant.photo
    ):
        raise Http404
    response = FileResponse(participant.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Organisations that are not States ---------------------------------------------


# Wrong registration codes, counted per account and per client address (as
# allauth counts failed logins, in the cache: with several web processes set
# CACHE_URL to a shared Redis). Past a limit the form checks no code at all.
REGISTRATION_CODE_FAILURES_PER_USER = 5
REGISTRATION_CODE_FAILURES_PER_IP = 20
REGISTRATION_CODE_FAILURE_WINDOW = 15 * 60  # seconds


def _code_failure_counters(request) -> list[tuple[str, int]]:
    ip = get_adapter(request).get_client_ip(request)
    ip_key = hashlib.sha256(ip.encode()).hexdigest()
    return [
        (
            f"portal:code-failures:user:{request.user.pk}",
            REGISTRATION_CODE_FAILURES_PER_USER,
        ),
        (f"portal:code-failures:ip:{ip_key}", REGISTRATION_CODE_FAILURES_PER_IP),
    ]


def _code_attempts_exhausted(request) -> bool:
    return any(
        (cache.get(key) or 0) >= limit for key, limit in _code_failure_counters(request)
    )


def _count_code_failure(request) -> None:
    for key, _limit in _code_failure_counters(request):
        # The window starts at the first failure (add is a no-op after it).
        cache.add(key, 0, REGISTRATION_CODE_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, REGISTRATION_CODE_FAILURE_WINDOW)


def _is_wrong_code(error: ValidationError) -> bool:
    return any(
        e.code == INVALID_REGISTRATION_CODE
        for e in getattr(error, "error_dict", {}).get("code", [])
    )


@login_required
def organisation_request(request):
    event = current_event()
    if event is None:
        raise Http404
    if request.method == "POST":
        form = OrganisationRequestForm(request.POST)
        if _code_attempts_exhausted(request):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Too many wrong registration codes. Try again in %(minutes)d "
                    "minutes, or write to the secretariat."
                )
                % {"minutes": REGISTRATION_CODE_FAILURE_WINDOW // 60},
            )
            return render(
                request,
                "portal/organisation_request.html",
                {"form": form},
                status=429,
            )
        if form.is_valid():
            try:
                services.organisation_request_create(
                    user=request.user, event=event, **form.cleaned_data
                )
            except ValidationError as exc:
                if _is_wrong_code(exc):
                    _count_code_failure(request)
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. The secretariat will review your request and write to you."
                    ),
                )
                return redirect("portal:home")
        status = 400
    else:
        form = OrganisationRequestForm()
        status = 200
    return render(
        request, "portal/organisation_request.html", {"form": form}, status=status
    )
