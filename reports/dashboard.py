"""The organizers' dashboard: the admin index shows the figures every app
contributes to ``hanoi_event.dashboard`` (in registration order, grouped),
each linking to the filtered admin list behind it, and their charts
(Chart.js, vendored). This module names no app: an app that registers a
contribution in its ``ready()`` appears here."""

from __future__ import annotations

from typing import Any

from hanoi_event.dashboard import dashboard_figures
from hanoi_event.selectors import current_event

# Who sees the figures: staff who may see the delegations.
DASHBOARD_PERMISSION = "delegations.view_delegation"


def dashboard_groups(event) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The figures grouped as registered, and the charts."""
    groups: list[dict[str, Any]] = []
    charts: list[dict[str, Any]] = []
    for figure in dashboard_figures(event):
        title = str(figure.group)
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "figures": []})
        groups[-1]["figures"].append(figure)
        if figure.chart:
            data = (
                figure.chart["datasets"][0]["data"] if figure.chart["datasets"] else []
            )
            charts.append(
                {
                    "id": f"chart-{len(charts)}",
                    "title": title,
                    "rows": list(zip(figure.chart["labels"], data, strict=False)),
                    **figure.chart,
                }
            )
    return groups, charts


def dashboard_callback(request, context):
    """unfold's DASHBOARD_CALLBACK: adds ``dashboard`` to the index's context."""
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        return context
    event = current_event()
    groups, charts = dashboard_groups(event)
    context["dashboard"] = {"event": event, "groups": groups, "charts": charts}
    return context
