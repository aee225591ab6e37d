"""The scanner page (a static shell: everything it shows comes from the API
with the device's token) and its service worker, served from /checkin/ so
that it controls the page."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


def scanner_strings() -> dict[str, str]:
    """What the scanner's script writes, in the request's language (given to
    it as JSON: a translation may hold any character)."""
    return {
        "online": _("Online"),
        "offline": _("Offline: checking badges on this device"),
        "ready": _("Ready to scan"),
        "checking": _("Checking…"),
        "offline_mark": _("(checked offline)"),
        "valid": _("Valid"),
        "already_inside": _("Already inside"),
        "revoked": _("Revoked"),
        "unknown": _("Unknown"),
        "zone_denied": _("Not allowed in this zone"),
        "wrong_event": _("Wrong event"),
        "confirm": _("Confirm: compare the photo"),
        "refused": _("Refused by the operator"),
        "camera_stop": _("Stop the camera"),
        "camera_start": _("Scan with the camera"),
        "camera_error": _("The camera cannot be used: type the badge number."),
        "revoked_device": _(
            "This device was revoked. Ask an organizer for a new setup code."
        ),
    }


@require_GET
def scanner(request):
    return render(request, "checkin/scanner.html", {"strings": scanner_strings()})


@require_GET
def service_worker(request):
    path = finders.find("checkin/sw.js") or str(
        Path(settings.BASE_DIR) / "static" / "checkin" / "sw.js"
    )
    response = HttpResponse(
        Path(path).read_text(), content_type="application/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/checkin/"
    response["Cache-Control"] = "no-cache"
    return response
