"""What each staff role may do on the check-in app's models (registered from
``CheckinConfig.ready()``; see ``hanoi_event.roles``). Operators scan with an
enrolled device, not with their staff account; "view scan" opens the live
counts."""

from hanoi_event.roles import ACCREDITATION_OFFICER, CHECK_IN_OPERATOR, ORGANIZER

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ORGANIZER: (
        "checkin.add_gate",
        "checkin.change_gate",
        "checkin.delete_gate",
        "checkin.view_gate",
        "checkin.add_device",
        "checkin.change_device",
        "checkin.view_device",
        "checkin.view_scan",
    ),
    ACCREDITATION_OFFICER: ("checkin.view_scan", "checkin.view_gate"),
    CHECK_IN_OPERATOR: ("checkin.view_gate", "checkin.view_scan"),
}
