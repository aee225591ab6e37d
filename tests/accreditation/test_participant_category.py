"""Accreditation answers the participant category registry of hanoi_event
(which the programme reads to admit its items by badge category): the
valid badge's category, else the officer's choice, else the default."""

from accreditation.selectors import CATEGORY_PROVIDER
from accreditation.services import (
    badge_categories_ensure,
    badge_category_choose,
    badge_ensure,
)
from delegations.enums import ParticipantStatus
from hanoi_event.participant_categories import (
    Category,
    category_provider,
    event_categories,
    participant_category,
)


def test_accreditation_is_the_registered_provider(db):
    assert category_provider() is CATEGORY_PROVIDER


def test_the_default_category_before_any_badge(submitted):
    assert participant_category(submitted) == Category("party", "Party")


def test_the_officers_choice_then_the_valid_badge(submitted, event):
    categories = badge_categories_ensure(event=event)
    badge_category_choose(
        participant=submitted, category=categories["observer"], chosen_by=None
    )
    assert participant_category(submitted) == Category("observer", "Observer")

    submitted.status = ParticipantStatus.APPROVED
    submitted.save(update_fields=["status"])
    badge = badge_ensure(participant=submitted, by=None)
    assert badge.category.code == "observer"
    categories["observer"].name = "Observer State"
    categories["observer"].save(update_fields=["name"])

    assert participant_category(submitted) == Category("observer", "Observer State")


def test_event_categories_in_their_order(event):
    assert event_categories(event)[:2] == [
        Category("vip", "VIP"),
        Category("party", "Party"),
    ]
    categories = badge_categories_ensure(event=event)
    categories["vip"].name = "Very important"
    categories["vip"].save(update_fields=["name"])

    assert event_categories(event)[0] == Category("vip", "Very important")
