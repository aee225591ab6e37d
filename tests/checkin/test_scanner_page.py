"""The scanner page's words: the queue's count as a label and its number
(right for any count in any language), and the script's strings given as
JSON that survives any character a translation holds."""

import json

import pytest

from checkin.views import scanner_strings

pytestmark = pytest.mark.django_db


def _strings(html: str) -> dict:
    start = html.index('<script id="strings" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_queue_is_a_label_and_its_number(client):
    html = client.get("/checkin/").content.decode()

    assert (
        '<span id="queue-label">Scans waiting to upload:</span> '
        '<span id="queue-count">0</span>' in html
    )
    assert "scans waiting to upload" not in html


def test_strings_are_json_even_with_quotes_and_tags(client, monkeypatch):
    from checkin import views

    tricky = {**scanner_strings(), "valid": 'Gültig "OK" </script><b>'}
    monkeypatch.setattr(views, "scanner_strings", lambda: tricky)

    html = client.get("/checkin/").content.decode()

    assert _strings(html) == tricky
