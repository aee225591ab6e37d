"""What each staff role may do on the delegations app's models (registered
from ``DelegationsConfig.ready()``; see ``hanoi_event.roles``)."""

from hanoi_event.roles import (
    ACCREDITATION_OFFICER,
    CHECK_IN_OPERATOR,
    ORGANIZER,
    PROTOCOL_OFFICER,
    REGISTRATION_STAFF,
    SIDE_EVENT_REVIEWER,
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ORGANIZER: (
        "delegations.add_delegation",
        "delegations.add_delegationrolequota",
        "delegations.add_organisation",
        "delegations.add_participant",
        "delegations.change_delegation",
        "delegations.change_delegationrolequota",
        "delegations.change_organisation",
        "delegations.change_participant",
        "delegations.delete_delegation",
        "delegations.delete_delegationrolequota",
        "delegations.delete_organisation",
        "delegations.delete_participant",
        "delegations.view_delegation",
        "delegations.view_delegationrolequota",
        "delegations.view_organisation",
        "delegations.view_participant",
        # Invitations of focal points, registration codes for organisations
        # that are not States, and their requests.
        "delegations.change_invitation",
        "delegations.view_invitation",
        "delegations.add_registrationcode",
        "delegations.change_registrationcode",
        "delegations.delete_registrationcode",
        "delegations.view_registrationcode",
        "delegations.change_organisationrequest",
        "delegations.view_organisationrequest",
        # The log of imports and exports.
        "delegations.view_transferlog",
    ),
    # The only role that sees passport data.
    ACCREDITATION_OFFICER: (
        "delegations.change_delegation",
        "delegations.change_participant",
        "delegations.view_passport",
        "delegations.view_delegation",
        "delegations.view_delegationrolequota",
        "delegations.view_organisation",
        "delegations.view_participant",
    ),
    PROTOCOL_OFFICER: (
        "delegations.change_participant",
        "delegations.view_delegation",
        "delegations.view_organisation",
        "delegations.view_participant",
    ),
    SIDE_EVENT_REVIEWER: (
        "delegations.view_delegation",
        "delegations.view_organisation",
    ),
    REGISTRATION_STAFF: (
        "delegations.add_participant",
        "delegations.change_participant",
        "delegations.view_delegation",
        "delegations.view_delegationrolequota",
        "delegations.view_organisation",
        "delegations.view_participant",
        "delegations.view_transferlog",
    ),
    CHECK_IN_OPERATOR: (
        "delegations.view_delegation",
        "delegations.view_participant",
    ),
}
