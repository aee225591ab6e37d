"""What the focal point's delegation page offers besides the members: the
apps above (signing, speaking list, side events) register their pages here
from their ``AppConfig.ready()``, so the portal links to them without
knowing them::

    register_delegation_link(DelegationLink(
        key="signing", label=_("Signing the Convention"), order=10,
        url=lambda delegation: reverse("protocol:portal_signing", args=[delegation.pk]),
        applies=lambda delegation: delegation.organisation.is_state,
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .models import Delegation


@dataclass(frozen=True)
class DelegationLink:
    key: str
    label: Any
    url: Callable[[Delegation], str]
    order: int = 100
    description: Any = ""
    applies: Callable[[Delegation], bool] = lambda delegation: True


_LINKS: dict[str, DelegationLink] = {}


def register_delegation_link(link: DelegationLink) -> None:
    existing = _LINKS.get(link.key)
    if existing is not None and existing.label != link.label:
        raise ImproperlyConfigured(f"Delegation link {link.key!r} is declared twice.")
    _LINKS[link.key] = link


def delegation_links(delegation: Delegation) -> list[dict[str, Any]]:
    """The pages offered to ``delegation``'s focal point, in order."""
    return [
        {
            "label": link.label,
            "url": link.url(delegation),
            "description": link.description,
        }
        for link in sorted(_LINKS.values(), key=lambda link: (link.order, link.key))
        if link.applies(delegation)
    ]
