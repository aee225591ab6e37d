"""Property tests (hypothesis): whatever the cells or the bytes, an import
never fails with a server error and never writes part of a file: either the
whole file is good and every good row is written, or nothing changes."""

import io

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from delegations.models import Participant
from tests.factories import VerifiedUserFactory
from tests.imports.conftest import csv_bytes, run, xlsx_bytes

HEADER = [
    "Email",
    "Delegation",
    "Given names",
    "Family name",
    "Role",
    "Date of birth",
    "Arrival",
    "Visa letter",
    "Passport expiry",
]
PLAUSIBLE = [
    "VNM",
    "Vietnam",
    "Turkey",
    "Côte d’Ivoire",
    "Korea",
    "",
    " ",
    "=1+1",
    "'=SUM(A1)",
    "2025-10-25",
    "31/12/2030",
    "1980-02-30",
    "yes",
    "no",
    "Head of Delegation",
    "Security",
    "Delegate",
    "x" * 300,
    "Nguyễn",
    "محمد",
    "王",
]
EMAILS = [f"p{i}@example.org" for i in range(6)] + ["P1@Example.org ", "bad@"]

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
cell = st.one_of(text, st.sampled_from(PLAUSIBLE))
row = st.tuples(st.sampled_from(EMAILS) | text, *[cell] * (len(HEADER) - 1)).map(list)
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _snapshot(event):
    return sorted(
        Participant.objects.filter(event=event).values_list(
            "email",
            "delegation_id",
            "given_names",
            "family_name",
            "role",
            "date_of_birth",
            "arrival_at",
            "needs_visa_letter",
            "passport_expiry",
            "status",
        )
    )


def _encode(rows, fmt: str) -> bytes:
    if fmt == "xlsx":
        return xlsx_bytes([[ILLEGAL_CHARACTERS_RE.sub("", c) for c in r] for r in rows])
    if fmt == "utf16":
        return csv_bytes(rows, delimiter="\t", encoding="utf-16")
    return csv_bytes(rows, delimiter=fmt, bom=fmt == ";")


@SETTINGS
@given(
    rows=st.lists(row, min_size=1, max_size=6),
    fmt=st.sampled_from([",", ";", "utf16", "xlsx"]),
)
def test_random_cells_all_or_nothing(delegations, event, rows, fmt):
    before = _snapshot(event)

    report = run(event, _encode([HEADER, *rows], fmt))

    after = _snapshot(event)
    if report.ok:
        assert len(after) - len(before) == report.created
        assert report.created + report.updated + report.unchanged == report.total_rows
    else:
        assert report.error_count > 0
        assert after == before


@SETTINGS
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=600).map(lambda b: b"\xef\xbb\xbfEmail,Delegation\n" + b),
        st.binary(max_size=600).map(lambda b: b"\xff\xfe" + b),
        text.map(lambda t: ("Email;Country;Surname;First name\n" + t).encode()),
    )
)
def test_random_bytes_never_fail_and_never_write(client, delegations, event, data):
    before = _snapshot(event)

    report = run(event, data)

    assert not report.ok
    assert _snapshot(event) == before


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_uploads_in_the_portal_answer_without_a_server_error(
    client, delegations, event, data
):
    user = VerifiedUserFactory()
    delegation = delegations["VNM"]
    delegation.focal_point = user
    delegation.save()
    client.force_login(user)
    upload = io.BytesIO(data)
    upload.name = "random.csv"

    response = client.post(
        reverse("portal:delegation_import", args=[delegation.pk]), {"file": upload}
    )
    page = client.get(response["Location"]) if response.status_code == 302 else response

    # 400: the form again (an empty file); 302: to the check's report.
    assert response.status_code in (302, 400)
    assert page.status_code in (200, 400)
    assert Participant.objects.count() == 0
