"""The List of Participants (HTML and PDF, provisional or final) for
staff who may see participants, in a two-factor session."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from hanoi_event.selectors import current_event
from protocol.roles import staff_required

from .pdf import list_of_participants_pdf
from .selectors import list_of_participants

VIEW_PARTICIPANTS = "delegations.view_participant"


def _params(request):
    event = current_event()
    if event is None:
        raise Http404
    return event, request.GET.get("final") == "1"


@staff_required(VIEW_PARTICIPANTS)
def list_html(request):
    event, final = _params(request)
    return render(
        request,
        "reports/list_of_participants.html",
        {
            "event": event,
            "final": final,
            "sections": list_of_participants(event, final=final),
        },
    )


@staff_required(VIEW_PARTICIPANTS)
def list_pdf(request):
    event, final = _params(request)
    data = list_of_participants_pdf(
        event=event, sections=list_of_participants(event, final=final), final=final
    )
    response = HttpResponse(data, content_type="application/pdf")
    kind = "final" if final else "provisional"
    response["Content-Disposition"] = (
        f'inline; filename="list-of-participants-{event.slug}-{kind}.pdf"'
    )
    return response
