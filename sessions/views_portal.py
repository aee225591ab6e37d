"""The portal's programme pages: a delegate's agenda, seats (register,
cancel), the calendar feed; a focal point's side-event applications.
Access is checked per object on the server: another person's record or
another delegation's application is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegations.selectors import portal_delegations_for_user
from hanoi_event.links import absolute_reverse
from hanoi_event.middleware import staff_session_passed_two_factor
from hanoi_event.selectors import current_event

from . import selectors, services
from .enums import ApplicationStatus, RegistrationStatus
from .forms import ApplicationForm, SpeakerFormSet
from .models import ProgrammeItem, SideEventApplication, SideEventSpeaker
from .permissions import can_view_speaker_passport
from .services.side_events import SPEAKER_FIELDS


def _participant_or_none(request):
    event = current_event()
    if event is None:
        return None
    return selectors.participant_for_user(request.user, event)


def _back(request, item: ProgrammeItem):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("programme:item", item.pk)


@login_required
def agenda(request):
    participant = _participant_or_none(request)
    if participant is None:
        return render(request, "sessions/agenda_none.html", status=200)
    agenda = getattr(participant, "agenda", None)
    feed_url = None
    if agenda is not None and agenda.feed_enabled:
        feed_url = absolute_reverse(
            "programme:agenda_ics", services.agenda_feed_token(agenda)
        )
    return render(
        request,
        "sessions/agenda.html",
        {
            "participant": participant,
            "registrations": selectors.agenda_registrations(participant),
            "feed_url": feed_url,
            "statuses": RegistrationStatus,
        },
    )


@login_required
@require_POST
def register(request, pk: int):
    participant = _participant_or_none(request)
    item = get_object_or_404(ProgrammeItem, pk=pk)
    if participant is None:
        messages.error(request, _("Only registered participants can take seats."))
        return _back(request, item)
    try:
        registration = services.seat_register(participant=participant, item=item)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(request, _("Your seat is confirmed."))
        else:
            messages.info(
                request,
                _(
                    "The session is full: you are number %(position)s on the "
                    "waiting list. If a seat frees, it is yours and we tell you "
                    "by email."
                )
                % {"position": services.waiting_position(registration)},
            )
    return _back(request, item)


@login_required
@require_POST
def cancel(request, pk: int):
    participant = _participant_or_none(request)
    item = get_object_or_404(ProgrammeItem, pk=pk)
    if participant is not None:
        services.seat_cancel(participant=participant, item=item)
        messages.success(request, _("Your registration is cancelled."))
    return _back(request, item)


@login_required
@require_POST
def feed(request):
    participant = _participant_or_none(request)
    if participant is not None:
        if request.POST.get("action") == "revoke":
            services.agenda_feed_revoke(participant=participant)
            messages.success(
                request,
                _("The calendar link is turned off; the old link no longer works."),
            )
        else:
            services.agenda_feed_enable(participant=participant)
            messages.success(request, _("Your calendar link is ready."))
    return redirect("agenda:agenda")


# Side-event applications ------------------------------------------------------


@login_required
def side_events(request):
    delegations = list(portal_delegations_for_user(request.user))
    applications = list(
        SideEventApplication.objects.filter(delegation__in=delegations)
        .annotate(
            passport_missing=Count("speakers", filter=Q(speakers__passport_copy=""))
        )
        .select_related("delegation__organisation", "programme_item__room", "event")
        .order_by("delegation_id", "created_at")
    )
    now = timezone.now()
    return render(
        request,
        "sessions/side_events.html",
        {
            "delegations": [
                {
                    "delegation": d,
                    "applications": [
                        a for a in applications if a.delegation_id == d.pk
                    ],
                    "closed": services.application_deadline_error(d.event, now),
                }
                for d in delegations
            ],
            "pending": ApplicationStatus.PENDING,
        },
    )


def _speaker_initial(application):
    return [
        {
            **{name: getattr(s, name) for name in SPEAKER_FIELDS},
            "passport_url": reverse("agenda:speaker_passport", args=[s.pk])
            if s.passport_copy
            else "",
        }
        for s in application.speakers.all()
    ]


@login_required
def speaker_passport(request, pk: int):
    """A speaker's passport copy: for the applicant delegation's focal point
    and accreditation officers (``delegations.view_passport``, in a session
    that passed two-factor); anyone else gets a 404."""
    speaker = get_object_or_404(
        SideEventSpeaker.objects.select_related("application__delegation"), pk=pk
    )
    if not speaker.passport_copy or not can_view_speaker_passport(
        request.user,
        speaker,
        staff_verified=request.user.is_staff
        and staff_session_passed_two_factor(request),
    ):
        raise Http404
    is_pdf = speaker.passport_copy.name.endswith(".pdf")
    response = FileResponse(
        speaker.passport_copy.open("rb"),
        content_type="application/pdf" if is_pdf else "image/jpeg",
        as_attachment=False,
        filename=f"passport-speaker-{speaker.pk}.{'pdf' if is_pdf else 'jpg'}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _application_page(request, delegation, application=None):
    event = delegation.event
    closed = services.application_deadline_error(event, timezone.now())
    if request.method == "POST":
        form = ApplicationForm(request.POST, instance=application, event=event)
        formset = SpeakerFormSet(request.POST, request.FILES, prefix="speakers")
        if form.is_valid() and formset.is_valid():
            speakers = [
                f.cleaned_data
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                saved = services.application_save(
                    user=request.user,
                    delegation=delegation,
                    application=application,
                    data=form.cleaned_data,
                    preferred_slots=list(form.cleaned_data["preferred_slots"]),
                    speakers=speakers,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for name, errors in exc.error_dict.items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Your application “%(title)s” is saved.")
                    % {"title": saved.title},
                )
                return redirect("agenda:side_events")
    else:
        form = ApplicationForm(instance=application, event=event)
        formset = SpeakerFormSet(
            prefix="speakers",
            initial=_speaker_initial(application) if application else None,
        )
    return render(
        request,
        "sessions/application_form.html",
        {
            "form": form,
            "formset": formset,
            "delegation": delegation,
            "application": application,
            "closed": closed,
            "event": event,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def application_new(request, delegation_pk: int):
    delegation = get_object_or_404(
        portal_delegations_for_user(request.user), pk=delegation_pk
    )
    return _application_page(request, delegation)


@login_required
def application_edit(request, pk: int):
    application = get_object_or_404(
        SideEventApplication.objects.filter(
            delegation__in=portal_delegations_for_user(request.user)
        ).select_related("delegation__event", "delegation__organisation"),
        pk=pk,
    )
    return _application_page(request, application.delegation, application)
