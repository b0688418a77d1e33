"""Demo agencies, people and organisations for `manage.py seed_demo`.

Everything is keyed on a stable slug or email, so a second run finds what the first one
made. Directory data (agencies, organisations, profile fields) is brought back to what this
file says, saving only the fields that differ; passwords are set only when an account is
created (hashing is slow, and a new salt would change the row on every run).

The people are fictional: no name here belongs to a real official. All accounts use the
reserved domain `demo.ashyq.kz` and one password, `DEMO_PASSWORD`. Later modules create
their own demo users through `demo_user`, so they get the same password and a verified
email too.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from io import TextIOBase
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import models

from . import services
from .models import Agency, Membership, Organisation, OrganisationMembership, User
from .regions import Region
from .roles import PLATFORM_EDITORS, PLATFORM_MODERATORS

DEMO_PASSWORD = "ashyq-demo-2026"
DEMO_EMAIL_DOMAIN = "demo.ashyq.kz"
DEMO_PROVIDER = "demo"

Role = Membership.Role


@dataclass(frozen=True)
class Person:
    login: str  # local part of the email address
    first_name: str
    last_name: str
    region: str
    position: tuple[str, str, str] = ("", "", "")  # kk, ru, en

    @property
    def email(self) -> str:
        return demo_email(self.login)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: tuple[str, str, str]  # kk, ru, en
    kind: str
    region: str
    description: tuple[str, str, str]
    address: tuple[str, str, str]
    phone: str
    website: str
    head: Person
    parent: str = ""


CENTRAL, LOCAL = Agency.Kind.CENTRAL, Agency.Kind.LOCAL
HOUSE_OF_MINISTRIES = (
    "Астана қ., Мәңгілік Ел даңғылы, 8, Министрліктер үйі, {n}-кіреберіс",
    "г. Астана, пр. Мангилик Ел, 8, Дом министерств, подъезд {n}",
    "8 Mangilik Yel Ave, House of Ministries, entrance {n}, Astana",
)


def _ministries_house(entrance: int) -> tuple[str, str, str]:
    kk, ru, en = HOUSE_OF_MINISTRIES
    return kk.format(n=entrance), ru.format(n=entrance), en.format(n=entrance)


def _gov_kz(entity: str) -> str:
    return f"https://www.gov.kz/memleket/entities/{entity}"


# Parents come before their children.
AGENCIES: tuple[DemoAgency, ...] = (
    DemoAgency(
        slug="ministry-of-justice",
        name=(
            "Қазақстан Республикасының Әділет министрлігі",
            "Министерство юстиции Республики Казахстан",
            "Ministry of Justice of the Republic of Kazakhstan",
        ),
        kind=CENTRAL,
        region="",
        description=(
            "Құқықтық саясатты, нормативтік құқықтық актілердің сараптамасын және "
            "кепілдік берілген заң көмегін қамтамасыз етеді.",
            "Обеспечивает правовую политику, экспертизу нормативных правовых актов и "
            "гарантированную юридическую помощь.",
            "Responsible for legal policy, the review of legal acts and guaranteed legal aid.",
        ),
        address=_ministries_house(13),
        phone="+7 7172 74 07 20",
        website=_gov_kz("adilet"),
        head=Person(
            "justice.head",
            "Нұрлан",
            "Әбдіхалықов",
            Region.ASTANA,
            (
                "Қазақстан Республикасының Әділет министрі",
                "Министр юстиции Республики Казахстан",
                "Minister of Justice",
            ),
        ),
    ),
    DemoAgency(
        slug="ministry-of-health",
        name=(
            "Қазақстан Республикасының Денсаулық сақтау министрлігі",
            "Министерство здравоохранения Республики Казахстан",
            "Ministry of Health of the Republic of Kazakhstan",
        ),
        kind=CENTRAL,
        region="",
        description=(
            "Денсаулық сақтау саласындағы мемлекеттік саясатты әзірлейді және іске асырады.",
            "Разрабатывает и реализует государственную политику в области здравоохранения.",
            "Develops and carries out state policy on health care.",
        ),
        address=_ministries_house(5),
        phone="+7 7172 74 32 43",
        website=_gov_kz("dsm"),
        head=Person(
            "health.head",
            "Гүлнар",
            "Сейітқалиева",
            Region.ASTANA,
            (
                "Қазақстан Республикасының Денсаулық сақтау министрі",
                "Министр здравоохранения Республики Казахстан",
                "Minister of Health",
            ),
        ),
    ),
    DemoAgency(
        slug="ministry-of-education",
        name=(
            "Қазақстан Республикасының Оқу-ағарту министрлігі",
            "Министерство просвещения Республики Казахстан",
            "Ministry of Education of the Republic of Kazakhstan",
        ),
        kind=CENTRAL,
        region="",
        description=(
            "Мектепке дейінгі, орта және қосымша білім беру саласындағы саясатты жүзеге асырады.",
            "Реализует политику в сфере дошкольного, среднего и дополнительного образования.",
            "Runs policy on pre-school, secondary and supplementary education.",
        ),
        address=_ministries_house(11),
        phone="+7 7172 74 24 28",
        website=_gov_kz("edu"),
        head=Person(
            "education.head",
            "Бауыржан",
            "Тілеубердиев",
            Region.ASTANA,
            (
                "Қазақстан Республикасының Оқу-ағарту министрі",
                "Министр просвещения Республики Казахстан",
                "Minister of Education",
            ),
        ),
    ),
    DemoAgency(
        slug="ministry-of-digital-development",
        name=(
            "Қазақстан Республикасының Цифрлық даму, инновациялар және аэроғарыш "
            "өнеркәсібі министрлігі",
            "Министерство цифрового развития, инноваций и аэрокосмической промышленности "
            "Республики Казахстан",
            "Ministry of Digital Development, Innovations and Aerospace Industry of the "
            "Republic of Kazakhstan",
        ),
        kind=CENTRAL,
        region="",
        description=(
            "Цифрландыру, байланыс, ақпараттық қауіпсіздік және электрондық үкімет "
            "салаларына жауап береді.",
            "Отвечает за цифровизацию, связь, информационную безопасность и электронное "
            "правительство.",
            "Responsible for digitalisation, communications, information security and "
            "e-government.",
        ),
        address=_ministries_house(4),
        phone="+7 7172 74 99 88",
        website=_gov_kz("mdai"),
        head=Person(
            "digital.head",
            "Данияр",
            "Қуанышбаев",
            Region.ASTANA,
            (
                "Қазақстан Республикасының Цифрлық даму, инновациялар және аэроғарыш "
                "өнеркәсібі министрі",
                "Министр цифрового развития, инноваций и аэрокосмической промышленности "
                "Республики Казахстан",
                "Minister of Digital Development, Innovations and Aerospace Industry",
            ),
        ),
    ),
    DemoAgency(
        slug="ministry-of-ecology",
        name=(
            "Қазақстан Республикасының Экология және табиғи ресурстар министрлігі",
            "Министерство экологии и природных ресурсов Республики Казахстан",
            "Ministry of Ecology and Natural Resources of the Republic of Kazakhstan",
        ),
        kind=CENTRAL,
        region="",
        description=(
            "Қоршаған ортаны қорғау, орман ресурстары және жануарлар дүниесі салаларындағы "
            "саясатты жүзеге асырады.",
            "Проводит политику в области охраны окружающей среды, лесных ресурсов и "
            "животного мира.",
            "Runs policy on environmental protection, forests and wildlife.",
        ),
        address=_ministries_house(14),
        phone="+7 7172 74 08 47",
        website=_gov_kz("ecogeo"),
        head=Person(
            "ecology.head",
            "Асқар",
            "Жұмаділов",
            Region.ASTANA,
            (
                "Қазақстан Республикасының Экология және табиғи ресурстар министрі",
                "Министр экологии и природных ресурсов Республики Казахстан",
                "Minister of Ecology and Natural Resources",
            ),
        ),
    ),
    DemoAgency(
        slug="ministry-of-finance",
        name=(
            "Қазақстан Республикасының Қаржы министрлігі",
            "Министерство финансов Республики Казахстан",
            "Ministry of Finance of the Republic of Kazakhstan",
        ),
        kind=CENTRAL,
        region="",
        description=(
            "Республикалық бюджетті, мемлекеттік кірістерді және мемлекеттік сатып алуды "
            "басқарады.",
            "Управляет республиканским бюджетом, государственными доходами и "
            "государственными закупками.",
            "Manages the national budget, state revenue and public procurement.",
        ),
        address=_ministries_house(4),
        phone="+7 7172 71 77 65",
        website=_gov_kz("minfin"),
        head=Person(
            "finance.head",
            "Ержан",
            "Төлеуғалиев",
            Region.ASTANA,
            (
                "Қазақстан Республикасының Қаржы министрі",
                "Министр финансов Республики Казахстан",
                "Minister of Finance",
            ),
        ),
    ),
    DemoAgency(
        slug="state-revenue-committee",
        parent="ministry-of-finance",
        name=(
            "Қазақстан Республикасы Қаржы министрлігінің Мемлекеттік кірістер комитеті",
            "Комитет государственных доходов Министерства финансов Республики Казахстан",
            "State Revenue Committee of the Ministry of Finance of the Republic of Kazakhstan",
        ),
        kind=CENTRAL,
        region="",
        description=(
            "Салықтық және кедендік әкімшілендіруді жүзеге асырады.",
            "Осуществляет налоговое и таможенное администрирование.",
            "Administers taxes and customs.",
        ),
        address=(
            "Астана қ., Жеңіс даңғылы, 11",
            "г. Астана, пр. Женис, 11",
            "11 Zhenis Ave, Astana",
        ),
        phone="+7 7172 71 83 00",
        website=_gov_kz("kgd"),
        head=Person(
            "revenue.head",
            "Марат",
            "Есенғалиев",
            Region.ASTANA,
            (
                "Мемлекеттік кірістер комитетінің төрағасы",
                "Председатель Комитета государственных доходов",
                "Chairman of the State Revenue Committee",
            ),
        ),
    ),
    DemoAgency(
        slug="ministry-of-labour",
        name=(
            "Қазақстан Республикасының Еңбек және халықты әлеуметтік қорғау министрлігі",
            "Министерство труда и социальной защиты населения Республики Казахстан",
            "Ministry of Labour and Social Protection of the Population of the Republic of "
            "Kazakhstan",
        ),
        kind=CENTRAL,
        region="",
        description=(
            "Еңбек, жұмыспен қамту және халықты әлеуметтік қорғау саясатын жүзеге асырады.",
            "Реализует политику в сфере труда, занятости и социальной защиты населения.",
            "Runs labour, employment and social protection policy.",
        ),
        address=_ministries_house(10),
        phone="+7 7172 74 36 01",
        website=_gov_kz("enbek"),
        head=Person(
            "labour.head",
            "Әйгерім",
            "Байжанова",
            Region.ASTANA,
            (
                "Қазақстан Республикасының Еңбек және халықты әлеуметтік қорғау министрі",
                "Министр труда и социальной защиты населения Республики Казахстан",
                "Minister of Labour and Social Protection of the Population",
            ),
        ),
    ),
    DemoAgency(
        slug="ministry-of-internal-affairs",
        name=(
            "Қазақстан Республикасының Ішкі істер министрлігі",
            "Министерство внутренних дел Республики Казахстан",
            "Ministry of Internal Affairs of the Republic of Kazakhstan",
        ),
        kind=CENTRAL,
        region="",
        description=(
            "Қоғамдық тәртіпті қамтамасыз етеді, құқық бұзушылықтардың алдын алады және "
            "көші-қон мәселелерімен айналысады.",
            "Обеспечивает общественный порядок, профилактику правонарушений и решает "
            "вопросы миграции.",
            "Keeps public order, prevents offences and handles migration.",
        ),
        address=(
            "Астана қ., Тәуелсіздік даңғылы, 1",
            "г. Астана, пр. Тауелсиздик, 1",
            "1 Tauelsizdik Ave, Astana",
        ),
        phone="+7 7172 72 22 40",
        website=_gov_kz("qriim"),
        head=Person(
            "interior.head",
            "Серік",
            "Қайыпов",
            Region.ASTANA,
            (
                "Қазақстан Республикасының Ішкі істер министрі",
                "Министр внутренних дел Республики Казахстан",
                "Minister of Internal Affairs",
            ),
        ),
    ),
    DemoAgency(
        slug="akimat-astana",
        name=("Астана қаласының әкімдігі", "Акимат города Астаны", "Akimat of Astana"),
        kind=LOCAL,
        region=Region.ASTANA,
        description=(
            "Астана қаласының жергілікті атқарушы органы.",
            "Местный исполнительный орган города Астаны.",
            "The local executive body of the city of Astana.",
        ),
        address=(
            "Астана қ., Бейбітшілік көшесі, 11",
            "г. Астана, ул. Бейбитшилик, 11",
            "11 Beibitshilik St, Astana",
        ),
        phone="+7 7172 55 64 00",
        website=_gov_kz("astana"),
        head=Person(
            "astana.head",
            "Айдос",
            "Мұқанов",
            Region.ASTANA,
            ("Астана қаласының әкімі", "Аким города Астаны", "Akim of Astana"),
        ),
    ),
    DemoAgency(
        slug="akimat-almaty",
        name=("Алматы қаласының әкімдігі", "Акимат города Алматы", "Akimat of Almaty"),
        kind=LOCAL,
        region=Region.ALMATY_CITY,
        description=(
            "Алматы қаласының жергілікті атқарушы органы.",
            "Местный исполнительный орган города Алматы.",
            "The local executive body of the city of Almaty.",
        ),
        address=(
            "Алматы қ., Республика алаңы, 4",
            "г. Алматы, пл. Республики, 4",
            "4 Republic Square, Almaty",
        ),
        phone="+7 727 271 66 00",
        website=_gov_kz("almaty"),
        head=Person(
            "almaty.head",
            "Талғат",
            "Әміржанов",
            Region.ALMATY_CITY,
            ("Алматы қаласының әкімі", "Аким города Алматы", "Akim of Almaty"),
        ),
    ),
    DemoAgency(
        slug="almaty-education-department",
        parent="akimat-almaty",
        name=(
            "Алматы қаласы Білім басқармасы",
            "Управление образования города Алматы",
            "Almaty City Education Department",
        ),
        kind=LOCAL,
        region=Region.ALMATY_CITY,
        description=(
            "Алматы қаласындағы мектепке дейінгі және орта білім беру ұйымдарының жұмысын "
            "үйлестіреді.",
            "Координирует работу организаций дошкольного и среднего образования города Алматы.",
            "Coordinates pre-school and secondary education in Almaty.",
        ),
        address=(
            "Алматы қ., Құрманғазы көшесі, 145",
            "г. Алматы, ул. Курмангазы, 145",
            "145 Kurmangazy St, Almaty",
        ),
        phone="+7 727 261 15 52",
        website=_gov_kz("almaty-bilim"),
        head=Person(
            "almaty-education.head",
            "Жанар",
            "Қалиева",
            Region.ALMATY_CITY,
            (
                "Алматы қаласы Білім басқармасының басшысы",
                "Руководитель Управления образования города Алматы",
                "Head of the Almaty City Education Department",
            ),
        ),
    ),
    DemoAgency(
        slug="akimat-shymkent",
        name=("Шымкент қаласының әкімдігі", "Акимат города Шымкент", "Akimat of Shymkent"),
        kind=LOCAL,
        region=Region.SHYMKENT,
        description=(
            "Шымкент қаласының жергілікті атқарушы органы.",
            "Местный исполнительный орган города Шымкент.",
            "The local executive body of the city of Shymkent.",
        ),
        address=(
            "Шымкент қ., Тәуке хан даңғылы, 5",
            "г. Шымкент, пр. Тауке хана, 5",
            "5 Tauke Khan Ave, Shymkent",
        ),
        phone="+7 7252 56 43 10",
        website=_gov_kz("shymkent"),
        head=Person(
            "shymkent.head",
            "Ғалымжан",
            "Оразбеков",
            Region.SHYMKENT,
            ("Шымкент қаласының әкімі", "Аким города Шымкент", "Akim of Shymkent"),
        ),
    ),
    DemoAgency(
        slug="akimat-karaganda-region",
        name=(
            "Қарағанды облысының әкімдігі",
            "Акимат Карагандинской области",
            "Akimat of Karaganda Region",
        ),
        kind=LOCAL,
        region=Region.KARAGANDA,
        description=(
            "Қарағанды облысының жергілікті атқарушы органы.",
            "Местный исполнительный орган Карагандинской области.",
            "The local executive body of Karaganda Region.",
        ),
        address=(
            "Қарағанды қ., Бұқар жырау даңғылы, 47",
            "г. Караганда, пр. Бухар-Жырау, 47",
            "47 Bukhar-Zhyrau Ave, Karaganda",
        ),
        phone="+7 7212 50 10 50",
        website=_gov_kz("karaganda"),
        head=Person(
            "karaganda.head",
            "Қайрат",
            "Нұрпейісов",
            Region.KARAGANDA,
            (
                "Қарағанды облысының әкімі",
                "Аким Карагандинской области",
                "Akim of Karaganda Region",
            ),
        ),
    ),
)

CHIEF_EXPERT = ("Бас сарапшы", "Главный эксперт", "Chief expert")
PRESS_SECRETARY = ("Баспасөз хатшысы", "Пресс-секретарь", "Press secretary")
APPEALS_HEAD = (
    "Өтініштермен жұмыс бөлімінің басшысы",
    "Руководитель отдела по работе с обращениями",
    "Head of the Appeals Unit",
)

# (agency slug, role, person)
STAFF: tuple[tuple[str, str, Person], ...] = (
    (
        "ministry-of-justice",
        Role.RESPONDER,
        Person("justice.responder", "Айжан", "Ермекова", Region.ASTANA, CHIEF_EXPERT),
    ),
    (
        "ministry-of-justice",
        Role.DRAFTER,
        Person(
            "justice.drafter",
            "Тимур",
            "Сағындықов",
            Region.ASTANA,
            (
                "Заңнама департаментінің директоры",
                "Директор департамента законодательства",
                "Director of the Legislation Department",
            ),
        ),
    ),
    (
        "ministry-of-health",
        Role.RESPONDER,
        Person("health.responder", "Мадина", "Жолдасбекова", Region.ASTANA, APPEALS_HEAD),
    ),
    (
        "ministry-of-digital-development",
        Role.RESPONDER,
        Person("digital.responder", "Ерболат", "Құсайынов", Region.ASTANA, CHIEF_EXPERT),
    ),
    (
        "ministry-of-digital-development",
        Role.DRAFTER,
        Person(
            "digital.drafter",
            "Дина",
            "Ахметова",
            Region.ASTANA,
            (
                "Заң департаментінің директоры",
                "Директор юридического департамента",
                "Director of the Legal Department",
            ),
        ),
    ),
    (
        "ministry-of-digital-development",
        Role.MODERATOR,
        Person("digital.moderator", "Арман", "Бекболатов", Region.ASTANA, PRESS_SECRETARY),
    ),
    (
        "akimat-almaty",
        Role.RESPONDER,
        Person("almaty.responder", "Сәуле", "Тоқтарова", Region.ALMATY_CITY, APPEALS_HEAD),
    ),
    (
        "akimat-almaty",
        Role.MODERATOR,
        Person("almaty.moderator", "Нұржан", "Әлиев", Region.ALMATY_CITY, PRESS_SECRETARY),
    ),
    (
        "akimat-almaty",
        Role.DRAFTER,
        Person(
            "almaty.drafter",
            "Бауыржан",
            "Сейітов",
            Region.ALMATY_CITY,
            (
                "Заң бөлімінің басшысы",
                "Руководитель юридического отдела",
                "Head of the Legal Unit",
            ),
        ),
    ),
)

# (person, identity verified through national ID)
CITIZENS: tuple[tuple[Person, bool], ...] = (
    (Person("aruzhan", "Аружан", "Қасымова", Region.ASTANA), True),
    (Person("dauren", "Дәурен", "Ахметжанов", Region.ALMATY_CITY), True),
    (Person("gulmira", "Гүлмира", "Сапарова", Region.SHYMKENT), True),
    (Person("olga", "Ольга", "Ким", Region.PAVLODAR), True),
    (Person("bekzat", "Бекзат", "Нұрланов", Region.MANGYSTAU), True),
    (Person("yerassyl", "Ерасыл", "Бекқожин", Region.KARAGANDA), False),
)

ADMIN = Person("admin", "Ashyq", "Admin", Region.ASTANA)
EDITOR = Person("editor", "Жанна", "Смағұлова", Region.ASTANA)
MODERATOR = Person("moderator", "Қанат", "Әбілов", Region.ASTANA)

NGO = {
    "slug": "baqylau",
    "name": "«Бақылау» азаматтық мониторинг орталығы",
    "kind": Organisation.Kind.NGO,
    "description": (
        "Мемлекеттік органдардың азаматтардың сұрақтары мен ескертпелеріне қаншалықты "
        "уақтылы және толық жауап беретінін бақылайтын қоғамдық қор."
    ),
    "website": f"https://baqylau.{DEMO_EMAIL_DOMAIN}",
}
NGO_MEMBER = Person("ngo", "Әлия", "Нұрсейітова", Region.ALMATY_CITY)
MEDIA = {
    "slug": "saryarqa-aqparat",
    "name": "«Сарыарқа ақпарат» интернет-басылымы",
    "kind": Organisation.Kind.MEDIA,
    "description": "Қарағанды облысының жаңалықтары мен журналистік зерттеулер.",
    "website": f"https://saryarqa.{DEMO_EMAIL_DOMAIN}",
}
JOURNALIST = Person("journalist", "Руслан", "Ибраев", Region.KARAGANDA)


def demo_email(login: str) -> str:
    return f"{login}@{DEMO_EMAIL_DOMAIN}"


def seed(*, stdout: TextIOBase) -> list[tuple[str, str]]:
    logins: list[tuple[str, str]] = []

    admin = demo_user(ADMIN, is_staff=True, is_superuser=True)
    logins.append((admin.email, "Superuser (Wagtail admin /cms/, Django admin /django-admin/)"))
    editor = demo_user(EDITOR, is_staff=True, groups=[PLATFORM_EDITORS])
    logins.append((editor.email, "Platform editor (Wagtail admin /cms/)"))
    moderator = demo_user(MODERATOR, groups=[PLATFORM_MODERATORS])
    logins.append((moderator.email, "Platform moderator"))

    agencies, created = _seed_agencies()
    stdout.write(f"  agencies: {len(agencies)} ({created} new)\n")

    granted = 0
    for spec in AGENCIES:
        head = demo_user(spec.head, display_name=spec.head.full_name)
        granted += _grant(agencies[spec.slug], head, Role.HEAD, spec.head, actor=admin, out=stdout)
        logins.append((head.email, f"Head: {spec.head.position[2]}"))
    for slug, role, person in STAFF:
        user = demo_user(person, display_name=person.full_name)
        granted += _grant(agencies[slug], user, role, person, actor=admin, out=stdout)
        label = Role(role).label  # in English: the command runs with English active
        logins.append((user.email, f"{label}, {agencies[slug].name_en}"))
    stdout.write(f"  agency staff: {len(AGENCIES) + len(STAFF)} roles ({granted} new)\n")

    for person, identity_verified in CITIZENS:
        user = demo_user(person)
        if identity_verified:
            services.user_mark_identity_verified(user=user, provider=DEMO_PROVIDER)
        region = Region(person.region).label
        note = "identity verified" if identity_verified else "email verified only"
        logins.append((user.email, f"Citizen, {region} ({note})"))
    stdout.write(f"  citizens: {len(CITIZENS)}\n")

    ngo = _organisation(NGO, member=demo_user(NGO_MEMBER))
    services.organisation_verify(organisation=ngo, actor=editor)
    logins.append((NGO_MEMBER.email, f"NGO member and admin: {ngo.name} (verified)"))
    media = _organisation(MEDIA, member=demo_user(JOURNALIST))
    logins.append((JOURNALIST.email, f"Journalist: {media.name} (not verified)"))
    stdout.write("  organisations: 2\n")
    return logins


def demo_user(
    person: Person,
    *,
    display_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    groups: list[str] | None = None,
) -> User:
    """The demo account for `person`, able to sign in at once with `DEMO_PASSWORD`.

    Officials sign what they write with their full name (`display_name`); citizens are left
    to the default, first name and initial.
    """
    fields = {
        "display_name": display_name,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "region": person.region,
        "is_staff": is_staff,
        "is_superuser": is_superuser,
        "is_active": True,
    }
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User.objects.create(email=person.email, password=_password_hash(), **fields)
    else:
        _update_changed(user, fields)
    for name in groups or []:
        group, _created = Group.objects.get_or_create(name=name)
        if not user.groups.filter(pk=group.pk).exists():  # add() would write even then
            user.groups.add(group)
    _verified_primary_email(user)
    return user


@functools.cache
def _password_hash() -> str:
    """Hashed once and shared: hashing per account would take seconds for a public password."""
    return make_password(DEMO_PASSWORD)


def _verified_primary_email(user: User) -> None:
    """allauth refuses to sign in an account whose email is not verified."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress.objects.create(user=user, email=user.email, verified=True)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    if not address.primary:
        address.set_as_primary()


def _seed_agencies() -> tuple[dict[str, Agency], int]:
    agencies: dict[str, Agency] = {}
    created = 0
    for spec in AGENCIES:
        fields: dict[str, Any] = {
            "kind": spec.kind,
            "region": spec.region,
            "parent": agencies[spec.parent] if spec.parent else None,
            "phone": spec.phone,
            "website": spec.website,
            "is_active": True,
        }
        for base in ("name", "description", "address"):
            for lang, value in zip(("kk", "ru", "en"), getattr(spec, base), strict=True):
                fields[f"{base}_{lang}"] = value
        agency = Agency.objects.filter(slug=spec.slug).first()
        if agency is None:
            agency = Agency.objects.create(slug=spec.slug, **fields)
            created += 1
        else:
            _update_changed(agency, fields)
        agencies[spec.slug] = agency
    return agencies, created


def _grant(
    agency: Agency, user: User, role: str, person: Person, *, actor: User, out: TextIOBase
) -> int:
    """Give `user` the role unless they hold it already (the service would log it again)."""
    existing = Membership.objects.filter(agency=agency, user=user, role=role).first()
    if existing is not None:
        if (existing.position_kk, existing.position_ru, existing.position_en) == person.position:
            return 0
    elif role == Role.HEAD and Membership.objects.filter(agency=agency, role=Role.HEAD).exists():
        out.write(f"  {agency.slug}: has another head already, left as it is\n")
        return 0
    kk, ru, en = person.position
    services.membership_grant(
        agency=agency,
        user=user,
        role=role,
        actor=actor,
        position_kk=kk,
        position_ru=ru,
        position_en=en,
    )
    return 1 if existing is None else 0


def _organisation(spec: dict[str, Any], *, member: User) -> Organisation:
    fields = {key: value for key, value in spec.items() if key != "slug"}
    organisation = Organisation.objects.filter(slug=spec["slug"]).first()
    if organisation is None:
        organisation = Organisation.objects.create(slug=spec["slug"], **fields)
    else:
        _update_changed(organisation, fields)
    OrganisationMembership.objects.get_or_create(
        user=member, organisation=organisation, defaults={"is_admin": True}
    )
    return organisation


def _update_changed(instance: models.Model, fields: dict[str, Any]) -> None:
    """Save only the fields that differ, so a second run writes nothing."""
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, fields[name])
    if changed:
        instance.save(update_fields=changed)
