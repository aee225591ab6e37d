"""Shared fixtures. Real-server fixtures (Redis, Celery worker, SMTP) live in
tests/servers.py and are loaded here as a plugin."""

import pytest

pytest_plugins = ["tests.servers", "tests.browser"]


@pytest.fixture
def event(db):
    from tests.factories import EventFactory

    return EventFactory()
