"""Flagging a badge: only through the services (with a reason; who, when and
why recorded), the admin's actions call them, and the gate asks the
operator to confirm a flagged badge."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accreditation import services
from accreditation.models import Badge, BadgeFlagChange
from checkin.models import Gate
from checkin.services import scan_perform

pytestmark = pytest.mark.django_db

BADGES = "/admin/accreditation/badge/"


@pytest.fixture
def badge(submitted, staff):
    services.accreditation_approve(participant=submitted, decided_by=staff)
    return services.valid_badge(submitted)


def test_flag_records_who_when_why_and_the_gate_asks_to_confirm(badge, staff):
    gate = Gate.objects.create(
        event=badge.event, name="North entry", zone=badge.event.zones.get(code="venue")
    )
    before = badge.updated_at

    flagged = services.badge_flag(
        badge=badge,
        note="  Check the passport   name ",
        reason="Name close to a watch-list entry.",
        by=staff,
    )

    assert (flagged.flagged, flagged.flag_note) == (True, "Check the passport name")
    assert flagged.updated_at > before  # devices fetch it with the changed badges
    change = BadgeFlagChange.objects.get()
    assert (
        change.badge_id,
        change.flagged,
        change.note,
        change.reason,
        change.changed_by,
        change.changed_at,
    ) == (
        badge.pk,
        True,
        "Check the passport name",
        "Name close to a watch-list entry.",
        staff,
        flagged.updated_at,
    )
    scan, _ = scan_perform(gate=gate, code=badge.display_number)
    assert (scan.verdict, scan.needs_confirmation) == ("valid", True)

    services.badge_unflag(badge=badge, reason="Cleared by security.", by=staff)

    badge.refresh_from_db()
    assert (badge.flagged, badge.flag_note) == (False, "")
    assert list(
        BadgeFlagChange.objects.order_by("pk").values_list("flagged", "note", "reason")
    ) == [
        (True, "Check the passport name", "Name close to a watch-list entry."),
        (False, "", "Cleared by security."),
    ]


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_flag_and_unflag_need_a_reason_and_change_nothing_without(badge, staff, reason):
    with pytest.raises(ValidationError) as flag_error:
        services.badge_flag(badge=badge, note="Look", reason=reason, by=staff)
    services.badge_flag(badge=badge, note="Look", reason="Asked by security", by=staff)
    with pytest.raises(ValidationError) as unflag_error:
        services.badge_unflag(badge=badge, reason=reason, by=staff)

    assert flag_error.value.message_dict == {"reason": ["Give the reason."]}
    assert unflag_error.value.message_dict == {"reason": ["Give the reason."]}
    badge.refresh_from_db()
    assert (badge.flagged, badge.flag_note) == (True, "Look")
    assert BadgeFlagChange.objects.count() == 1


def test_flag_again_with_the_same_note_and_unflag_twice_record_nothing(badge, staff):
    services.badge_flag(badge=badge, note="Look", reason="First", by=staff)
    services.badge_flag(badge=badge, note="Look", reason="Again", by=staff)
    services.badge_flag(badge=badge, note="Look closer", reason="New note", by=staff)
    services.badge_unflag(badge=badge, reason="Cleared", by=staff)
    services.badge_unflag(badge=badge, reason="Cleared again", by=staff)

    assert list(
        BadgeFlagChange.objects.order_by("pk").values_list("reason", flat=True)
    ) == ["First", "New note", "Cleared"]


def test_a_revoked_badge_is_not_flagged(badge, staff):
    services.badge_revoke(badge=badge, reason="Lost", by=staff)

    with pytest.raises(ValidationError) as error:
        services.badge_flag(badge=badge, note="", reason="Look", by=staff)

    assert error.value.messages == ["This badge is revoked: change the valid one."]
    assert BadgeFlagChange.objects.count() == 0
    badge.refresh_from_db()
    assert badge.flagged is False


def test_a_reprint_keeps_the_flag(badge, staff):
    services.badge_flag(badge=badge, note="Look", reason="Asked", by=staff)

    new = services.badge_reprint(badge=badge, reason="Lost", by=staff)

    assert (new.version, new.flagged, new.flag_note) == (2, True, "Look")


def test_admin_badge_page_edits_nothing_in_place(admin_client, badge):
    url = f"{BADGES}{badge.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="flagged"' not in page and 'name="flag_note"' not in page
    assert 'name="_save"' not in page

    response = admin_client.post(url, {"flagged": "on", "flag_note": "Sneaky"})

    assert response.status_code == 302
    badge.refresh_from_db()
    assert (badge.flagged, badge.flag_note) == (False, "")
    assert BadgeFlagChange.objects.count() == 0


def test_admin_flag_and_unflag_actions_ask_for_a_reason(
    admin_client, admin_user, badge
):
    ask = admin_client.post(
        BADGES, {"action": "flag", "_selected_action": [badge.pk]}
    ).content.decode()
    assert 'name="note"' in ask and 'name="reason"' in ask
    refused = admin_client.post(
        BADGES,
        {
            "action": "flag",
            "_selected_action": [badge.pk],
            "note": "Look",
            "reason": " ",
        },
    )
    assert refused.status_code == 200 and BadgeFlagChange.objects.count() == 0

    done = admin_client.post(
        BADGES,
        {
            "action": "flag",
            "_selected_action": [badge.pk],
            "note": "Compare the photo closely",
            "reason": "Asked by the security service.",
        },
    )

    assert done.status_code == 302
    badge.refresh_from_db()
    assert (badge.flagged, badge.flag_note) == (True, "Compare the photo closely")
    change = BadgeFlagChange.objects.get()
    assert (change.changed_by, change.reason) == (
        admin_user,
        "Asked by the security service.",
    )
    when = change.changed_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    page = admin_client.get(f"{BADGES}{badge.pk}/change/").content.decode()
    assert (
        f"{when:%H:%M} GMT+7: flagged by {admin_user} (note: Compare the photo "
        "closely). Asked by the security service." in page
    )

    admin_client.post(
        BADGES,
        {"action": "unflag", "_selected_action": [badge.pk], "reason": "Cleared."},
    )

    badge.refresh_from_db()
    assert (badge.flagged, BadgeFlagChange.objects.count()) == (False, 2)


def test_admin_flag_needs_the_change_permission(client, badge, django_user_model):
    from django.contrib.auth.models import Permission

    from tests.conftest import staff_two_factor_pass

    viewer = django_user_model.objects.create_user(
        username="viewer", email="viewer@example.org", password="x", is_staff=True
    )
    viewer.user_permissions.add(Permission.objects.get(codename="view_badge"))
    staff_two_factor_pass(client, viewer)

    response = client.post(
        BADGES,
        {
            "action": "flag",
            "_selected_action": [badge.pk],
            "note": "",
            "reason": "Because",
        },
    )

    assert response.status_code in (200, 302)
    assert Badge.objects.get(pk=badge.pk).flagged is False
    assert BadgeFlagChange.objects.count() == 0
