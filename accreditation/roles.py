"""What each staff role may do on the accreditation app's models (registered
from ``AccreditationConfig.ready()``; see ``hanoi_event.roles``).

"change" on the review queue is the right to decide (approve, reject);
"change" on badges is the right to reprint, revoke and flag them; "add" on
print jobs the right to print."""

from hanoi_event.roles import (
    ACCREDITATION_OFFICER,
    CHECK_IN_OPERATOR,
    ORGANIZER,
    PROTOCOL_OFFICER,
)

_REVIEW_AND_BADGES = (
    "accreditation.view_participantreview",
    "accreditation.change_participantreview",
    "accreditation.view_accreditationdecision",
    "accreditation.view_badge",
    "accreditation.change_badge",
    "accreditation.view_badgecategory",
    "accreditation.view_zone",
    "accreditation.add_categorychoice",
    "accreditation.change_categorychoice",
    "accreditation.view_categorychoice",
    "accreditation.add_badgeprintjob",
    "accreditation.view_badgeprintjob",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ORGANIZER: (
        *_REVIEW_AND_BADGES,
        "accreditation.add_badgecategory",
        "accreditation.change_badgecategory",
        "accreditation.delete_badgecategory",
        "accreditation.add_zone",
        "accreditation.change_zone",
        "accreditation.delete_zone",
        "accreditation.view_signingkey",
        "accreditation.change_signingkey",
    ),
    ACCREDITATION_OFFICER: _REVIEW_AND_BADGES,
    PROTOCOL_OFFICER: (
        "accreditation.view_badge",
        "accreditation.view_badgecategory",
    ),
    CHECK_IN_OPERATOR: (
        "accreditation.view_badgecategory",
        "accreditation.view_zone",
    ),
}
