"""The device API through the production WSGI application: paths under
/api/checkin/ go to the device API's handler (a short middleware list),
every other path to the full stack; the answers are the same API's."""

import io
import json

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from checkin.wsgi import DEVICE_API_MIDDLEWARE, DEVICE_API_PREFIX, DeviceApiHandler

pytestmark = pytest.mark.django_db


@pytest.fixture
def wsgi():
    """Call hanoi_event.wsgi.application as gunicorn does. The request
    signals would close the test's database connection (as the test client,
    keep it open)."""
    from hanoi_event.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def call(method, path, body=b"", headers=None):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "443",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "testserver",
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            **(headers or {}),
        }
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = dict(response_headers)

        content = b"".join(application(environ, start_response))
        return answer["status"], answer["headers"], content

    yield call
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_a_scan_through_the_device_api_handler(wsgi, setup):
    body = json.dumps({"gate": setup.entry.pk, "code": setup.qr, "nonce": "n-1"})

    status, headers, content = wsgi(
        "POST",
        "/api/checkin/scans/",
        body.encode(),
        {
            "CONTENT_TYPE": "application/json",
            "HTTP_AUTHORIZATION": f"Device {setup.token}",
            "HTTP_COOKIE": "django_language=fr",
        },
    )

    answer = json.loads(content)
    assert status == 201
    assert (answer["verdict"], answer["badge"]["number"]) == ("valid", "00001")
    assert answer["person"]["name"] == setup.person.full_name
    # The short list: language and security headers, no session.
    assert headers["Content-Language"] == "fr"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Length"] == str(len(content))
    assert headers["Content-Security-Policy"] == (
        "default-src 'none'; frame-ancestors 'none'"
    )
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Permissions-Policy"].startswith("camera=(self)")
    assert "Set-Cookie" not in headers


def test_the_device_api_handler_refuses_a_missing_or_revoked_token(wsgi, setup):
    from checkin.services import device_revoke

    assert wsgi("GET", "/api/checkin/keys/")[0] == 401
    auth = {"HTTP_AUTHORIZATION": f"Device {setup.token}"}
    assert wsgi("GET", "/api/checkin/keys/", headers=auth)[0] == 200

    device_revoke(device=setup.device)

    status, _, content = wsgi("GET", "/api/checkin/keys/", headers=auth)
    assert (status, json.loads(content)) == (
        401,
        {"detail": "This device is not enrolled or was revoked."},
    )


def test_other_paths_keep_the_full_stack(wsgi, setup):
    status, headers, _ = wsgi("GET", "/checkin/")

    assert status == 200
    assert "'nonce-" in headers["Content-Security-Policy"]


def test_the_handler_has_the_documented_middleware_only():
    handler = DeviceApiHandler()

    assert DEVICE_API_MIDDLEWARE == (
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.locale.LocaleMiddleware",
    )
    assert handler._view_middleware == []
    assert handler._exception_middleware == []


def test_a_middleware_with_view_hooks_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    class WithCsrf(DeviceApiHandler):
        middleware = ("django.middleware.csrf.CsrfViewMiddleware",)

    with pytest.raises(ImproperlyConfigured) as error:
        WithCsrf()

    assert "process_view" in str(error.value)


def test_the_prefix_is_the_device_apis():
    from django.urls import reverse

    assert reverse("checkin_api:scans").startswith(DEVICE_API_PREFIX)
    assert reverse("checkin_api:enroll").startswith(DEVICE_API_PREFIX)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"gate": "north", "code": "1"}, {"gate": ["A valid integer is required."]}),
        ({"gate": 1}, {"code": ["This field is required."]}),
        (
            ["not", "an", "object"],
            {
                "non_field_errors": [
                    "Invalid data. Expected a dictionary, but got list."
                ]
            },
        ),
    ],
)
def test_bad_scan_input_is_a_400_with_the_fields(api, setup, body, expected):
    from checkin.models import Scan

    response = api.post(
        "/api/checkin/scans/", data=json.dumps(body), content_type="application/json"
    )

    assert (response.status_code, response.json()) == (400, expected)
    assert Scan.objects.count() == 0


def test_scans_on_a_persistent_connection_use_prepared_statements(setup):
    from django.db import connection, transaction

    from accreditation import services as accreditation
    from checkin.services import device_for_token, scan_perform

    connection.settings_dict["CONN_MAX_AGE"] = 60
    try:
        device = device_for_token(setup.token)
        first, _ = scan_perform(
            gate=setup.entry, code=setup.qr, device=device, nonce="p-1"
        )
        again, _ = scan_perform(
            gate=setup.entry,
            code=accreditation.badge_qr_text(setup.badge),
            device=device,
            nonce="p-2",
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
        # The same nonce again: the unique constraint trips in the prepared
        # INSERT (an IntegrityError as Django's), the first scan is returned.
        with transaction.atomic():
            repeat, created = scan_perform(
                gate=setup.entry, code=setup.qr, device=device, nonce="p-1"
            )
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 0

    assert (first.verdict, again.verdict) == ("valid", "already_inside")
    assert (repeat.pk, created) == (first.pk, False)
    assert len(prepared) == 4  # the device, the badge, the presence, the scan
    assert any("FOR UPDATE OF b" in statement for statement in prepared)
