"""What each staff role may do on the programme's models (registered from
``EventSessionsConfig.ready()``; see ``hanoi_event.roles``). The app label
is ``event_sessions``."""

from hanoi_event.roles import (
    ACCREDITATION_OFFICER,
    ORGANIZER,
    PROTOCOL_OFFICER,
    SIDE_EVENT_REVIEWER,
)


def _perms(model: str, *actions: str) -> tuple[str, ...]:
    return tuple(f"event_sessions.{action}_{model}" for action in actions)


_ALL = ("add", "change", "delete", "view")

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ORGANIZER: (
        *_perms("programmeitem", *_ALL),
        *_perms("room", *_ALL),
        *_perms("programmerole", *_ALL),
        *_perms("release", "add", "view"),
        *_perms("sideeventslot", *_ALL),
        *_perms("sideeventapplication", "change", "view"),
        *_perms("sideeventspeaker", "view"),
        *_perms("allocationproposal", "add", "change", "view"),
        *_perms("registration", "view"),
    ),
    PROTOCOL_OFFICER: (
        "event_sessions.change_programmeitem",
        "event_sessions.view_programmeitem",
        "event_sessions.view_room",
    ),
    # Reviewers review applications and place them: they read the programme
    # and write side-event items, proposals and placements.
    SIDE_EVENT_REVIEWER: (
        "event_sessions.add_programmeitem",
        "event_sessions.change_programmeitem",
        "event_sessions.view_programmeitem",
        "event_sessions.view_room",
        *_perms("sideeventslot", "view"),
        *_perms("sideeventapplication", "change", "view"),
        *_perms("sideeventspeaker", "view"),
        *_perms("allocationproposal", "add", "change", "view"),
    ),
    # Officers (the only role with delegations.view_passport) open the
    # speakers' passport copies from the applications.
    ACCREDITATION_OFFICER: (
        *_perms("sideeventapplication", "view"),
        *_perms("sideeventspeaker", "view"),
    ),
}
