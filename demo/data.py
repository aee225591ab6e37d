"""Fixed data of the demo: the Hanoi 2025 event, its rooms and programme,
the delegations and the pools of names (in several scripts) that members are
drawn from. ``loader.py`` turns it into records."""

from __future__ import annotations

import datetime as dt
import unicodedata
import zoneinfo
from dataclasses import dataclass
from typing import Any

from delegations.enums import (
    DelegationRole,
    DelegationStatus,
    Gender,
    OrganisationKind,
    PreferredLanguage,
    ProtocolRank,
)
from sessions.enums import ProgrammeItemKind

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
CHANGE_REASON = "Demo data (manage.py load_demo)"

ORGANIZER_USERNAME = "organizer"
ORGANIZER_EMAIL = "organizer@example.org"
ORGANIZER_PASSWORD = "hanoi-demo-2025"
ADMIN_URL = "http://127.0.0.1:8000/admin/"

EVENT_SLUG = "hanoi-2025"
DAY_1 = dt.date(2025, 10, 25)
DAY_2 = dt.date(2025, 10, 26)


def hanoi_time(day: dt.date, hhmm: str) -> dt.datetime:
    """The UTC instant of ``hhmm`` on ``day`` in Hanoi."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HANOI)
    return local.astimezone(dt.UTC)


EVENT_VALUES: dict[str, Any] = {
    "name": (
        "Signing Ceremony and High-Level Conference of the United Nations "
        "Convention against Cybercrime"
    ),
    "short_name": "Hanoi Convention 2025",
    "theme": "Countering Cybercrime - Sharing Responsibilities - Securing our Future",
    "venue": "National Convention Center (NCC)",
    "city": "Hanoi",
    "time_zone": "Asia/Ho_Chi_Minh",
    "start_date": DAY_1,
    "end_date": DAY_2,
    "registration_opens_at": hanoi_time(dt.date(2025, 7, 1), "00:00"),
    "registration_deadline": hanoi_time(dt.date(2025, 10, 10), "23:59"),
    "side_event_application_deadline": hanoi_time(dt.date(2025, 9, 15), "23:59"),
    "contact_email": "secretariat@example.org",
    "is_current": True,
}

ROLE_QUOTAS = {
    DelegationRole.HEAD: 1,
    DelegationRole.ALTERNATE: 2,
    DelegationRole.SECURITY: 4,
    DelegationRole.PRESS: 2,
}

# (name, capacity, location)
ROOMS: list[tuple[str, int, str]] = [
    ("Plenary Hall", 3500, "Level 1"),
    ("Signing Room", 300, "Level 1"),
    ("Banquet Hall", 1200, "Level 1"),
    ("Press Centre", 150, "Level 1"),
    *[
        (f"Meeting Room {number}", capacity, "Level 2" if number <= 6 else "Level 3")
        for number, capacity in enumerate(
            [200, 200, 150, 120, 120, 100, 100, 80, 80, 60, 60, 60], start=1
        )
    ],
]

SIDE_EVENT_SLOTS = [
    ("09:00", "10:15"),
    ("10:30", "11:45"),
    ("12:00", "13:15"),
    ("13:30", "14:45"),
    ("15:00", "16:15"),
]
# Four side events run in parallel in each slot, in these rooms.
SIDE_EVENT_ROOMS = [
    "Meeting Room 3",
    "Meeting Room 4",
    "Meeting Room 5",
    "Meeting Room 6",
]
# Twenty titles: one per slot and room, in slot order. The last one is still
# being confirmed, so it is hidden from the public programme (as is the
# bilateral meeting).
SIDE_EVENT_TITLES = [
    "Electronic evidence across borders: practical tools for prosecutors",
    "Protecting children online under the Convention",
    "Ransomware: from incident response to prevention",
    "Capacity building for criminal justice practitioners in South-East Asia",
    "Public-private cooperation in cybercrime investigations",
    "Human rights safeguards in cybercrime legislation",
    "Cryptocurrency tracing and asset recovery",
    "Gender perspectives in countering cybercrime",
    "The 24/7 network: making rapid cooperation work",
    "Cybercrime and small island developing States",
    "Technical assistance: matching needs and offers",
    "Online fraud and scam centres: a regional response",
    "Data protection and international cooperation",
    "Youth voices on digital safety",
    "Artificial intelligence and cyber-enabled crime",
    "Academic perspectives on implementing the Convention",
    "Victim support and restitution in cybercrime cases",
    "Awareness campaigns that prevent cybercrime",
    "Regional organisations and the implementation of the Convention",
    "From signature to ratification: national roadmaps",
]
HIDDEN_SIDE_EVENTS = {SIDE_EVENT_TITLES[-1]}

# fmt: off
# (kind, title, room, day, start, end, published); times in Hanoi.
K = ProgrammeItemKind
PROGRAMME: list[tuple[str, str, str, dt.date, str, str, bool]] = [
    (K.OPENING, "Opening ceremony", "Plenary Hall", DAY_1, "08:30", "09:45", True),
    (K.SIGNING_CEREMONY, "Signing ceremony of the United Nations Convention against Cybercrime", "Signing Room", DAY_1, "10:00", "12:00", True),
    (K.PLENARY, "High-level segment: general debate (morning)", "Plenary Hall", DAY_1, "10:00", "13:00", True),
    (K.PRESS_CONFERENCE, "Press conference of the host country and UNODC", "Press Centre", DAY_1, "13:15", "14:00", True),
    (K.PLENARY, "High-level segment: general debate (afternoon)", "Plenary Hall", DAY_1, "14:30", "18:00", True),
    (K.SIGNING_CEREMONY, "Signing ceremony (continued)", "Signing Room", DAY_1, "14:30", "17:30", True),
    (K.HIGH_LEVEL_EVENT, "High-level event: international cooperation against cybercrime", "Meeting Room 1", DAY_1, "14:30", "16:00", True),
    (K.HIGH_LEVEL_EVENT, "High-level event: building capacity in developing countries", "Meeting Room 2", DAY_1, "16:15", "17:45", True),
    (K.BILATERAL, "Bilateral meeting of the host country", "Meeting Room 7", DAY_1, "16:30", "17:15", False),
    (K.RECEPTION, "Reception hosted by the Government of Viet Nam", "Banquet Hall", DAY_1, "19:00", "21:00", True),
    (K.PLENARY, "High-level segment: general debate (continued)", "Plenary Hall", DAY_2, "09:00", "12:00", True),
    (K.SIGNING_CEREMONY, "Signing ceremony (second day)", "Signing Room", DAY_2, "09:00", "12:00", True),
    (K.HIGH_LEVEL_EVENT, "High-level event: protecting the vulnerable online", "Meeting Room 1", DAY_2, "09:00", "10:30", True),
    (K.HIGH_LEVEL_EVENT, "High-level event: the private sector as a partner", "Meeting Room 2", DAY_2, "11:00", "12:30", True),
    (K.HIGH_LEVEL_EVENT, "High-level event: the road to the first Conference of the States Parties", "Meeting Room 1", DAY_2, "13:30", "15:00", True),
    (K.PLENARY, "High-level segment: general debate (concluded)", "Plenary Hall", DAY_2, "13:30", "16:00", True),
    (K.CLOSING, "Closing ceremony", "Plenary Hall", DAY_2, "16:30", "17:30", True),
    *[
        (K.SIDE_EVENT, title, room, DAY_2, start, end, title not in HIDDEN_SIDE_EVENTS)
        for (start, end), titles in zip(
            SIDE_EVENT_SLOTS,
            [SIDE_EVENT_TITLES[i:i + len(SIDE_EVENT_ROOMS)] for i in range(0, len(SIDE_EVENT_TITLES), len(SIDE_EVENT_ROOMS))],
            strict=True,
        )
        for title, room in zip(titles, SIDE_EVENT_ROOMS, strict=True)
    ],
]
del K
# fmt: on


# ---------------------------------------------------------------------------
# Names, written as in the passport, with an ASCII form for email addresses:
# "written=ascii" where the script is not Latin, else derived by dropping
# diacritics.


def _names(text: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in text.split(","):
        written, _sep, ascii_form = item.strip().partition("=")
        pairs.append((written, ascii_form or strip_diacritics(written)))
    return tuple(pairs)


def strip_diacritics(text: str) -> str:
    """Latin text without diacritics."""
    special = {"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "ø": "o", "ß": "ss"}
    text = "".join(special.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


@dataclass(frozen=True)
class Culture:
    language: str
    countries: tuple[str, ...]  # nationalities of members of mixed delegations
    male: tuple[tuple[str, str], ...]
    female: tuple[tuple[str, str], ...]
    family: tuple[tuple[str, str], ...]
    # Where family names differ by gender (Петров, Петрова).
    family_female: tuple[tuple[str, str], ...] = ()


def _culture(language: str, countries: str, *pools: str) -> Culture:
    return Culture(
        language, tuple(countries.split()), *(_names(pool) for pool in pools)
    )


# fmt: off
L = PreferredLanguage
CULTURES: dict[str, Culture] = {
    "vi": _culture(L.VIETNAMESE, "VNM",
        "Văn Đức, Minh Tuấn, Quốc Bảo, Hải Đăng, Đức Thắng, Thanh Tùng",
        "Thị Hương, Thu Trang, Ngọc Lan, Minh Anh, Thị Mai, Phương Thảo",
        "Nguyễn, Trần, Lê, Phạm, Hoàng, Vũ, Đặng, Bùi, Đỗ, Ngô"),
    "ar": _culture(L.ARABIC, "EGY SAU QAT MAR PSE",
        "محمد=mohammed, أحمد=ahmed, عمر=omar, خالد=khaled, يوسف=youssef",
        "فاطمة=fatima, ليلى=layla, نور=nour, مريم=maryam, هدى=huda",
        "العلي=alali, الحسن=alhassan, المنصوري=almansouri, الخطيب=alkhatib, السيد=alsayed, حداد=haddad"),
    "zh": _culture(L.CHINESE, "CHN",
        "小明=xiaoming, 伟=wei, 强=qiang, 建国=jianguo",
        "芳=fang, 静=jing, 秀英=xiuying, 晓燕=xiaoyan",
        "王=wang, 李=li, 张=zhang, 刘=liu, 陈=chen, 杨=yang"),
    "ja": _culture(L.ENGLISH, "JPN",
        "健一=kenichi, 大輔=daisuke, 翔太=shota",
        "花子=hanako, 由美=yumi, さくら=sakura",
        "佐藤=sato, 鈴木=suzuki, 高橋=takahashi, 田中=tanaka"),
    "ko": _culture(L.ENGLISH, "KOR",
        "민준=minjun, 지훈=jihun, 성민=seongmin",
        "서연=seoyeon, 지은=jieun, 수진=sujin",
        "김=kim, 이=lee, 박=park, 최=choi"),
    "th": _culture(L.ENGLISH, "THA",
        "สมชาย=somchai, อนุชา=anucha, วิชัย=wichai",
        "สุดา=suda, มาลี=malee, พิมพ์ชนก=phimchanok",
        "ศรีสุข=srisuk, วงศ์ไทย=wongthai, แก้วมณี=kaewmanee"),
    "ru": _culture(L.RUSSIAN, "RUS",
        "Иван=ivan, Сергей=sergey, Дмитрий=dmitry, Алексей=alexey",
        "Анна=anna, Ольга=olga, Наталья=natalya, Елена=elena",
        "Петров=petrov, Смирнов=smirnov, Кузнецов=kuznetsov, Соколов=sokolov",
        "Петрова=petrova, Смирнова=smirnova, Кузнецова=kuznetsova, Соколова=sokolova"),
    "uk": _culture(L.ENGLISH, "UKR",
        "Олександр=oleksandr, Андрій=andrii, Тарас=taras",
        "Оксана=oksana, Ірина=iryna, Наталія=nataliia",
        "Шевченко=shevchenko, Коваленко=kovalenko, Бондаренко=bondarenko, Ткаченко=tkachenko"),
    "fr": _culture(L.FRENCH, "FRA",
        "François, Jérôme, Étienne, Loïc, Benoît",
        "Élodie, Amélie, Hélène, Chloé, Cécile",
        "Lefèvre, Dubois, Garnier, Mercier, Bélanger, Rousseau"),
    "es": _culture(L.SPANISH, "MEX ARG CHL CRI",
        "José, Andrés, Martín, Tomás, Julián",
        "María José, Lucía, Inés, Sofía, Verónica",
        "García, Rodríguez, Peña, Muñoz, Hernández, Gómez"),
    "pt": _culture(L.ENGLISH, "BRA",
        "João, Sebastião, Luís, Antônio",
        "Conceição, Luísa, Beatriz, Lúcia",
        "Gonçalves, Araújo, Simões, Magalhães"),
    "de": _culture(L.ENGLISH, "DEU",
        "Jürgen, Björn, Günter, Lukas",
        "Jana, Käthe, Lena, Sophie",
        "Müller, Schröder, Weiß, Böhm, Köhler"),
    "pl": _culture(L.ENGLISH, "POL",
        "Łukasz, Paweł, Michał, Wojciech",
        "Zofia, Małgorzata, Agnieszka, Katarzyna",
        "Wójcik, Nowak, Woźniak, Mazur, Król"),
    "ro": _culture(L.FRENCH, "ROU",
        "Ștefan, Andrei, Mihai",
        "Ioana, Ștefania, Elena",
        "Popescu, Ionescu, Dumitrescu, Țurcanu"),
    "tr": _culture(L.ENGLISH, "TUR",
        "Çağrı, Mehmet, Emre",
        "Çağla, Ayşe, Zeynep, Gülşen",
        "Yılmaz, Öztürk, Şahin, Çelik, Doğan"),
    "en": _culture(L.ENGLISH, "GBR USA SGP",
        "James, Michael, David, Thomas, Daniel",
        "Sarah, Emily, Olivia, Grace, Charlotte",
        "Smith, Johnson, Brown, Taylor, Wilson, Clarke"),
    "in": _culture(L.ENGLISH, "IND",
        "Rahul, Arjun, Vikram",
        "Priya, Ananya, Deepa",
        "Sharma, Patel, Iyer, Reddy"),
    "af": _culture(L.ENGLISH, "NGA KEN ZAF GHA",
        "Chinedu, Kwame, Oluwaseun, Tendai, Babajide",
        "Ngozi, Amara, Wanjiru, Thandiwe, Adaeze",
        "Okafor, Mensah, Kamau, Ndlovu, Adeyemi, Otieno, Mwangi"),
    "sn": _culture(L.FRENCH, "SEN",
        "Moussa, Ousmane, Cheikh",
        "Aminata, Fatou, Awa",
        "Ndiaye, Diop, Sow, Fall"),
    "id": _culture(L.ENGLISH, "IDN",
        "Budi, Agus, Rizky",
        "Siti, Dewi, Putri",
        "Santoso, Wijaya, Susanto, Hidayat"),
    "lo": _culture(L.FRENCH, "LAO",
        "Somphone, Bounmy, Khamla",
        "Vanida, Souksavanh, Manivone",
        "Phommachanh, Vongsa, Sisouk"),
    "km": _culture(L.ENGLISH, "KHM",
        "Sokha, Dara, Vuthy",
        "Sophea, Chanthou, Sreymom",
        "Chea, Sok, Heng, Keo"),
}
del L

STATE_CULTURE = {
    "VNM": "vi", "CHN": "zh", "JPN": "ja", "KOR": "ko", "IND": "in", "IDN": "id",
    "THA": "th", "SGP": "en", "LAO": "lo", "KHM": "km", "SAU": "ar", "QAT": "ar",
    "EGY": "ar", "MAR": "ar", "PSE": "ar", "NGA": "af", "KEN": "af", "ZAF": "af",
    "GHA": "af", "SEN": "sn", "RUS": "ru", "UKR": "uk", "POL": "pl", "ROU": "ro",
    "BRA": "pt", "MEX": "es", "ARG": "es", "CHL": "es", "CRI": "es", "FRA": "fr",
    "DEU": "de", "GBR": "en", "USA": "en", "TUR": "tr", "NOR": "en",
}
# fmt: on
# Members of organisations other than States come from everywhere.
MIXED_CULTURES = ("en", "fr", "es", "ru", "zh", "ar", "vi", "af", "in", "de", "ja")


# ---------------------------------------------------------------------------
# Delegations.

S = DelegationStatus
R = ProtocolRank


@dataclass(frozen=True)
class DelegationSpec:
    """One demo delegation. ``org`` is an ISO alpha-3 code for a State, an
    acronym for a UN entity or IGO from the reference data, or the name of a
    demo organisation from ``DEMO_ORGANISATIONS``."""

    org: str
    status: str
    members: int = 0
    head_rank: int = R.MINISTER
    # Exact names for the first members: (given names, family name, gender).
    pinned: tuple[tuple[str, str, str], ...] = ()
    # The first head withdrew and was replaced: one more member, withdrawn.
    head_replaced: bool = False
    # The head brings a spouse (no photo needed, as for the head).
    spouse: bool = False


STATE_DELEGATIONS: list[DelegationSpec] = [
    # Asia-Pacific States
    DelegationSpec(
        "VNM",
        S.ACCREDITED,
        30,
        R.HEAD_OF_STATE,
        pinned=(
            ("Văn Đức", "Trần", Gender.MALE),
            ("Thị Hương", "Nguyễn", Gender.FEMALE),
        ),
        spouse=True,
    ),
    DelegationSpec(
        "CHN", S.ACCREDITED, 12, R.MINISTER, pinned=(("小明", "王", Gender.MALE),)
    ),
    DelegationSpec("JPN", S.SUBMITTED, 8, R.VICE_MINISTER),
    DelegationSpec("KOR", S.ACCREDITED, 9, R.MINISTER),
    DelegationSpec("IND", S.REGISTERING, 7, R.AMBASSADOR),
    DelegationSpec("IDN", S.ACCREDITED, 10, R.MINISTER_FOR_FOREIGN_AFFAIRS),
    DelegationSpec("THA", S.ACCREDITED, 9, R.DEPUTY_HEAD_OF_GOVERNMENT),
    DelegationSpec("SGP", S.SUBMITTED, 6, R.MINISTER),
    DelegationSpec("LAO", S.ACCREDITED, 8, R.HEAD_OF_GOVERNMENT, spouse=True),
    DelegationSpec("KHM", S.REGISTERING, 6, R.MINISTER),
    DelegationSpec(
        "SAU", S.SUBMITTED, 8, R.MINISTER, pinned=(("محمد", "العلي", Gender.MALE),)
    ),
    DelegationSpec("QAT", S.INVITED),
    # African States
    DelegationSpec("EGY", S.ACCREDITED, 9, R.MINISTER_FOR_FOREIGN_AFFAIRS),
    DelegationSpec("NGA", S.ACCREDITED, 8, R.MINISTER),
    DelegationSpec("ZAF", S.SUBMITTED, 7, R.VICE_MINISTER),
    DelegationSpec("KEN", S.ACCREDITED, 8, R.HEAD_OF_STATE),
    DelegationSpec("MAR", S.REGISTERING, 6, R.MINISTER),
    DelegationSpec("SEN", S.INVITED),
    DelegationSpec("GHA", S.DECLINED),
    # Eastern European States
    DelegationSpec(
        "RUS",
        S.ACCREDITED,
        11,
        R.VICE_MINISTER,
        pinned=(("Иван", "Петров", Gender.MALE),),
    ),
    DelegationSpec("POL", S.SUBMITTED, 6, R.AMBASSADOR),
    DelegationSpec("UKR", S.REGISTERING, 6, R.VICE_MINISTER),
    DelegationSpec("ROU", S.ACCREDITED, 5, R.AMBASSADOR),
    # Latin American and Caribbean States
    DelegationSpec("BRA", S.ACCREDITED, 9, R.MINISTER),
    DelegationSpec("MEX", S.SUBMITTED, 8, R.VICE_MINISTER, head_replaced=True),
    DelegationSpec("ARG", S.REGISTERING, 5, R.AMBASSADOR),
    DelegationSpec("CHL", S.ACCREDITED, 6, R.MINISTER_FOR_FOREIGN_AFFAIRS),
    DelegationSpec("CRI", S.ACCREDITED, 5, R.VICE_PRESIDENT),
    # Western European and other States
    DelegationSpec("FRA", S.ACCREDITED, 10, R.MINISTER),
    DelegationSpec("DEU", S.SUBMITTED, 8, R.VICE_MINISTER),
    DelegationSpec("GBR", S.ACCREDITED, 9, R.MINISTER),
    DelegationSpec("USA", S.REGISTERING, 7, R.AMBASSADOR),
    DelegationSpec("TUR", S.ACCREDITED, 7, R.MINISTER),
    DelegationSpec("NOR", S.NOT_INVITED),
    # Observer State
    DelegationSpec("PSE", S.ACCREDITED, 6, R.MINISTER_FOR_FOREIGN_AFFAIRS),
]

# UN entities and intergovernmental organisations, by acronym in the
# reference data.
REFERENCE_ORGANISATION_DELEGATIONS: list[DelegationSpec] = [
    DelegationSpec("UNODC", S.ACCREDITED, 10, R.HEAD_OF_ORGANISATION),
    DelegationSpec("INTERPOL", S.ACCREDITED, 4, R.HEAD_OF_ORGANISATION),
    DelegationSpec("ITU", S.SUBMITTED, 3, R.HEAD_OF_ORGANISATION),
    DelegationSpec("CoE", S.ACCREDITED, 3, R.HEAD_OF_ORGANISATION),
    DelegationSpec("ASEAN", S.INVITED),
]

# Organisations that exist only in the demo: (name, kind, acronym).
DEMO_ORGANISATIONS: list[tuple[str, str, str]] = [
    ("Mekong Digital Rights Forum (demo)", OrganisationKind.NGO, "MDRF"),
    ("Institute for Cyber Law Studies (demo)", OrganisationKind.ACADEMIA, "ICLS"),
    ("Lotus Cyber Defence JSC (demo)", OrganisationKind.PRIVATE_SECTOR, "LCD"),
    ("Global Wire News Agency (demo)", OrganisationKind.MEDIA, "GWNA"),
]
DEMO_ORGANISATION_DELEGATIONS: list[DelegationSpec] = [
    DelegationSpec("Mekong Digital Rights Forum (demo)", S.ACCREDITED, 4, R.OTHER),
    DelegationSpec("Institute for Cyber Law Studies (demo)", S.SUBMITTED, 3, R.OTHER),
    DelegationSpec("Lotus Cyber Defence JSC (demo)", S.REGISTERING, 3, R.OTHER),
    DelegationSpec("Global Wire News Agency (demo)", S.ACCREDITED, 3, R.OTHER),
]
del S, R

DELEGATIONS = (
    STATE_DELEGATIONS
    + REFERENCE_ORGANISATION_DELEGATIONS
    + DEMO_ORGANISATION_DELEGATIONS
)

HEAD_TITLES = {
    ProtocolRank.HEAD_OF_STATE: "President",
    ProtocolRank.HEAD_OF_GOVERNMENT: "Prime Minister",
    ProtocolRank.VICE_PRESIDENT: "Vice-President",
    ProtocolRank.DEPUTY_HEAD_OF_GOVERNMENT: "Deputy Prime Minister",
    ProtocolRank.MINISTER_FOR_FOREIGN_AFFAIRS: "Minister for Foreign Affairs",
    ProtocolRank.MINISTER: "Minister of Justice",
    ProtocolRank.VICE_MINISTER: "Vice-Minister of Public Security",
    ProtocolRank.AMBASSADOR: "Ambassador, Permanent Representative",
    ProtocolRank.HEAD_OF_ORGANISATION: "Executive Director",
    ProtocolRank.OTHER: "Director",
}
ADVISER_TITLES = (
    "Legal Adviser",
    "Senior Adviser",
    "Counsellor",
    "Director, Cybercrime",
)
DELEGATE_TITLES = (
    "First Secretary",
    "Second Secretary",
    "Prosecutor",
    "Cybercrime Investigator",
    "Police Colonel",
    "Head of Unit, International Cooperation",
)
REJECTION_REASONS = (
    "The photo does not meet the requirements: it must be recent, "
    "passport-style, on a plain light background.",
    "The passport number does not match the copy of the passport provided.",
    "The nomination was not confirmed by the delegation's note verbale.",
)
HOTELS = (
    "Lakeside Hotel Hanoi (demo)",
    "Old Quarter Grand Hotel (demo)",
    "West Lake Residence (demo)",
    "Convention Center Hotel (demo)",
)
DIETARY = ("Vegetarian", "Halal", "No pork", "Gluten-free", "Vegan")

DEMO_EMAIL_DOMAIN = "demo.example"
