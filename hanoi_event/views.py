"""The site's public home page: what the event is and how to take part."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from .selectors import current_event


@require_safe
def event_home(request):
    """The current event's public page (name, dates, venue, theme, how to
    register, contact, links to the public pages the apps offer). Nobody needs
    to sign in; a GET writes nothing."""
    return render(request, "hanoi_event/home.html", {"event": current_event()})


@require_POST
def language_switch(request):
    """Django's ``set_language`` (cookie, safe ``next``), and for a signed-in
    person the choice is also kept with the account."""
    from django.views.i18n import set_language

    from .services.languages import account_language_set

    response = set_language(request)
    if request.user.is_authenticated:
        account_language_set(user=request.user, language=request.POST.get("language"))
    return response
