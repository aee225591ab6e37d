"""Security headers the rest of the stack does not send: a
Content-Security-Policy per area, and a Permissions-Policy.

Django's SecurityMiddleware already sends HSTS (production), nosniff,
Referrer-Policy (``same-origin``) and Cross-Origin-Opener-Policy; the
clickjacking middleware sends X-Frame-Options.

Two policies, chosen by path:

* **Everything but the admin** (home, portal, programme, signatories, check-in
  scanner, accounts): scripts only from this site or carrying the request's
  nonce (``<script nonce="{{ request.csp_nonce }}">``), styles only from this
  site (no inline ``<style>`` and no ``style=""`` attributes), no plugins, no
  framing, forms post to this site only. ``eval`` is refused.
* **The admin** (django-unfold): unfold's Alpine.js is the standard build,
  which compiles ``x-data``/``@click`` expressions with ``new Function``, so
  the admin needs ``'unsafe-eval'``; unfold writes its theme colours in an
  inline ``<style>`` and uses ``style=""`` attributes, so styles may be
  inline there. Scripts are still limited to this site and the nonce: an
  injected ``<script>`` or ``onclick=`` does not run. The admin is reached
  only by staff after TOTP.

Violations are reported to ``/csp-report/`` (logged as warnings by the
``hanoi_event.csp`` logger, so they show up in the JSON logs and in Sentry).
``CSP_REPORT_ONLY=true`` sends the policy as Report-Only (to try a change in
production without breaking pages).
"""

from __future__ import annotations

import json
import logging
import secrets

from django.conf import settings
from django.http import HttpResponse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger(__name__)

REPORT_PATH = "/csp-report/"

_COMMON = {
    "default-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "media-src": "'self' blob:",
    "worker-src": "'self' blob:",
    "manifest-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

PUBLIC_POLICY = {
    **_COMMON,
    "script-src": "'self' 'nonce-{nonce}'",
    "style-src": "'self' 'nonce-{nonce}'",
}

ADMIN_POLICY = {
    **_COMMON,
    "script-src": "'self' 'nonce-{nonce}' 'unsafe-eval'",
    "style-src": "'self' 'unsafe-inline'",
}

# The scanner at the gates uses the camera; nothing uses the rest.
PERMISSIONS_POLICY = (
    "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=()"
)


def _render(policy: dict[str, str], nonce: str) -> str:
    parts = [f"{name} {value.format(nonce=nonce)}" for name, value in policy.items()]
    parts.append(f"report-uri {REPORT_PATH}")
    return "; ".join(parts)


def _is_admin(path: str) -> bool:
    from django.urls import reverse

    return path.startswith(reverse("admin:index"))


class ContentSecurityPolicyMiddleware:
    """Gives each request a nonce (``request.csp_nonce``, made only when a
    template asks for it) and each response its policy, unless the view set
    one itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = SimpleLazyObject(lambda: secrets.token_urlsafe(18))
        request.csp_nonce = nonce
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        if header not in response.headers:
            policy = ADMIN_POLICY if _is_admin(request.path) else PUBLIC_POLICY
            response.headers[header] = _render(policy, str(nonce))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


@csrf_exempt
@require_POST
def csp_report(request):
    """Browsers post violations here (``application/csp-report``). Logged,
    never stored; a body that is not JSON is ignored. Always 204."""
    body = request.body[:8192]
    try:
        report = json.loads(body).get("csp-report", {})
    except (ValueError, AttributeError):
        report = {}
    if isinstance(report, dict) and report:
        logger.warning(
            "CSP violation: %s blocked %s on %s",
            report.get("violated-directive") or report.get("effective-directive"),
            report.get("blocked-uri"),
            report.get("document-uri"),
            extra={"csp_report": {k: str(v)[:500] for k, v in report.items()}},
        )
    return HttpResponse(status=204)
