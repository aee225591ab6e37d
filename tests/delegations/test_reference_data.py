from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count

from delegations.enums import OrganisationKind, RegionalGroup
from delegations.models import Organisation
from delegations.reference_data import (
    ORGANISATIONS_CSV,
    STATES_CSV,
    ReferenceDataResult,
    reference_data_load,
)
from tests.factories import DelegationFactory, OrganisationFactory, StateFactory

ORGANISATION_COUNT = 23
FIRST_RUN_SUMMARY = (
    "States: created 195, updated 0, unchanged 0; "
    "organisations: created 23, updated 0, unchanged 0."
)
SECOND_RUN_SUMMARY = (
    "States: created 0, updated 0, unchanged 195; "
    "organisations: created 0, updated 0, unchanged 23."
)
FIELDS = ("id", "name", "kind", "iso2", "iso3", "regional_group", "acronym", "website")


def load() -> str:
    out = StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


def all_rows() -> list[tuple]:
    return list(Organisation.objects.order_by("id").values_list(*FIELDS))


def test_load_creates_193_member_states_2_observer_states_and_organisations(db):
    assert load() == FIRST_RUN_SUMMARY + "\n"

    kinds = dict(
        Organisation.objects.values_list("kind").annotate(n=Count("id")).order_by()
    )
    assert kinds == {
        OrganisationKind.MEMBER_STATE: 193,
        OrganisationKind.OBSERVER_STATE: 2,
        OrganisationKind.UN_ENTITY: 11,
        OrganisationKind.IGO: 12,
    }


def test_member_states_per_un_regional_group(db):
    load()

    groups = dict(
        Organisation.objects.filter(kind=OrganisationKind.MEMBER_STATE)
        .values_list("regional_group")
        .annotate(n=Count("id"))
        .order_by()
    )
    assert groups == {
        RegionalGroup.AFRICAN: 54,
        RegionalGroup.ASIA_PACIFIC: 54,
        RegionalGroup.EASTERN_EUROPEAN: 23,
        RegionalGroup.GRULAC: 33,
        RegionalGroup.WEOG: 29,
    }


@pytest.mark.parametrize(
    ("iso3", "name", "iso2", "regional_group"),
    [
        ("CIV", "Côte d'Ivoire", "CI", RegionalGroup.AFRICAN),
        ("TUR", "Türkiye", "TR", RegionalGroup.WEOG),
        ("VNM", "Viet Nam", "VN", RegionalGroup.ASIA_PACIFIC),
        ("USA", "United States of America", "US", RegionalGroup.WEOG),
        ("ISR", "Israel", "IL", RegionalGroup.WEOG),
        ("CYP", "Cyprus", "CY", RegionalGroup.ASIA_PACIFIC),
        ("KIR", "Kiribati", "KI", RegionalGroup.ASIA_PACIFIC),
        ("NLD", "Netherlands (Kingdom of the)", "NL", RegionalGroup.WEOG),
        ("PRK", "Democratic People's Republic of Korea", "KP", "asia_pacific"),
        ("KOR", "Republic of Korea", "KR", RegionalGroup.ASIA_PACIFIC),
        ("COG", "Congo", "CG", RegionalGroup.AFRICAN),
        ("COD", "Democratic Republic of the Congo", "CD", RegionalGroup.AFRICAN),
        ("MDA", "Republic of Moldova", "MD", RegionalGroup.EASTERN_EUROPEAN),
        ("BOL", "Bolivia (Plurinational State of)", "BO", RegionalGroup.GRULAC),
        (
            "GBR",
            "United Kingdom of Great Britain and Northern Ireland",
            "GB",
            RegionalGroup.WEOG,
        ),
    ],
)
def test_member_states_have_un_names_iso_codes_and_group(
    db, iso3, name, iso2, regional_group
):
    load()

    state = Organisation.objects.get(iso3=iso3)
    assert (state.name, state.iso2, state.kind, state.regional_group) == (
        name,
        iso2,
        OrganisationKind.MEMBER_STATE,
        regional_group,
    )


def test_cote_d_ivoire_uses_the_straight_apostrophe(db):
    load()

    assert Organisation.objects.get(iso3="CIV").name == "C\u00f4te d\u0027Ivoire"
    assert not Organisation.objects.filter(name__contains="\u2019").exists()


def test_observer_states_have_codes_and_no_regional_group(db):
    load()

    observers = list(
        Organisation.objects.filter(kind=OrganisationKind.OBSERVER_STATE)
        .order_by("name")
        .values_list("name", "iso2", "iso3", "regional_group")
    )
    assert observers == [
        ("Holy See", "VA", "VAT", ""),
        ("State of Palestine", "PS", "PSE", ""),
    ]


def test_well_known_organisations_are_loaded_with_acronyms_and_kinds(db):
    load()

    by_acronym = dict(
        Organisation.objects.exclude(acronym="").values_list("acronym", "kind")
    )
    un, igo = OrganisationKind.UN_ENTITY, OrganisationKind.IGO
    assert {
        acronym: by_acronym.get(acronym)
        for acronym in (
            "UNODC", "UNDP", "OHCHR", "ITU", "UNICRI", "INTERPOL", "CoE",
            "EU", "AU", "ASEAN", "ASEANAPOL", "OSCE", "OAS",
        )
    } == {
        "UNODC": un, "UNDP": un, "OHCHR": un, "ITU": un, "UNICRI": un,
        "INTERPOL": igo, "CoE": igo, "EU": igo, "AU": igo, "ASEAN": igo,
        "ASEANAPOL": igo, "OSCE": igo, "OAS": igo,
    }  # fmt: skip
    assert Organisation.objects.get(acronym="UNODC").name == (
        "United Nations Office on Drugs and Crime"
    )


def test_every_loaded_row_passes_full_clean_including_database_checks(db):
    load()

    # The loader validates in memory; this runs the real thing on every row.
    for organisation in Organisation.objects.all():
        organisation.full_clean()


def test_second_run_creates_and_updates_nothing(db):
    first = reference_data_load()
    before = all_rows()

    second = reference_data_load()

    assert first == ReferenceDataResult(195, 0, 0, ORGANISATION_COUNT, 0, 0)
    assert second == ReferenceDataResult(0, 0, 195, 0, 0, ORGANISATION_COUNT)
    assert all_rows() == before
    assert load() == SECOND_RUN_SUMMARY + "\n"


def test_second_run_reads_the_table_once_and_writes_nothing(
    db, django_assert_num_queries
):
    reference_data_load()

    # SAVEPOINT, one SELECT, RELEASE SAVEPOINT.
    with django_assert_num_queries(3) as context:
        reference_data_load()
    statements = [query["sql"].split()[0] for query in context.captured_queries]
    assert statements == ["SAVEPOINT", "SELECT", "RELEASE"]


def test_first_run_inserts_every_row_in_one_statement(db, django_assert_num_queries):
    with django_assert_num_queries(4) as context:
        reference_data_load()
    statements = [query["sql"].split()[0] for query in context.captured_queries]
    assert statements == ["SAVEPOINT", "SELECT", "INSERT", "RELEASE"]


def test_changed_rows_are_restored_and_counted_as_updated(db):
    load()
    viet_nam = Organisation.objects.get(iso3="VNM")
    Organisation.objects.filter(pk=viet_nam.pk).update(
        name="Vietnam", regional_group=RegionalGroup.WEOG
    )
    Organisation.objects.filter(iso3="TUR").update(name="Turkey")
    Organisation.objects.filter(acronym="UNODC").update(
        kind=OrganisationKind.NGO, website="https://example.org"
    )
    before = all_rows()

    result = reference_data_load()

    assert result == ReferenceDataResult(0, 2, 193, 0, 1, ORGANISATION_COUNT - 1)
    viet_nam.refresh_from_db()
    assert (viet_nam.name, viet_nam.iso2, viet_nam.regional_group) == (
        "Viet Nam",
        "VN",
        RegionalGroup.ASIA_PACIFIC,
    )
    assert Organisation.objects.get(iso3="TUR").name == "Türkiye"
    unodc = Organisation.objects.get(acronym="UNODC")
    assert (unodc.kind, unodc.website) == (
        OrganisationKind.UN_ENTITY,
        "https://www.unodc.org",
    )
    # Same rows (same ids), nothing added.
    assert [row[0] for row in all_rows()] == [row[0] for row in before]


def test_renamed_state_keeps_its_row_and_its_delegations(db):
    turkey = StateFactory(
        name="Turkey", iso2="TR", iso3="TUR", regional_group=RegionalGroup.WEOG
    )
    delegation = DelegationFactory(organisation=turkey)

    result = reference_data_load()

    assert (result.states_created, result.states_updated) == (194, 1)
    delegation.refresh_from_db()
    assert delegation.organisation_id == turkey.pk
    assert delegation.organisation.name == "Türkiye"


def test_state_entered_by_hand_with_wrong_codes_is_matched_by_name(db):
    by_hand = StateFactory(name="Viet Nam", iso2="XV", iso3="XVN")

    result = reference_data_load()

    assert (result.states_created, result.states_updated) == (194, 1)
    by_hand.refresh_from_db()
    assert (by_hand.iso2, by_hand.iso3, by_hand.regional_group) == (
        "VN",
        "VNM",
        RegionalGroup.ASIA_PACIFIC,
    )
    assert Organisation.objects.filter(kind__in=["member_state"]).count() == 193


def test_fields_not_in_the_files_and_rows_not_in_the_files_are_left_alone(db):
    load()
    Organisation.objects.filter(iso3="VNM").update(
        website="https://www.mofa.gov.vn", acronym="VN"
    )
    ngo = OrganisationFactory(name="Cyber Peace Institute", acronym="CPI")

    result = reference_data_load()

    assert result == ReferenceDataResult(0, 0, 195, 0, 0, ORGANISATION_COUNT)
    assert Organisation.objects.filter(iso3="VNM").values_list(
        "website", "acronym"
    ).get() == ("https://www.mofa.gov.vn", "VN")
    assert Organisation.objects.get(pk=ngo.pk).name == "Cyber Peace Institute"


def test_name_taken_by_another_row_is_refused_and_nothing_is_written(db):
    OrganisationFactory(name="Viet Nam", kind=OrganisationKind.NGO)
    StateFactory(name="Vietnam", iso2="VN", iso3="VNM")
    before = all_rows()

    with pytest.raises(ValidationError) as excinfo:
        reference_data_load()

    assert excinfo.value.messages == [
        "name 'Viet Nam' is used by more than one row: existing row Viet Nam; "
        "un_states.csv line 191 (Viet Nam)."
    ]
    assert all_rows() == before


def test_invalid_line_in_a_data_file_is_named_and_nothing_is_loaded(db, tmp_path):
    states = tmp_path / "states.csv"
    states.write_text(
        STATES_CSV.read_text(encoding="utf-8").replace(
            "Viet Nam,member_state,VN,VNM,asia_pacific",
            "Viet Nam,member_state,vn1,VNM,southeast_asia",
        ),
        encoding="utf-8",
    )

    with pytest.raises(ValidationError) as excinfo:
        reference_data_load(states_csv=states, organisations_csv=ORGANISATIONS_CSV)

    assert excinfo.value.messages == [
        "states.csv line 191 (Viet Nam): iso2: Ensure this value has at most "
        "2 characters (it has 3).",
        "states.csv line 191 (Viet Nam): regional_group: Value 'southeast_asia' "
        "is not a valid choice.",
        "states.csv line 191 (Viet Nam): iso2: 'VN1' is not 2 capital letters.",
    ]
    assert Organisation.objects.count() == 0


def test_organisation_with_a_state_kind_is_refused(db, tmp_path):
    organisations = tmp_path / "organisations.csv"
    organisations.write_text(
        "name,acronym,kind,website\nUtopia,,member_state,\n", encoding="utf-8"
    )

    with pytest.raises(ValidationError) as excinfo:
        reference_data_load(organisations_csv=organisations)

    assert excinfo.value.messages == [
        "organisations.csv line 2 (Utopia): kind member_state does not belong "
        "in this file."
    ]
    assert Organisation.objects.count() == 0


def test_data_file_with_a_wrong_header_is_refused(db, tmp_path):
    organisations = tmp_path / "organisations.csv"
    organisations.write_text("name,kind\nUNODC,un_entity\n", encoding="utf-8")

    with pytest.raises(ValidationError) as excinfo:
        reference_data_load(organisations_csv=organisations)

    assert excinfo.value.messages == [
        "organisations.csv: the header must be name,acronym,kind,website, "
        "not name,kind."
    ]


def test_command_reports_errors_without_a_traceback(db):
    OrganisationFactory(name="Viet Nam", kind=OrganisationKind.NGO)
    StateFactory(name="Vietnam", iso2="VN", iso3="VNM")

    with pytest.raises(CommandError) as excinfo:
        load()

    assert str(excinfo.value) == (
        "name 'Viet Nam' is used by more than one row: existing row Viet Nam; "
        "un_states.csv line 191 (Viet Nam)."
    )
