"""The scanner page (a static shell: everything it shows comes from the API
with the device's token) and its service worker, served from /checkin/ so
that it controls the page."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def scanner(request):
    return render(request, "checkin/scanner.html")


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
