"""What each staff role may do on the programme's models (registered from
``EventSessionsConfig.ready()``; see ``hanoi_event.roles``). The app label
is ``event_sessions``."""

from hanoi_event.roles import ORGANIZER, PROTOCOL_OFFICER, SIDE_EVENT_REVIEWER

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ORGANIZER: (
        "event_sessions.add_programmeitem",
        "event_sessions.add_room",
        "event_sessions.change_programmeitem",
        "event_sessions.change_room",
        "event_sessions.delete_programmeitem",
        "event_sessions.delete_room",
        "event_sessions.view_programmeitem",
        "event_sessions.view_room",
    ),
    PROTOCOL_OFFICER: (
        "event_sessions.change_programmeitem",
        "event_sessions.view_programmeitem",
        "event_sessions.view_room",
    ),
    SIDE_EVENT_REVIEWER: (
        "event_sessions.add_programmeitem",
        "event_sessions.change_programmeitem",
        "event_sessions.view_programmeitem",
        "event_sessions.view_room",
    ),
}
