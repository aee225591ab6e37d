"""The site's public home page: what the event is and how to take part."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .selectors import current_event


@require_safe
def event_home(request):
    """The current event's public page (name, dates, venue, theme, how to
    register, contact, links to the public pages the apps offer). Nobody needs
    to sign in; a GET writes nothing."""
    return render(request, "hanoi_event/home.html", {"event": current_event()})
