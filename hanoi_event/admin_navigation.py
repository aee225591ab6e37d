"""The admin's sidebar, grouped by what organizers do (unfold's
``SIDEBAR["navigation"]`` names ``sidebar_navigation``).

Apps declare their section from ``AppConfig.ready()``::

    register_admin_section(
        _("Delegations and people"), order=10,
        models=("delegations.delegation", "delegations.participant"),
    )

A registered admin whose model no section names gets a section of its own
app's name; the technical apps (accounts, two-factor, Django's users and
groups, celery beat's schedules) and anything named in the "Settings" section
come last, under "Settings". Each link is shown only to staff who may view
its list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Apps that are plumbing, not the event: always under "Settings".
TECHNICAL_APPS = frozenset(
    {"account", "auth", "django_celery_beat", "mfa", "socialaccount", "sites"}
)
SETTINGS_ORDER = 1000


@dataclass
class Section:
    title: Any
    order: int
    models: list[str] = field(default_factory=list)


_SECTIONS: dict[str, Section] = {}


def register_admin_section(title, *, order: int, models: tuple[str, ...]) -> None:
    """Put ``models`` ("app_label.model_name") under the section ``title``
    (sections sort by ``order``; the same title again adds models)."""
    section = _SECTIONS.setdefault(str(title), Section(title=title, order=order))
    for label in models:
        if label.lower() not in section.models:
            section.models.append(label.lower())


def _item(request, model, model_admin) -> dict | None:
    if not model_admin.has_view_or_change_permission(request):
        return None
    opts = model._meta
    try:
        link = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    except NoReverseMatch:
        return None
    return {"title": capfirst(opts.verbose_name_plural), "link": link}


def sidebar_navigation(request) -> list[dict[str, Any]]:
    """The sidebar for ``request.user``: sections with the lists they may see."""
    placed = {
        label: section for section in _SECTIONS.values() for label in section.models
    }
    groups: dict[str, dict[str, Any]] = {}

    def group(title, order) -> dict[str, Any]:
        return groups.setdefault(
            str(title), {"title": title, "order": order, "items": []}
        )

    settings_title = _("Settings")
    for model, model_admin in admin.site._registry.items():
        item = _item(request, model, model_admin)
        if item is None:
            continue
        opts = model._meta
        section = placed.get(opts.label_lower)
        if section is not None:
            target = group(section.title, section.order)
        elif opts.app_label in TECHNICAL_APPS:
            target = group(settings_title, SETTINGS_ORDER)
        else:
            app = opts.app_config
            target = group(capfirst(app.verbose_name), SETTINGS_ORDER - 1)
        target["items"].append(item)
    result = []
    for entry in sorted(groups.values(), key=lambda g: (g["order"], str(g["title"]))):
        section = _SECTIONS.get(str(entry["title"]))
        if section is not None:
            # The order the section declares its models in.
            rank = {
                reverse(f"admin:{label.replace('.', '_')}_changelist"): i
                for i, label in enumerate(section.models)
                if _has_changelist(label)
            }
            entry["items"].sort(key=lambda item: rank.get(item["link"], len(rank)))
        else:
            entry["items"].sort(key=lambda item: str(item["title"]))
        result.append(
            {"title": entry["title"], "collapsible": False, "items": entry["items"]}
        )
    return result


def _has_changelist(label: str) -> bool:
    try:
        reverse(f"admin:{label.replace('.', '_')}_changelist")
    except NoReverseMatch:
        return False
    return True
