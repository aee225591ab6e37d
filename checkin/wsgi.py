"""The check-in devices' API served with a short middleware list.

At the gates every scan is one request, 2,500 of them in the morning's
hour. The site's middleware is for people in browsers (sessions, messages,
the account's language cookie, the staff two-factor gate, the history's
user, the event's time zone, a nonce per page for its scripts) and cost
more than settling the scan itself; a device sends its token with every
request and gets JSON. So ``hanoi_event/wsgi.py`` hands every path under
``DEVICE_API_PREFIX`` to ``DeviceApiHandler``: Django's own WSGI handler
(same URLs, same views, the same request signals that close database
connections) with only:

- ``SecurityMiddleware``: HTTPS redirect, HSTS, nosniff, referrer policy;
- ``LocaleMiddleware``: the verdict's words in the page's language (the
  language cookie, else Accept-Language);

and, as CommonMiddleware does, the answer's Content-Length; and as constants
the headers the site's other answers get from their middleware (a
Content-Security-Policy that allows nothing, X-Frame-Options, the
Permissions-Policy).

DRF's device-token authentication, the views' permission checks and the
services are the same as through the full stack (the tests' client runs the
full stack; tests/checkin/test_wsgi.py checks this handler).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.utils.module_loading import import_string

from hanoi_event.csp import PERMISSIONS_POLICY

DEVICE_API_PREFIX = "/api/checkin/"
API_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
}
DEVICE_API_MIDDLEWARE = (
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
)


class DeviceApiHandler(WSGIHandler):
    """Django's WSGI handler with ``DEVICE_API_MIDDLEWARE`` instead of
    ``settings.MIDDLEWARE``. Only middleware that works on the request and
    the response is allowed (no view, exception or template-response hooks,
    which this chain does not call)."""

    middleware = DEVICE_API_MIDDLEWARE

    def load_middleware(self, is_async: bool = False) -> None:
        if is_async:
            raise ImproperlyConfigured("The device API handler is WSGI only.")
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(self.middleware):
            instance = import_string(path)(handler)
            hooks = [
                name
                for name in (
                    "process_view",
                    "process_exception",
                    "process_template_response",
                )
                if hasattr(instance, name)
            ]
            if hooks:
                raise ImproperlyConfigured(
                    f"{path} has {', '.join(hooks)}: not for the device API."
                )
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler

    def get_response(self, request):
        response = super().get_response(request)
        # As CommonMiddleware does on the full stack: the length, so the
        # answer is not sent in chunks.
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        # The headers every answer of the site carries (docs/deploy.md), as
        # constants: nothing in a device's JSON or photo may run or be framed.
        for name, value in API_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def with_device_api(site):
    """A WSGI application: requests under ``DEVICE_API_PREFIX`` to the device
    API's handler, every other one to ``site`` (the full stack)."""
    api = DeviceApiHandler()

    def application(environ, start_response):
        if environ.get("PATH_INFO", "").startswith(DEVICE_API_PREFIX):
            return api(environ, start_response)
        return site(environ, start_response)

    return application
