"""Finding 5 of issue 8: bad admin URLs were server errors (500). A
malformed id is a 404; a date out of range in a list's query string is a
400 with a message."""

import pytest
from django.urls import reverse

from tests.factories import (
    DelegationFactory,
    ParticipantFactory,
    ProgrammeItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/delegations/participant/abc/history/",
        "/admin/delegations/delegation/1.5/history/",
        "/admin/delegations/participant/abc/change/",
        "/admin/delegations/delegation/1.5/delete/",
        "/admin/hanoi_event/event/abc/history/",
        "/admin/event_sessions/room/x/change/",
        "/admin/auth/user/abc/change/",
        "/admin/hanoi_event/emailtemplate/abc/change/",
        "/admin/hanoi_event/bulksend/abc/change/",
    ],
)
def test_malformed_id_is_404(admin_client, path):
    assert admin_client.get(path).status_code == 404


@pytest.mark.parametrize("model", ["participant", "delegation"])
def test_malformed_history_version_is_404(admin_client, model):
    obj = ParticipantFactory() if model == "participant" else DelegationFactory()
    for version in ["abc", "1.5", "99999999999999999999999"]:
        url = f"/admin/delegations/{model}/{obj.pk}/history/{version}/"
        assert admin_client.get(url).status_code == 404, url
    assert (
        admin_client.get(
            f"/admin/delegations/{model}/{obj.pk}/history/{obj.history.get().history_id + 1000}/"
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("url", "query"),
    [
        (
            "admin:event_sessions_programmeitem_changelist",
            "starts_at__year=99999999999",
        ),
        ("admin:event_sessions_programmeitem_changelist", "starts_at__year=9999"),
        (
            "admin:event_sessions_programmeitem_changelist",
            "starts_at__year=9999&starts_at__month=12&starts_at__day=31",
        ),
        ("admin:hanoi_event_outboundemail_changelist", "created_at__year=99999999999"),
        ("admin:delegations_participant_changelist", "created_at__year=99999999999"),
        ("admin:delegations_participant_changelist", "created_at__year=10000"),
        ("admin:delegations_delegation_changelist", "submitted_at__year=99999999999"),
    ],
)
def test_date_out_of_range_in_a_list_is_400_with_a_message(admin_client, url, query):
    ProgrammeItemFactory()
    ParticipantFactory()
    response = admin_client.get(f"{reverse(url)}?{query}")
    assert response.status_code == 400
    content = response.content.decode()
    assert "A filter in the address is out of range" in content
    assert f'href="{reverse(url)}"' in content


def test_a_date_in_range_still_filters(admin_client):
    item = ProgrammeItemFactory()
    response = admin_client.get(
        reverse("admin:event_sessions_programmeitem_changelist")
        + "?starts_at__year=2025&starts_at__month=10"
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [item]
