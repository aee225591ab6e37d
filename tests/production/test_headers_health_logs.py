"""Security headers, the health endpoints and the JSON log format, in-process
(the same over gunicorn with the production settings: test_prod_like.py)."""

import json
import logging
import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from hanoi_event import health
from hanoi_event.logging import JsonFormatter

PRODUCTION_HEADERS = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_CONTENT_TYPE_NOSNIFF": True,
    "SECURE_REFERRER_POLICY": "same-origin",
}


@pytest.mark.django_db
@override_settings(**PRODUCTION_HEADERS)
def test_pages_send_hsts_csp_referrer_policy_and_nosniff(client):
    response = client.get("/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"].startswith("camera=(self), microphone=()")
    policy = dict(
        part.split(" ", 1) for part in response["Content-Security-Policy"].split("; ")
    )
    nonce = policy["script-src"].split("'nonce-")[1].split("'")[0]
    assert policy["script-src"] == f"'self' 'nonce-{nonce}'"
    assert policy["style-src"] == f"'self' 'nonce-{nonce}'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["report-uri"] == "/csp-report/"


@pytest.mark.django_db
def test_each_response_gets_its_own_nonce_and_the_admin_its_own_policy(client):
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]
    admin = client.get("/admin/login/")["Content-Security-Policy"]

    assert first != second
    assert "'unsafe-eval'" not in first and "'unsafe-inline'" not in first
    assert "'unsafe-eval'" in admin
    assert "style-src 'self' 'unsafe-inline'" in admin


@pytest.mark.django_db
def test_the_inline_script_and_style_left_carry_the_response_nonce(client):
    from tests.factories import SpeakingListFactory

    speaking_list = SpeakingListFactory()
    response = client.get(f"/speakers/{speaking_list.pk}/screen/")

    assert response.status_code == 200
    header = response["Content-Security-Policy"]
    nonce = header.split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert f'<script nonce="{nonce}">' in html
    assert f'<style nonce="{nonce}">' in html
    assert "<script>" not in html and "<style>" not in html


@override_settings(CSP_REPORT_ONLY=True)
@pytest.mark.django_db
def test_report_only_mode_sends_the_report_only_header(client):
    response = client.get("/")

    assert "Content-Security-Policy" not in response
    assert "script-src 'self'" in response["Content-Security-Policy-Report-Only"]


@pytest.mark.django_db
def test_a_csp_report_is_logged_and_answered_204(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "https://event.example.org/portal/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
        }
    }
    with caplog.at_level(logging.WARNING, logger="hanoi_event.csp"):
        response = client.post(
            "/csp-report/", json.dumps(report), content_type="application/csp-report"
        )
        garbage = client.post("/csp-report/", "not json", content_type="text/plain")

    assert (response.status_code, garbage.status_code) == (204, 204)
    assert [r.getMessage() for r in caplog.records] == [
        "CSP violation: script-src-elem blocked inline on "
        "https://event.example.org/portal/"
    ]


@pytest.mark.django_db
def test_live_and_ready_answer_ok_with_database_and_cache(client):
    live = client.get("/health/live")
    ready = client.get("/health/ready")

    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert ready.status_code == 200
    body = ready.json()
    assert body["checks"]["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["checks"]["cache"]["ok"] is True
    assert body["background"]["ok"] is True  # eager mode: nothing to wait for


@pytest.mark.django_db
def test_ready_fails_503_naming_the_cache_when_redis_is_away(client):
    from tests.processes import free_port

    dead = f"redis://127.0.0.1:{free_port()}/1"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": dead,
        }
    }
    with override_settings(CACHES=caches):
        from django.core.cache import caches as handler

        handler._settings = None
        handler._connections.__dict__.pop("default", None)
        response = client.get("/health/ready")
    handler._connections.__dict__.pop("default", None)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_background_fails_until_a_worker_ran_the_heartbeat_beat_sent(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # only read, not used
    cache.delete(health.HEARTBEAT_KEY)

    before = client.get("/health/background")
    # As a worker runs it when beat sent it (beat's header in the request).
    health.heartbeat.apply(headers={"periodic_task_name": health.HEARTBEAT_SCHEDULE})
    after = client.get("/health/background")
    settings.HEALTH_WORKER_STALE_SECONDS = 0
    stale = client.get("/health/background")

    assert before.status_code == 503
    assert before.json()["worker"]["last_heartbeat_age_s"] is None
    assert before.json()["beat"]["last_run_age_s"] is None
    assert after.status_code == 200
    assert after.json()["worker"]["ok"] is True
    assert after.json()["beat"]["ok"] is True
    assert stale.status_code == 503
    assert stale.json()["worker"]["ok"] is False
    assert stale.json()["beat"]["ok"] is True


def test_json_log_lines_carry_level_logger_message_extra_and_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "hanoi_event.test",
            logging.ERROR,
            __file__,
            1,
            "failed %s",
            ("x",),
            sys.exc_info(),
        )
    record.participant_id = 7
    record.created = time.mktime((2025, 10, 25, 8, 0, 0, 0, 0, 0)) - time.timezone

    line = JsonFormatter().format(record)

    entry = json.loads(line)
    assert "\n" not in line
    assert entry["time"] == "2025-10-25T08:00:00.000+00:00"
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "ERROR",
        "hanoi_event.test",
        "failed x",
    )
    assert entry["participant_id"] == 7
    assert entry["exception"].endswith("ValueError: boom")
