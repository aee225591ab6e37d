"""The participant's fields in named groups, the one place that says which
field belongs where. The portal form, the services, the admin, the demo
loader and the import resources all read these groups.

- ``PROFILE_SECTIONS``: what a delegate keeps about themselves, in the order
  and sections the form and the admin show;
- ``DELEGATION_ROLE_FIELDS``: what the focal point (or staff) decides;
- ``REQUIRED_TO_SUBMIT``: what a record needs before it goes to review (and
  what the reminders and the admin call "missing"); the photo is required
  unless the person is exempt (``Participant.photo_required``);
- ``REVIEWED_FIELDS``: a change to these after approval sends the record
  back for review;
- ``PASSPORT_FIELDS``: seen only by the delegate, their focal point and staff
  with ``delegations.view_passport``;
- ``DECISION_FIELDS``: written by the review, never by the profile form.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Participant

IDENTITY_FIELDS = (
    "honorific",
    "given_names",
    "family_name",
    "gender",
    "function_title",
    "nationality",
    "date_of_birth",
    "phone",
)
PASSPORT_FIELDS = ("passport_number", "passport_expiry")
TRAVEL_FIELDS = ("arrival_at", "departure_at", "hotel", "needs_visa_letter")
NEEDS_FIELDS = ("dietary_needs", "accessibility_needs", "preferred_language")
CONSENT_FIELDS = ("consent_list_of_participants",)

# (section title, fields), in the order the portal form and the admin show.
PROFILE_SECTIONS = (
    (_("Identity"), IDENTITY_FIELDS),
    (_("Passport"), PASSPORT_FIELDS),
    (_("Travel and stay"), TRAVEL_FIELDS),
    (_("Needs and preferences"), NEEDS_FIELDS),
    (_("Consent"), CONSENT_FIELDS),
)
# Everything a delegate may write about themselves (the photo has its own
# upload path, checked and re-encoded).
PROFILE_FIELDS = tuple(name for _title, names in PROFILE_SECTIONS for name in names)

# Decided by the focal point (or staff): they set the badge category and the
# photo exemption.
DELEGATION_ROLE_FIELDS = ("role", "protocol_rank", "is_spouse_of_dignitary")

# Written by the review services only.
DECISION_FIELDS = ("status", "submitted_at", "decided_at", "rejection_reason")

# Every identity field but the honorific, and the passport.
REQUIRED_TO_SUBMIT = (
    *(name for name in IDENTITY_FIELDS if name != "honorific"),
    *PASSPORT_FIELDS,
)
PHOTO_FIELD = "photo"

REVIEWED_FIELDS = (
    *DELEGATION_ROLE_FIELDS,
    "honorific",
    "given_names",
    "family_name",
    "nationality",
    "date_of_birth",
    *PASSPORT_FIELDS,
    PHOTO_FIELD,
)

# Fields staff without the passport permission can neither see, nor filter,
# nor search, nor revert.
RESTRICTED_FIELDS = (*PASSPORT_FIELDS, "date_of_birth")


def missing_fields(participant) -> list[str]:
    """Names of the fields ``participant`` still has to fill before submitting
    (the photo last, when it is required). The one rule for "missing"."""
    missing = [name for name in REQUIRED_TO_SUBMIT if not getattr(participant, name)]
    if participant.photo_required and not participant.photo:
        missing.append(PHOTO_FIELD)
    return missing


def missing_items(participant) -> list[tuple[str, str]]:
    """``missing_fields`` as (field name, label): the portal links each label
    to its field."""
    meta = participant._meta
    return [
        (name, str(meta.get_field(name).verbose_name))
        for name in missing_fields(participant)
    ]


def missing_labels(participant) -> list[str]:
    """``missing_fields`` as the fields' labels, for people to read."""
    return [label for _name, label in missing_items(participant)]


def incomplete_q() -> Q:
    """A database filter for the records that may miss something (a superset
    of ``missing_fields``: the photo exemption is checked in Python)."""
    condition = Q(pk__in=[])
    for name in (*REQUIRED_TO_SUBMIT, PHOTO_FIELD):
        field = Participant._meta.get_field(name)
        if field.null:
            condition |= Q(**{f"{name}__isnull": True})
        else:
            condition |= Q(**{name: ""})
    return condition
