"""Reference data: the UN Member States, the observer States and well-known
organisations, loaded into ``Organisation`` from the CSV files in
``delegations/data/``.

The files are the source of truth for the columns they hold; any other column
an organizer filled in (a State's website, for instance) is left alone, and so
are rows that are not in the files (organisations added by hand are never
deleted).
"""

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .enums import STATE_KINDS, OrganisationKind
from .models import Organisation

DATA_DIR = Path(__file__).resolve().parent / "data"
STATES_CSV = DATA_DIR / "un_states.csv"
ORGANISATIONS_CSV = DATA_DIR / "organisations.csv"

# The columns each file holds, which are also the fields the load manages.
STATE_FIELDS = ("name", "kind", "iso2", "iso3", "regional_group")
ORGANISATION_FIELDS = ("name", "acronym", "kind", "website")

_STATE_KIND_VALUES = frozenset(kind.value for kind in STATE_KINDS)
_CODE_LENGTHS = {"iso2": 2, "iso3": 3}


@dataclass(frozen=True)
class ReferenceDataResult:
    """How many rows the load created, updated and left as they were."""

    states_created: int
    states_updated: int
    states_unchanged: int
    organisations_created: int
    organisations_updated: int
    organisations_unchanged: int

    @property
    def summary(self) -> str:
        return gettext(
            "States: created %(states_created)d, updated %(states_updated)d, "
            "unchanged %(states_unchanged)d; organisations: created "
            "%(organisations_created)d, updated %(organisations_updated)d, "
            "unchanged %(organisations_unchanged)d."
        ) % {
            "states_created": self.states_created,
            "states_updated": self.states_updated,
            "states_unchanged": self.states_unchanged,
            "organisations_created": self.organisations_created,
            "organisations_updated": self.organisations_updated,
            "organisations_unchanged": self.organisations_unchanged,
        }


@dataclass
class _Row:
    """One data line: where it came from and the field values it sets."""

    source: str
    values: dict[str, str | None]

    @property
    def label(self) -> str:
        return f"{self.source} ({self.values.get('name') or '?'})"


@dataclass
class _Plan:
    created: list[tuple[_Row, Organisation]]
    updated: list[tuple[_Row, Organisation]]
    unchanged: int
    changed_fields: set[str]


def reference_data_load(
    *, states_csv: Path = STATES_CSV, organisations_csv: Path = ORGANISATIONS_CSV
) -> ReferenceDataResult:
    """Create or update the States and organisations listed in the data files.

    States are matched by ISO alpha-3 code (then by name, for a row entered by
    hand with wrong codes), other organisations by name. A row that differs
    from the file in a managed field is updated; rows not in the files are not
    touched. Idempotent: a second run writes nothing.

    Every new or changed row is validated as ``full_clean()`` would (field
    validation, ``clean()``, the check constraints, and uniqueness against
    every row in the table) without one query per row: the table is read once.
    Any error raises ``ValidationError`` listing every bad line, and nothing is
    written. One transaction.
    """
    state_rows = _read_rows(states_csv, STATE_FIELDS)
    organisation_rows = _read_rows(organisations_csv, ORGANISATION_FIELDS)
    errors = _kind_errors(state_rows, states=True)
    errors += _kind_errors(organisation_rows, states=False)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        existing = list(Organisation.objects.all())
        states, organisations = _plan(existing, state_rows, organisation_rows)
        errors = _validate(states) + _validate(organisations)
        new_objects = [obj for _row, obj in states.created + organisations.created]
        errors += _uniqueness_errors(existing + new_objects, states, organisations)
        if errors:
            raise ValidationError(errors)

        # Updates first, so that a name or code a renamed row gives up is free
        # for a new row.
        changed_objects = [obj for _row, obj in states.updated + organisations.updated]
        changed_fields = sorted(states.changed_fields | organisations.changed_fields)
        if changed_objects:
            Organisation.objects.bulk_update(changed_objects, changed_fields)
        if new_objects:
            Organisation.objects.bulk_create(new_objects)

    return ReferenceDataResult(
        states_created=len(states.created),
        states_updated=len(states.updated),
        states_unchanged=states.unchanged,
        organisations_created=len(organisations.created),
        organisations_updated=len(organisations.updated),
        organisations_unchanged=organisations.unchanged,
    )


def _read_rows(path: Path, fields: tuple[str, ...]) -> list[_Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != fields:
            raise ValidationError(
                _("%(file)s: the header must be %(expected)s, not %(found)s."),
                params={
                    "file": path.name,
                    "expected": ",".join(fields),
                    "found": ",".join(reader.fieldnames or ()),
                },
            )
        rows = []
        for record in reader:
            values: dict[str, str | None] = {
                field: (record[field] or "").strip() for field in fields
            }
            for code in _CODE_LENGTHS:
                if code in values:
                    # Blank codes are stored as NULL, as Organisation.clean() does.
                    values[code] = (values[code] or "").upper() or None
            rows.append(_Row(f"{path.name} line {reader.line_num}", values))
    return rows


def _kind_errors(rows: Iterable[_Row], *, states: bool) -> list[str]:
    errors = []
    for row in rows:
        kind = row.values["kind"]
        if kind not in OrganisationKind.values:
            continue  # full_clean() reports an unknown kind.
        if (kind in _STATE_KIND_VALUES) != states:
            errors.append(
                gettext("%(row)s: kind %(kind)s does not belong in this file.")
                % {"row": row.label, "kind": kind}
            )
    return errors


def _plan(
    existing: list[Organisation],
    state_rows: list[_Row],
    organisation_rows: list[_Row],
) -> tuple[_Plan, _Plan]:
    """Pair every data row with its existing row (or a new one) and apply the
    file's values to it in memory."""
    by_iso3 = {obj.iso3: obj for obj in existing if obj.iso3}
    by_name = {obj.name: obj for obj in existing}
    claimed: set[int] = set()
    matches: dict[int, Organisation | None] = {}

    # An ISO code match wins over a name match: a State renamed by the UN
    # ("Turkey" to "Türkiye") keeps its row and everything that points to it.
    for index, row in enumerate(state_rows):
        obj = by_iso3.get(row.values["iso3"])
        if obj is not None and obj.pk not in claimed:
            claimed.add(obj.pk)
            matches[index] = obj
    for index, row in enumerate(state_rows):
        if index not in matches:
            matches[index] = _claim(by_name.get(row.values["name"]), claimed)
    states = _apply(state_rows, [matches[index] for index in range(len(state_rows))])

    organisation_matches = [
        _claim(by_name.get(row.values["name"]), claimed) for row in organisation_rows
    ]
    organisations = _apply(organisation_rows, organisation_matches)
    return states, organisations


def _claim(obj: Organisation | None, claimed: set[int]) -> Organisation | None:
    # A row already taken by another data line is being renamed away; this
    # line gets a new row (the uniqueness check catches any real clash).
    if obj is None or obj.pk in claimed:
        return None
    claimed.add(obj.pk)
    return obj


def _apply(rows: list[_Row], matches: list[Organisation | None]) -> _Plan:
    plan = _Plan(created=[], updated=[], unchanged=0, changed_fields=set())
    for row, obj in zip(rows, matches, strict=True):
        if obj is None:
            plan.created.append((row, Organisation(**row.values)))
            continue
        changed = [
            field for field, value in row.values.items() if getattr(obj, field) != value
        ]
        if not changed:
            plan.unchanged += 1
            continue
        for field in changed:
            setattr(obj, field, row.values[field])
        plan.updated.append((row, obj))
        plan.changed_fields.update(changed)
    return plan


def _validate(plan: _Plan) -> list[str]:
    """Field validation and clean() of every new or changed row, and the
    model's check constraints, evaluated in Python (the database ones would
    cost a query per row)."""
    errors = []
    for row, obj in plan.created + plan.updated:
        messages: list[str] = []
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            messages.extend(
                f"{field}: {message}"
                for field, field_messages in exc.message_dict.items()
                for message in field_messages
            )
        for code, length in _CODE_LENGTHS.items():
            value = getattr(obj, code)
            if value is not None and not (
                len(value) == length
                and value.isascii()
                and value.isalpha()
                and value.isupper()
            ):
                messages.append(
                    gettext("%(field)s: %(value)r is not %(length)d capital letters.")
                    % {"field": code, "value": value, "length": length}
                )
        if obj.kind == OrganisationKind.MEMBER_STATE and not obj.regional_group:
            messages.append(
                gettext("regional_group: a Member State needs its UN regional group.")
            )
        if obj.kind not in _STATE_KIND_VALUES and obj.regional_group:
            messages.append(
                gettext("regional_group: only a State has a UN regional group.")
            )
        errors.extend(f"{row.label}: {message}" for message in messages)
    return errors


def _uniqueness_errors(final_rows: list[Organisation], *plans: _Plan) -> list[str]:
    """Every unique field checked over the table as it will be after the
    load: existing rows (with this load's updates applied) and new rows."""
    labels = {id(obj): row.label for plan in plans for row, obj in plan.created}
    labels.update({id(obj): row.label for plan in plans for row, obj in plan.updated})
    errors = []
    for field in ("name", "iso2", "iso3"):
        counts = Counter(
            getattr(obj, field) for obj in final_rows if getattr(obj, field)
        )
        for value, count in counts.items():
            if count < 2:
                continue
            holders = [
                labels.get(
                    id(obj), gettext("existing row %(name)s") % {"name": obj.name}
                )
                for obj in final_rows
                if getattr(obj, field) == value
            ]
            errors.append(
                gettext("%(field)s %(value)r is used by more than one row: %(rows)s.")
                % {"field": field, "value": value, "rows": "; ".join(holders)}
            )
    return errors
