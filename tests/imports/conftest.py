"""Fixtures and file builders of the import and export tests: the event has
delegations of Viet Nam, Türkiye, Côte d'Ivoire, the Republic of Korea and
France (real States, from the reference data), and a quota of one Head of
Delegation and two Security officers."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from delegations.enums import DelegationRole
from delegations.models import DelegationRoleQuota, Organisation, Participant
from delegations.services.imports import import_file
from tests.factories import DelegationFactory

HEADER = ["Email", "Delegation", "Given names", "Family name", "Role"]


@pytest.fixture
def reference(db):
    call_command("load_reference_data", stdout=io.StringIO())


@pytest.fixture
def delegations(reference, event):
    found = {}
    for iso3 in ("VNM", "TUR", "CIV", "KOR", "FRA"):
        found[iso3] = DelegationFactory(
            event=event, organisation=Organisation.objects.get(iso3=iso3)
        )
    DelegationRoleQuota.objects.create(
        event=event, role=DelegationRole.HEAD, max_count=1
    )
    DelegationRoleQuota.objects.create(
        event=event, role=DelegationRole.SECURITY, max_count=2
    )
    return found


def csv_bytes(
    rows: list[list],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    bom: bool = False,
) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = buffer.getvalue()
    data = text.encode(encoding)
    if bom and encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    return data


def xlsx_bytes(rows: list[list], *, sheets: int = 1) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Members"
    for row in rows:
        sheet.append(row)
    for n in range(1, sheets):
        workbook.create_sheet(f"Other {n}").append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(event, data: bytes, *, dry_run: bool = False, name: str = "list.csv", **kw):
    """import_file for participants; returns the report."""
    _log, report = import_file(
        kind="participants",
        data=data,
        file_name=name,
        event=event,
        dry_run=dry_run,
        **kw,
    )
    return report


def problems(report) -> list[tuple]:
    """(row, column, value, code) of every problem, in order."""
    return [(p.row, p.column, p.value, p.code) for p in report.problems]


def people(event) -> list[tuple]:
    return sorted(
        Participant.objects.filter(event=event).values_list(
            "email", "delegation__organisation__iso3", "given_names", "family_name"
        )
    )
