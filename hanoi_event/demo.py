"""Demo data: the Hanoi 2025 signing ceremony with rooms, programme,
delegations, participants and an organizer account.

``demo_load()`` is the only entry point (``manage.py load_demo`` calls it).
Everything here is fixed data or drawn from ``random.Random(2025)``, so every
run produces the same records. Records are found by natural keys (event slug,
room name, programme item title and start, delegation organisation,
participant email) and only created or changed when they differ, so a second
run creates nothing and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import unicodedata
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from delegations.enums import (
    DelegationRole,
    DelegationStatus,
    Gender,
    Honorific,
    OrganisationKind,
    ParticipantStatus,
    PreferredLanguage,
    ProtocolRank,
)
from delegations.models import (
    Delegation,
    DelegationRoleQuota,
    Organisation,
    Participant,
)
from hanoi_event.models import Event
from hanoi_event.roles import ORGANIZER, roles_sync
from sessions.enums import ProgrammeItemKind
from sessions.models import ProgrammeItem, Room

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
        pairs.append((written, ascii_form or _ascii(written)))
    return tuple(pairs)


def _ascii(text: str) -> str:
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


# ---------------------------------------------------------------------------
# Result and bookkeeping.


@dataclass
class _Tally:
    """Rows created and updated in this run, per model label."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class DemoResult:
    """What ``demo_load`` did. ``created`` and ``updated`` count rows per model
    label in this run; ``totals`` counts the demo event's rows after it."""

    event: Event
    created: dict[str, int]
    updated: dict[str, int]
    totals: dict[str, int]
    organizer_username: str = ORGANIZER_USERNAME
    organizer_email: str = ORGANIZER_EMAIL
    organizer_password: str = ORGANIZER_PASSWORD
    admin_url: str = ADMIN_URL

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)


def _comparable(instance: models.Model, name: str) -> Any:
    """The value of ``name`` on ``instance`` without fetching related rows."""
    model_field = instance._meta.get_field(name)
    return getattr(instance, model_field.attname)


def _raw(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _changed_fields(instance: models.Model, values: dict[str, Any]) -> list[str]:
    return [
        name
        for name, value in values.items()
        if _comparable(instance, name) != _raw(value)
    ]


_LOOK_UP = object()


def _upsert(
    model: type[models.Model],
    *,
    lookup: dict[str, Any],
    values: dict[str, Any],
    tally: _Tally,
    current: Any = _LOOK_UP,
) -> models.Model:
    """Create the row found by ``lookup`` or bring it to ``values``.

    ``current`` is the row when the caller already read it (None: there is
    none), so that a loop does not query once per row. Saves only when
    something differs, so a re-run writes nothing and adds no history records.

    ``full_clean`` checks the fields and the model's ``clean()``. It skips the
    look-ups of related rows (they were just read here) and the per-row
    constraint queries: the natural-key look-up already rules out duplicates,
    and the database enforces every constraint again inside the transaction.
    """
    label = model._meta.label
    instance = (
        model._default_manager.filter(**lookup).first()
        if current is _LOOK_UP
        else current
    )
    if instance is None:
        instance = model(**lookup, **values)
        tally.created[label] += 1
    else:
        changed = _changed_fields(instance, values)
        if not changed:
            return instance
        for name in changed:
            setattr(instance, name, values[name])
        tally.updated[label] += 1
    related = [field.name for field in model._meta.concrete_fields if field.is_relation]
    instance.full_clean(exclude=related, validate_constraints=False)
    instance._change_reason = CHANGE_REASON
    instance.save()
    return instance


# ---------------------------------------------------------------------------
# Loaders.


def _load_event(tally: _Tally) -> Event:
    # Only one event can be current: the demo event takes over.
    Event.objects.filter(is_current=True).exclude(slug=EVENT_SLUG).update(
        is_current=False
    )
    event = _upsert(
        Event, lookup={"slug": EVENT_SLUG}, values=EVENT_VALUES, tally=tally
    )
    quotas = {quota.role: quota for quota in event.role_quotas.all()}
    for role, max_count in ROLE_QUOTAS.items():
        _upsert(
            DelegationRoleQuota,
            lookup={"event": event, "role": role},
            values={"max_count": max_count},
            tally=tally,
            current=quotas.get(role),
        )
    return event


def _load_rooms(event: Event, tally: _Tally) -> dict[str, Room]:
    rooms = {room.name: room for room in Room.objects.filter(event=event)}
    return {
        name: _upsert(
            Room,
            lookup={"event": event, "name": name},
            values={"capacity": capacity, "location": location},
            tally=tally,
            current=rooms.get(name),
        )
        for name, capacity, location in ROOMS
    }


def _load_programme(event: Event, rooms: dict[str, Room], tally: _Tally) -> None:
    items = {
        (item.title, item.starts_at): item
        for item in ProgrammeItem.objects.filter(event=event)
    }
    for kind, title, room_name, day, start, end, published in PROGRAMME:
        starts_at = hanoi_time(day, start)
        _upsert(
            ProgrammeItem,
            lookup={"event": event, "title": title, "starts_at": starts_at},
            current=items.get((title, starts_at)),
            values={
                "kind": kind,
                "room": rooms[room_name],
                "ends_at": hanoi_time(day, end),
                "is_published": published,
            },
            tally=tally,
        )


def _organisations(tally: _Tally) -> dict[str, Organisation]:
    """Every organisation the demo refers to, by the key its spec uses."""
    for name, kind, acronym in DEMO_ORGANISATIONS:
        _upsert(
            Organisation,
            lookup={"name": name},
            values={
                "kind": kind,
                "acronym": acronym,
                "website": f"https://{acronym.lower()}.example.org/",
            },
            tally=tally,
        )
    iso3s = {spec.org for spec in STATE_DELEGATIONS}
    for culture in CULTURES.values():
        iso3s.update(culture.countries)
    acronyms = {spec.org for spec in REFERENCE_ORGANISATION_DELEGATIONS}
    names = {name for name, _kind, _acronym in DEMO_ORGANISATIONS}
    found: dict[str, Organisation] = {}
    for organisation in Organisation.objects.filter(iso3__in=iso3s):
        found[organisation.iso3] = organisation
    for organisation in Organisation.objects.filter(
        acronym__in=acronyms,
        kind__in=[OrganisationKind.UN_ENTITY, OrganisationKind.IGO],
    ):
        found[organisation.acronym] = organisation
    for organisation in Organisation.objects.filter(name__in=names):
        found[organisation.name] = organisation
    missing = sorted((iso3s | acronyms | names) - found.keys())
    if missing:
        raise ImproperlyConfigured(
            "The demo needs organisations the reference data does not have: "
            + ", ".join(missing)
        )
    return found


def _load_delegations(
    event: Event, organisations: dict[str, Organisation], tally: _Tally
) -> dict[str, Delegation]:
    existing = {
        delegation.organisation_id: delegation
        for delegation in Delegation.objects.filter(event=event)
    }
    delegations = {}
    for index, spec in enumerate(DELEGATIONS):
        submitted = spec.status in (
            DelegationStatus.SUBMITTED,
            DelegationStatus.ACCREDITED,
        )
        delegations[spec.org] = _upsert(
            Delegation,
            lookup={"event": event, "organisation": organisations[spec.org]},
            current=existing.get(organisations[spec.org].pk),
            values={
                "status": spec.status,
                "submitted_at": hanoi_time(
                    dt.date(2025, 9, 1) + dt.timedelta(days=index % 30), "10:00"
                )
                if submitted
                else None,
            },
            tally=tally,
        )
    return delegations


def _romanised(culture: Culture, text: str) -> str:
    for pool in (culture.male, culture.female, culture.family, culture.family_female):
        for written, ascii_form in pool:
            if written == text:
                return ascii_form
    return _ascii(text)


def _email_part(text: str) -> str:
    return "-".join(text.lower().replace("'", "").split())


def _roles(spec: DelegationSpec, organisation_kind: str) -> list[str]:
    """Roles of the members in order, the head first, within ``ROLE_QUOTAS``."""
    role = DelegationRole
    count = spec.members
    if organisation_kind == OrganisationKind.MEDIA:
        # A news agency sends its head and journalists.
        roles = [role.HEAD] + [role.PRESS] * min(2, count - 1)
    else:
        roles = [role.HEAD]
        roles += [role.ALTERNATE] * (2 if count >= 6 else (1 if count >= 3 else 0))
        high_level = spec.head_rank in (
            ProtocolRank.HEAD_OF_STATE,
            ProtocolRank.HEAD_OF_GOVERNMENT,
            ProtocolRank.VICE_PRESIDENT,
        )
        security = 4 if high_level else (2 if count >= 8 else 0)
        roles += [role.SECURITY] * max(min(security, count - len(roles) - 1), 0)
        press = 2 if count >= 20 else (1 if count >= 9 else 0)
        roles += [role.PRESS] * max(min(press, count - len(roles)), 0)
    while len(roles) < count:
        roles.append(role.ADVISER if len(roles) % 3 == 0 else role.DELEGATE)
    return roles[:count]


def _member_status(
    rng: random.Random, delegation_status: str, role: str
) -> tuple[str, str]:
    """(participant status, rejection reason) for a member of a delegation."""
    status = ParticipantStatus
    draw = rng.random()
    if delegation_status == DelegationStatus.REGISTERING:
        if role == DelegationRole.HEAD or draw < 0.4:
            return status.SUBMITTED, ""
        return status.NOMINATED, ""
    if delegation_status == DelegationStatus.SUBMITTED:
        if role != DelegationRole.HEAD and draw < 0.08:
            return status.WITHDRAWN, ""
        return status.SUBMITTED, ""
    # Accredited delegations.
    if role != DelegationRole.HEAD:
        if draw < 0.06:
            return status.REJECTED, rng.choice(REJECTION_REASONS)
        if draw < 0.1:
            return status.WITHDRAWN, ""
    return status.APPROVED, ""


def _rank_and_title(
    rng: random.Random, role: str, position: int, *, is_state: bool, kind: str
) -> tuple[int, str]:
    """Protocol rank and function for a member who is neither head nor spouse."""
    if role == DelegationRole.ALTERNATE:
        if not is_state:
            return ProtocolRank.SENIOR_OFFICIAL, "Deputy Director"
        if position == 1:  # the first alternate
            return ProtocolRank.AMBASSADOR, "Ambassador, Permanent Representative"
        return ProtocolRank.SENIOR_OFFICIAL, "Director-General"
    if role == DelegationRole.SECURITY:
        return ProtocolRank.OFFICIAL, "Security Officer"
    if role == DelegationRole.PRESS:
        if kind == OrganisationKind.MEDIA:
            return ProtocolRank.OTHER, "Journalist"
        return ProtocolRank.OFFICIAL, "Press Officer"
    if role == DelegationRole.ADVISER:
        rank = ProtocolRank.SENIOR_OFFICIAL if is_state else ProtocolRank.OTHER
        return rank, rng.choice(ADVISER_TITLES)
    rank = ProtocolRank.OFFICIAL if is_state else ProtocolRank.OTHER
    return rank, rng.choice(DELEGATE_TITLES)


def _honorific(rng: random.Random, rank: int, gender: str) -> str:
    female = gender == Gender.FEMALE
    if rank <= ProtocolRank.AMBASSADOR:  # Their Excellencies
        return Honorific.HE_MS if female else Honorific.HE_MR
    if rng.random() < 0.15:
        return Honorific.DR
    return Honorific.MS if female else Honorific.MR


def _random_time(
    rng: random.Random, day: dt.date, first_hour: int, hours: int
) -> dt.datetime:
    minute = rng.choice(("00", "15", "30", "45"))
    return hanoi_time(day, f"{first_hour + rng.randrange(hours)}:{minute}")


def _participants(
    event: Event,
    delegations: dict[str, Delegation],
    organisations: dict[str, Organisation],
) -> list[Participant]:
    """The demo participants, unsaved, always in the same order and values."""
    rng = random.Random(2025)
    people: list[Participant] = []
    number = 0
    for spec in DELEGATIONS:
        if not spec.members:
            continue
        delegation = delegations[spec.org]
        kind = organisations[spec.org].kind
        is_state = spec.org in STATE_CULTURE
        roles = _roles(spec, kind)
        if spec.head_replaced:
            roles.append(DelegationRole.HEAD)  # the first head, who withdrew
        last = len(roles) - 1
        for position, role in enumerate(roles):
            number += 1
            culture = CULTURES[
                STATE_CULTURE[spec.org] if is_state else rng.choice(MIXED_CULTURES)
            ]
            if position < len(spec.pinned):
                given, family, gender = spec.pinned[position]
                given_ascii = _romanised(culture, given)
                family_ascii = _romanised(culture, family)
            else:
                gender = rng.choice((Gender.FEMALE, Gender.MALE))
                female = gender == Gender.FEMALE
                given, given_ascii = rng.choice(
                    culture.female if female else culture.male
                )
                family, family_ascii = rng.choice(
                    culture.family_female
                    if female and culture.family_female
                    else culture.family
                )
            nationality = organisations[
                spec.org if is_state else rng.choice(culture.countries)
            ]
            withdrawn_head = spec.head_replaced and position == last
            spouse = spec.spouse and position == last
            if role == DelegationRole.HEAD:
                rank, title = spec.head_rank, HEAD_TITLES[spec.head_rank]
            elif spouse:
                rank, title = ProtocolRank.OTHER, "Spouse of the Head of Delegation"
            else:
                rank, title = _rank_and_title(
                    rng, role, position, is_state=is_state, kind=kind
                )
            if withdrawn_head:
                status, reason = ParticipantStatus.WITHDRAWN, ""
            else:
                status, reason = _member_status(rng, spec.status, role)
            # Hosts live in Hanoi: no travel, hotel or visa.
            local = nationality.iso3 == "VNM"
            arrival_day = dt.date(2025, 10, 22) + dt.timedelta(days=rng.randrange(3))
            departure_day = DAY_2 + dt.timedelta(days=rng.randrange(3))
            people.append(
                Participant(
                    event=event,
                    delegation=delegation,
                    email=(
                        f"{_email_part(given_ascii)}.{_email_part(family_ascii)}"
                        f".{number}@{DEMO_EMAIL_DOMAIN}"
                    ),
                    role=role,
                    protocol_rank=rank,
                    is_spouse_of_dignitary=spouse,
                    status=status,
                    honorific=_honorific(rng, rank, gender),
                    given_names=given,
                    family_name=family,
                    gender=gender,
                    function_title=title,
                    nationality=nationality,
                    date_of_birth=dt.date(
                        1955 + rng.randrange(45),
                        1 + rng.randrange(12),
                        1 + rng.randrange(28),
                    ),
                    passport_number=f"{nationality.iso2}{rng.randrange(10**6, 10**7)}",
                    passport_expiry=dt.date(
                        2027 + rng.randrange(8),
                        1 + rng.randrange(12),
                        1 + rng.randrange(28),
                    ),
                    phone=f"+84 9{rng.randrange(10**7, 10**8)}" if local else "",
                    arrival_at=None if local else _random_time(rng, arrival_day, 8, 14),
                    departure_at=(
                        None if local else _random_time(rng, departure_day, 6, 16)
                    ),
                    hotel="" if local else rng.choice(HOTELS),
                    needs_visa_letter=not local and rng.random() < 0.3,
                    dietary_needs=rng.choice(DIETARY) if rng.random() < 0.2 else "",
                    accessibility_needs=(
                        "Wheelchair access" if rng.random() < 0.03 else ""
                    ),
                    preferred_language=culture.language,
                    consent_list_of_participants=rng.random() < 0.9,
                    submitted_at=(
                        hanoi_time(
                            dt.date(2025, 9, 10) + dt.timedelta(days=number % 25),
                            "09:30",
                        )
                        if status != ParticipantStatus.NOMINATED
                        else None
                    ),
                    decided_at=(
                        hanoi_time(
                            dt.date(2025, 10, 6) + dt.timedelta(days=number % 4),
                            "15:00",
                        )
                        if status
                        in (ParticipantStatus.APPROVED, ParticipantStatus.REJECTED)
                        else None
                    ),
                    rejection_reason=reason,
                )
            )
    return people


PARTICIPANT_FIELDS = [
    "delegation",
    "role",
    "protocol_rank",
    "is_spouse_of_dignitary",
    "status",
    "honorific",
    "given_names",
    "family_name",
    "gender",
    "function_title",
    "nationality",
    "date_of_birth",
    "passport_number",
    "passport_expiry",
    "phone",
    "arrival_at",
    "departure_at",
    "hotel",
    "needs_visa_letter",
    "dietary_needs",
    "accessibility_needs",
    "preferred_language",
    "consent_list_of_participants",
    "submitted_at",
    "decided_at",
    "rejection_reason",
]


def _check_participants(people: list[Participant]) -> None:
    """The table constraints, checked on the whole list at once.

    Checking them row by row (``full_clean``'s ``validate_constraints``) costs
    several queries per participant; here the list is the whole demo, so a
    pass over it in memory says the same. The database enforces them again.
    """
    emails = Counter(person.email.lower() for person in people)
    heads = Counter(
        person.delegation.pk
        for person in people
        if person.role == DelegationRole.HEAD
        and person.status != ParticipantStatus.WITHDRAWN
    )
    errors = [f"Email used twice: {email}" for email, n in emails.items() if n > 1]
    errors += [
        f"Delegation {delegation_id} has {n} heads"
        for delegation_id, n in heads.items()
        if n > 1
    ]
    errors += [
        f"{person.email}: departure before arrival"
        for person in people
        if person.arrival_at
        and person.departure_at
        and person.departure_at < person.arrival_at
    ]
    if errors:
        raise ValidationError(errors)


def _load_participants(
    event: Event,
    delegations: dict[str, Delegation],
    organisations: dict[str, Organisation],
    tally: _Tally,
) -> None:
    wanted = _participants(event, delegations, organisations)
    _check_participants(wanted)
    existing = {
        participant.email: participant
        for participant in Participant.objects.filter(
            event=event, email__in=[person.email for person in wanted]
        )
    }
    # The related rows were just read from the database, so their look-ups
    # are skipped; clean() still checks the event, dates and passport.
    skip_lookups = ["event", "delegation", "nationality"]
    new = []
    for person in wanted:
        current = existing.get(person.email)
        if current is None:
            person.full_clean(exclude=skip_lookups, validate_constraints=False)
            new.append(person)
            continue
        values = {name: getattr(person, name) for name in PARTICIPANT_FIELDS}
        changed = _changed_fields(current, values)
        if changed:
            for name in changed:
                setattr(current, name, values[name])
            current.full_clean()
            current._change_reason = CHANGE_REASON
            current.save()
            tally.updated[Participant._meta.label] += 1
    if new:
        bulk_create_with_history(
            new, Participant, batch_size=500, default_change_reason=CHANGE_REASON
        )
        tally.created[Participant._meta.label] += len(new)


def _load_organizer(tally: _Tally) -> None:
    user_model = get_user_model()
    user = user_model._default_manager.filter(username=ORGANIZER_USERNAME).first()
    values = {
        "email": ORGANIZER_EMAIL,
        "first_name": "Demo",
        "last_name": "Organizer",
        "is_staff": True,
        "is_superuser": True,
        "is_active": True,
    }
    if user is None:
        user = user_model(username=ORGANIZER_USERNAME, **values)
        user.set_password(ORGANIZER_PASSWORD)
        user.full_clean()
        user.save()
        tally.created[user_model._meta.label] += 1
    else:
        changed = _changed_fields(user, values)
        for name in changed:
            setattr(user, name, values[name])
        if not user.check_password(ORGANIZER_PASSWORD):
            user.set_password(ORGANIZER_PASSWORD)
            changed.append("password")
        if changed:
            user.full_clean()
            user.save()
            tally.updated[user_model._meta.label] += 1
    user.groups.add(Group.objects.get(name=ORGANIZER))
    if apps.is_installed("allauth.account"):
        # Email login through allauth needs a verified, primary address.
        from allauth.account.models import EmailAddress

        _upsert(
            EmailAddress,
            lookup={"user": user, "email": ORGANIZER_EMAIL},
            values={"verified": True, "primary": True},
            tally=tally,
        )


def _totals(event: Event) -> dict[str, int]:
    return {
        "events": Event.objects.filter(pk=event.pk).count(),
        "rooms": Room.objects.filter(event=event).count(),
        "programme_items": ProgrammeItem.objects.filter(event=event).count(),
        "delegations": Delegation.objects.filter(event=event).count(),
        "participants": Participant.objects.filter(event=event).count(),
    }


@transaction.atomic
def demo_load() -> DemoResult:
    """Load the reference data, the staff roles and the demo event.

    Side effects, in one transaction: runs ``load_reference_data`` and
    ``roles_sync``; creates or updates the Hanoi 2025 event (and makes it the
    current event, so any other event stops being current), its role quotas,
    rooms, programme, delegations, participants (with a history record
    each), demo organisations and the organizer account (a superuser in the
    Organizer group). Idempotent: records are matched by natural keys and
    written only when they differ, so a second run creates and changes nothing.
    Raises ``ImproperlyConfigured`` if the reference data lacks an
    organisation the demo uses.
    """
    call_command("load_reference_data", stdout=io.StringIO())
    roles_sync()
    tally = _Tally()
    event = _load_event(tally)
    rooms = _load_rooms(event, tally)
    _load_programme(event, rooms, tally)
    organisations = _organisations(tally)
    delegations = _load_delegations(event, organisations, tally)
    _load_participants(event, delegations, organisations, tally)
    _load_organizer(tally)
    return DemoResult(
        event=event,
        created=dict(sorted(tally.created.items())),
        updated=dict(sorted(tally.updated.items())),
        totals=_totals(event),
    )
