"""The List of Participants: order, consent, provisional and final, every
script in the PDF."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from delegations.enums import (
    DelegationRole,
    Honorific,
    OrganisationKind,
    ParticipantStatus,
    ProtocolRank,
)
from protocol.pdf import visual
from reports.pdf import list_of_participants_pdf
from reports.selectors import list_of_participants
from tests.factories import (
    DelegationFactory,
    EventFactory,
    OrganisationFactory,
    ParticipantFactory,
    StateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def person(
    delegation,
    given,
    family,
    *,
    role=DelegationRole.DELEGATE,
    rank=ProtocolRank.OFFICIAL,
    consent=True,
    status=ParticipantStatus.APPROVED,
    honorific="",
    function="",
):
    return ParticipantFactory(
        delegation=delegation,
        given_names=given,
        family_name=family,
        role=role,
        protocol_rank=rank,
        consent_list_of_participants=consent,
        status=status,
        honorific=honorific,
        function_title=function,
    )


@pytest.fixture
def fixture_event():
    event = EventFactory(is_current=True)

    def delegation(name, kind=OrganisationKind.MEMBER_STATE):
        if kind in (OrganisationKind.MEMBER_STATE, OrganisationKind.OBSERVER_STATE):
            organisation = StateFactory(name=name, kind=kind)
        else:
            organisation = OrganisationFactory(name=name, kind=kind)
        return DelegationFactory(event=event, organisation=organisation)

    viet_nam = delegation("Viet Nam")
    person(viet_nam, "Văn An", "Trần", function="Deputy Minister")
    person(
        viet_nam,
        "Thị Lan",
        "Nguyễn",
        role=DelegationRole.HEAD,
        rank=ProtocolRank.MINISTER,
        honorific=Honorific.HE_MS,
        function="Minister of Public Security",
    )
    person(viet_nam, "Hidden", "Person", consent=False)
    person(
        viet_nam,
        "Senior",
        "Adviser",
        role=DelegationRole.ADVISER,
        rank=ProtocolRank.SENIOR_OFFICIAL,
    )
    person(
        viet_nam,
        "Alternate",
        "Ambassador",
        role=DelegationRole.ALTERNATE,
        rank=ProtocolRank.AMBASSADOR,
        honorific=Honorific.HE_MR,
    )
    ivory = delegation("Côte d'Ivoire")
    person(ivory, "Awa", "Koné", status=ParticipantStatus.SUBMITTED)
    person(ivory, "Yao", "Kouassi")
    egypt = delegation("Egypt")
    person(egypt, "أحمد", "محمد", function="سفير")
    china = delegation("China")
    person(china, "伟", "王")
    person(delegation("Holy See", OrganisationKind.OBSERVER_STATE), "Paolo", "Rossi")
    person(delegation("UNODC", OrganisationKind.UN_ENTITY), "Ghada", "Waly")
    person(delegation("INTERPOL", OrganisationKind.IGO), "Jürgen", "Stock")
    person(delegation("Zeta NGO", OrganisationKind.NGO), "Nora", "Ngo")
    person(delegation("Academia Vietnam", OrganisationKind.ACADEMIA), "Minh", "Le")
    person(
        delegation("VTV", OrganisationKind.MEDIA),
        "Press",
        "Person",
        role=DelegationRole.PRESS,
    )
    person(
        delegation("Withdrawn State"),
        "Gone",
        "Away",
        status=ParticipantStatus.WITHDRAWN,
    )
    return event


def flat(sections):
    return [
        (s.title, d.name, [f"{p.honorific} {p.name}".strip() for p in d.people])
        for s in sections
        for d in s.delegations
    ]


def test_provisional_list_order_is_pinned(fixture_event):
    assert flat(list_of_participants(fixture_event, final=False)) == [
        ("Member States", "China", ["伟 王"]),
        ("Member States", "Côte d'Ivoire", ["Awa KONÉ", "Yao KOUASSI"]),
        ("Member States", "Egypt", ["أحمد محمد"]),
        (
            "Member States",
            "Viet Nam",
            [
                "H.E. Ms. Thị Lan NGUYỄN",
                "H.E. Mr. Alternate AMBASSADOR",
                "Senior ADVISER",
                "Văn An TRẦN",
            ],
        ),
        ("Observer States", "Holy See", ["Paolo ROSSI"]),
        ("United Nations entities", "UNODC", ["Ghada WALY"]),
        ("Intergovernmental organisations", "INTERPOL", ["Jürgen STOCK"]),
        ("Other organisations", "Academia Vietnam", ["Minh LE"]),
        ("Other organisations", "Zeta NGO", ["Nora NGO"]),
        ("Media", "VTV", ["Press PERSON"]),
    ]


def test_final_list_has_only_the_approved_and_never_those_without_consent(
    fixture_event,
):
    listed = flat(list_of_participants(fixture_event, final=True))
    assert ("Member States", "Côte d'Ivoire", ["Yao KOUASSI"]) in listed
    names = [name for _s, _d, people in listed for name in people]
    assert "Hidden PERSON" not in names
    assert "Gone AWAY" not in names
    assert len(names) == 13


def test_pdf_has_a_cover_and_a_page_per_section_with_every_script(fixture_event):
    sections = list_of_participants(fixture_event, final=False)
    data = list_of_participants_pdf(event=fixture_event, sections=sections, final=False)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1 + 6
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1].split("-")[0])
    assert {"DejaVuSans", "NotoSansArabic", "WenQuanYiMicroHei"} <= fonts
    text = reader.pages[1].extract_text()
    assert "Côte d'Ivoire" in text
    assert "NGUYỄN" in text


def test_arabic_is_shaped_and_in_visual_order():
    shaped = visual("سفير")
    # Joined presentation forms, last letter first (ReportLab draws left to right).
    # seen (initial), feh (medial), yeh (medial), reh (final), reversed.
    assert shaped == "\ufeae\ufef4\ufed4\ufeb3"
    assert visual("Viet Nam") == "Viet Nam"


def test_list_pages_are_for_staff_with_permission(admin_client, fixture_event):
    from django.test import Client

    client = Client()
    url = reverse("reports:list_of_participants")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Provisional list" in page.content.decode()
    pdf = admin_client.get(reverse("reports:list_of_participants_pdf") + "?final=1")
    assert pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 7


def test_list_query_count_does_not_grow(admin_client, django_assert_max_num_queries):
    event = EventFactory(is_current=True)
    state = DelegationFactory(event=event, organisation=StateFactory())
    person(state, "One", "Person")
    url = reverse("reports:list_of_participants")
    with django_assert_max_num_queries(20) as small:
        admin_client.get(url)
    for n in range(30):
        person(state, f"P{n}", f"Family{n}")
    with django_assert_max_num_queries(20) as large:
        admin_client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_arabic_pdf_reads_from_the_right_with_its_page_footer_shaped(fixture_event):
    from django.utils import translation
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT

    from protocol.pdf import in_reading_order, text_alignment

    with translation.override("ar"):
        assert text_alignment() == TA_RIGHT
        assert in_reading_order([1, 2, 3]) == [3, 2, 1]
        sections = list_of_participants(fixture_event, final=False)
        data = list_of_participants_pdf(
            event=fixture_event, sections=sections, final=False
        )
        import arabic_reshaper

        footer = arabic_reshaper.reshape(translation.gettext("Provisional list"))
    assert text_alignment() == TA_LEFT and in_reading_order([1, 2]) == [1, 2]
    text = PdfReader(io.BytesIO(data)).pages[1].extract_text()
    # The footer's letters are joined (presentation forms), not isolated
    # (pypdf gives the text back in reading order).
    assert f"2 · {footer}" in text
