"""States and organisations by what missions write."""

import pytest

from delegations.models import Organisation
from delegations.resources.countries import OrganisationIndex


@pytest.fixture
def index(reference):
    Organisation.objects.create(name="Cyber Peace Institute", kind="ngo", acronym="CPI")
    return OrganisationIndex.load()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Congo", "Congo"),
        ("Republic of the Congo", "Congo"),
        ("Congo-Brazzaville", "Congo"),
        ("DR Congo", "Democratic Republic of the Congo"),
        ("Congo (Kinshasa)", "Democratic Republic of the Congo"),
        ("Congo, The Democratic Republic of the", "Democratic Republic of the Congo"),
        ("Iran", "Iran (Islamic Republic of)"),
        ("Iran, Islamic Republic of", "Iran (Islamic Republic of)"),
        ("Bolivia", "Bolivia (Plurinational State of)"),
        ("Tanzania, United Republic of", "United Republic of Tanzania"),
        ("Gambia, The", "Gambia"),
        ("The Bahamas", "Bahamas"),
        ("Netherlands", "Netherlands (Kingdom of the)"),
        ("UK", "United Kingdom of Great Britain and Northern Ireland"),
        ("U.S.A.", "United States of America"),
        ("Lao PDR", "Lao People's Democratic Republic"),
        ("Lao People’s Democratic Republic", "Lao People's Democratic Republic"),
        ("Palestine", "State of Palestine"),
        ("Holy See (Vatican City State)", "Holy See"),
        ("Guinea Bissau", "Guinea-Bissau"),
        ("São Tomé and Príncipe", "Sao Tome and Principe"),
        ("UNODC", "United Nations Office on Drugs and Crime"),
        ("cpi", "Cyber Peace Institute"),
        ("cyber peace institute", "Cyber Peace Institute"),
    ],
)
def test_found(index, written, expected):
    match = index.find(written)

    assert match.organisation_id is not None, written
    assert index.name(match.organisation_id) == expected


@pytest.mark.parametrize("written", ["Korea", "Narnia", "", "XX", "Republic"])
def test_not_found_or_ambiguous(index, written):
    match = index.find(written)

    assert match.organisation_id is None
    assert match.ambiguous is (written == "Korea")
