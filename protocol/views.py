"""Protocol pages: the public signatories (HTML and JSON), the focal
point's requests to sign and to speak (portal), the run sheet (HTML and
PDF), and the speaking list's chair controls, hall screen, printable and
public versions. Views check access, validate, call one service, redirect
or render; a GET never writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from delegations.selectors import portal_delegations_for_user
from hanoi_event.models import Event
from hanoi_event.selectors import current_event

from . import selectors, services
from .enums import SigningStatus, SpeakerStatus
from .forms import (
    FullPowersUploadForm,
    SigningRequestForm,
    SpeakerMoveForm,
    SpeakingRequestForm,
    add_errors,
)
from .models import SigningRequest, SpeakingList, SpeakingRequest
from .roles import (
    CHAIR_SPEAKING_LIST,
    VIEW_SIGNING,
    VIEW_SPEAKING_LIST,
    staff_required,
)

# Public: the signatories ----------------------------------------------------


def _signatory_rows(event) -> list[dict]:
    tz = event.tzinfo
    return [
        {
            "state": r.delegation.organisation.name,
            "iso3": r.delegation.organisation.iso3,
            "signed_on": r.signed_at.astimezone(tz).date().isoformat(),
            "signed_at": r.signed_at.isoformat(),
            "signatory_title": r.signatory_title,
        }
        for r in selectors.signatories(event)
    ]


def signatories(request):
    event = current_event()
    rows = _signatory_rows(event) if event else []
    return render(
        request,
        "protocol/signatories.html",
        {"event": event, "rows": rows, "count": len(rows)},
    )


def signatories_json(request):
    event = current_event()
    rows = _signatory_rows(event) if event else []
    response = JsonResponse(
        {"count": len(rows), "signatories": rows},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Portal: the focal point's requests ----------------------------------------


def _own_delegation(request, pk: int):
    return get_object_or_404(portal_delegations_for_user(request.user), pk=pk)


def _open_signing_request(delegation) -> SigningRequest | None:
    return (
        SigningRequest.objects.filter(delegation=delegation)
        .exclude(status=SigningStatus.WITHDRAWN)
        .first()
    )


@never_cache
@login_required
def portal_signing(request, pk: int):
    delegation = _own_delegation(request, pk)
    signing = _open_signing_request(delegation)
    form = SigningRequestForm(
        request.POST if request.method == "POST" and signing is None else None,
        delegation=delegation,
    )
    if request.method == "POST" and signing is None and form.is_valid():
        try:
            services.signing_request_create(
                delegation=delegation, requested_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your request to sign is recorded."))
            return redirect("protocol:portal_signing", delegation.pk)
    ceremony = services.signing_ceremony_for(delegation.event)
    slot_time = (
        ceremony.slot_starts_at(signing.slot)
        if ceremony and signing and signing.slot
        else None
    )
    return render(
        request,
        "protocol/portal_signing.html",
        {
            "delegation": delegation,
            "signing": signing,
            "form": form,
            "upload_form": FullPowersUploadForm(),
            "slot_time": slot_time,
            "ceremony": ceremony,
        },
    )


@login_required
@require_POST
def portal_full_powers_upload(request, pk: int):
    delegation = _own_delegation(request, pk)
    signing = _open_signing_request(delegation)
    if signing is None:
        raise Http404
    form = FullPowersUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.full_powers_upload(
                request=signing, upload=form.cleaned_data["full_powers"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The full powers are uploaded for the protocol's review.")
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("protocol:portal_signing", delegation.pk)


@login_required
@require_POST
def portal_signing_withdraw(request, pk: int):
    delegation = _own_delegation(request, pk)
    signing = _open_signing_request(delegation)
    if signing is None:
        raise Http404
    try:
        services.signing_request_withdraw(request=signing)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The request to sign is withdrawn."))
    return redirect("protocol:portal_signing", delegation.pk)


@login_required
def portal_full_powers(request, pk: int):
    delegation = _own_delegation(request, pk)
    signing = _open_signing_request(delegation)
    if signing is None or not signing.full_powers:
        raise Http404
    return FileResponse(signing.full_powers.open("rb"), content_type="application/pdf")


@never_cache
@login_required
def portal_speaking(request, pk: int):
    delegation = _own_delegation(request, pk)
    lists = list(
        SpeakingList.objects.filter(event_id=delegation.event_id).order_by("day")
    )
    form = SpeakingRequestForm(
        request.POST if request.method == "POST" else None, delegation=delegation
    )
    if request.method == "POST":
        chosen = next(
            (sl for sl in lists if str(sl.pk) == request.POST.get("speaking_list")),
            None,
        )
        if chosen is None:
            form.add_error(None, _("Choose a speaking list."))
        elif form.is_valid():
            try:
                services.speaking_request_create(
                    speaking_list=chosen,
                    delegation=delegation,
                    requested_by=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your request to speak is recorded."))
                return redirect("protocol:portal_speaking", delegation.pk)
    own = (
        SpeakingRequest.objects.filter(delegation=delegation)
        .select_related("speaker", "speaking_list")
        .order_by("speaking_list__day", "requested_at")
    )
    return render(
        request,
        "protocol/portal_speaking.html",
        {"delegation": delegation, "lists": lists, "form": form, "own": own},
    )


# Staff: the run sheet -------------------------------------------------------


def _run_sheet_rows(event):
    ceremony = services.signing_ceremony_for(event)
    if ceremony is None:
        raise Http404
    tz = event.tzinfo
    return ceremony, [
        {
            "slot": r.slot,
            "time": ceremony.slot_starts_at(r.slot).astimezone(tz),
            "state": r.delegation.organisation.name,
            "signatory": r.signatory_name,
            "title": r.signatory_title,
            "full_powers": r.get_full_powers_status_display(),
            "signed": r.status == SigningStatus.SIGNED,
            "request": r,
        }
        for r in selectors.run_sheet(event)
    ]


@staff_required(VIEW_SIGNING)
def run_sheet(request, event_id: int):
    event = get_object_or_404(Event, pk=event_id)
    ceremony, rows = _run_sheet_rows(event)
    return render(
        request,
        "protocol/run_sheet.html",
        {"event": event, "ceremony": ceremony, "rows": rows},
    )


@staff_required(VIEW_SIGNING)
def run_sheet_pdf(request, event_id: int):
    from .pdf_run_sheet import run_sheet_pdf as build

    event = get_object_or_404(Event, pk=event_id)
    ceremony, rows = _run_sheet_rows(event)
    data = build(event=event, ceremony=ceremony, rows=rows)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="run-sheet-{event.slug}.pdf"'
    return response


# The speaking list ----------------------------------------------------------


def _state_json(speaking_list: SpeakingList, *, names: bool) -> dict:
    state = selectors.list_state(speaking_list)

    def speaker(r: SpeakingRequest | None):
        if r is None:
            return None
        show_name = names or r.speaker.consent_list_of_participants
        return {
            "delegation": r.delegation.organisation.name,
            "name": (
                f"{r.speaker.get_honorific_display()} {r.speaker.full_name}".strip()
                if show_name
                else ""
            ),
            "title": r.speaker.function_title,
            "kind": r.get_kind_display(),
            "time_limit": r.effective_time_limit,
        }

    sl = state.speaking_list
    return {
        "title": sl.title,
        "current": speaker(state.current),
        "next": [speaker(r) for r in state.waiting[:3]],
        "waiting_count": len(state.waiting),
        "countdown": {
            "duration": sl.countdown_duration,
            "remaining": round(sl.countdown_remaining(state.now), 1),
            "running": sl.countdown_started_at is not None,
        },
        "total_spoken_seconds": round(state.total_spoken_seconds),
        "spoken_count": len(state.done),
    }


def speaking_screen(request, pk: int):
    speaking_list = get_object_or_404(SpeakingList, pk=pk)
    return render(
        request,
        "protocol/speaking_screen.html",
        {"speaking_list": speaking_list},
    )


@never_cache
def speaking_state(request, pk: int):
    speaking_list = get_object_or_404(SpeakingList, pk=pk)
    return JsonResponse(
        _state_json(speaking_list, names=False),
        json_dumps_params={"ensure_ascii": False},
    )


def speaking_public(request, pk: int):
    speaking_list = get_object_or_404(SpeakingList, pk=pk)
    return render(
        request,
        "protocol/speaking_list.html",
        {
            "state": selectors.list_state(speaking_list),
            "public": True,
        },
    )


@staff_required(VIEW_SPEAKING_LIST)
def speaking_print(request, pk: int):
    speaking_list = get_object_or_404(SpeakingList, pk=pk)
    return render(
        request,
        "protocol/speaking_list.html",
        {"state": selectors.list_state(speaking_list), "public": False},
    )


@never_cache
@staff_required(CHAIR_SPEAKING_LIST)
def speaking_chair(request, pk: int):
    speaking_list = get_object_or_404(SpeakingList, pk=pk)
    return render(
        request,
        "protocol/speaking_chair.html",
        {
            "state": selectors.list_state(speaking_list),
            "move_form": SpeakerMoveForm(),
            "now": timezone.now(),
        },
    )


_CHAIR_ACTIONS = {
    "next": services.speaker_next,
    "end": services.speaker_end,
    "start": services.countdown_start,
    "pause": services.countdown_pause,
    "reset": services.countdown_reset,
}


@require_POST
@staff_required(CHAIR_SPEAKING_LIST)
def speaking_chair_action(request, pk: int, action: str):
    speaking_list = get_object_or_404(SpeakingList, pk=pk)
    call = _CHAIR_ACTIONS.get(action)
    if call is None:
        raise Http404
    call(speaking_list=speaking_list)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(_state_json(speaking_list, names=True))
    return redirect("protocol:speaking_chair", speaking_list.pk)


@require_POST
@staff_required(CHAIR_SPEAKING_LIST)
def speaking_chair_move(request, pk: int, request_pk: int):
    speaking_list = get_object_or_404(SpeakingList, pk=pk)
    speaking_request = get_object_or_404(
        SpeakingRequest,
        pk=request_pk,
        speaking_list=speaking_list,
        status=SpeakerStatus.WAITING,
    )
    form = SpeakerMoveForm(request.POST)
    if form.is_valid():
        try:
            services.speaker_move(
                request=speaking_request,
                position=form.cleaned_data["position"],
                reason=form.cleaned_data["reason"],
                moved_by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The speaker is moved; the reason is recorded.")
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("protocol:speaking_chair", speaking_list.pk)
