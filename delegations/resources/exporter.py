"""The lists that can be exported, each with its django-import-export
resource, the permission it needs beyond viewing the records, and how its
rows are read. Apps above delegations register theirs (programme items)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from import_export.resources import ModelResource


@dataclass(frozen=True)
class Exporter:
    kind: str
    verbose_name: str
    model: type
    # resource(user) -> the resource to export with (it may depend on what
    # the user may see, such as passport data)
    resource: Callable[..., ModelResource]
    permissions: tuple[str, ...] = ()
    file_stem: str = ""
    # True: the resource orders the rows itself (else the caller's order).
    own_order: bool = False

    def allowed(self, user) -> bool:
        return all(user.has_perm(p) for p in self.permissions)

    def rows(
        self, queryset: QuerySet, user, *, order: list | None = None
    ) -> list[list]:
        """The header row and one row per record (queries: a fixed number,
        whatever the number of records), in the queryset's order or, given
        ``order`` (primary keys), in that one."""
        resource = self.resource(user)
        records = resource.queryset(queryset)
        if order is not None and not self.own_order:
            position = {pk: i for i, pk in enumerate(order)}
            records = sorted(records, key=lambda record: position.get(record.pk, 0))
        dataset = resource.export(queryset=records)
        return [list(dataset.headers), *(list(row) for row in dataset)]


_EXPORTERS: dict[str, Exporter] = {}


def register_exporter(exporter: Exporter) -> Exporter:
    _EXPORTERS[exporter.kind] = exporter
    return exporter


def exporter_for(kind: str) -> Exporter:
    try:
        return _EXPORTERS[kind]
    except KeyError:
        raise LookupError(f"no exporter for {kind!r}") from None


def exporters_for_model(model: type) -> list[Exporter]:
    return [e for e in _EXPORTERS.values() if e.model is model]
