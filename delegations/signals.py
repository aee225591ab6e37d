"""Doors from the account signals into the services: when someone signs in
(Django's ``user_logged_in``, sent by every login) or confirms an address
(allauth's ``email_confirmed``), the members nominated with a verified address
of theirs become their records (``participants_claim_for_user``). Both happen
on POST requests, so no GET page writes anything."""

from __future__ import annotations

from . import services


def claim_participations_on_login(sender, request, user, **kwargs) -> None:
    services.participants_claim_for_user(user=user)


def claim_participations_on_confirm(sender, request, email_address, **kwargs) -> None:
    services.participants_claim_for_user(user=email_address.user)
