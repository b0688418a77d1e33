"""Demo petitions for `manage.py seed_demo`: one in every state, addressed to ministries
and akimats of accounts/demo.py, written in Kazakh or Russian by its demo citizens.

- draft: a new school in Shymkent (Akimat of Shymkent);
- submitted, its moderation duty overdue: an MRI scanner for Pavlodar (Ministry of Health);
- in moderation: a cycle lane in Almaty (Akimat of Almaty);
- published, link-only, gathering its first supporters: sewage in the Caspian at Aktau
  (Ministry of Ecology);
- public: free hot meals for every schoolchild (Ministry of Education);
- threshold reached, awaiting the response: lighting along the Yesil in Astana (Akimat of
  Astana, a local body: 20 working days);
- responded, over its threshold, with a public hearing date: a square in Almaty kept
  from construction (Akimat of Almaty);
- closed unsupported: speed-camera fines (Ministry of Internal Affairs);
- closed at the end of its collection: saxaul groves in Turkistan (Ministry of Ecology);
- rejected on an excluded topic (citizenship, a public reason) and for personal data (a
  reason not published: the petition stays private);
- withdrawn by its author after publication: the minimum wage (Ministry of Labour).

Everything goes through `petitions.services`, each step under `_clock(moment)` as in
blogs/demo.py and legal_drafts/demo.py (the signature rate windows included), so the
moderation and response duties' histories, the audit events and the stored and derived
states agree with the dates. Moments are counted in calendar days back from today; the
working-day deadlines follow from them with room, so the states hold whatever day the
demo is seeded. The daily `close_expired` is run as of the day after each closing clock.

Realistic counts: the akimats of Astana and Almaty get modest `AddresseeRule`s (120 and
150 signatures, local) when they have none, so two petitions cross their threshold;
ministries keep the default 50,000. Besides the demo citizens (who sign through the
services), `SIGNERS` generated accounts (`signer-NNN@signers.demo.ashyq.kz`, verified
emails, unusable passwords: they cannot sign in) supply the bulk: their signatures are
inserted with `bulk_create`, dated across the collection, then `services.recount` sets
the counters; only the signature that crosses a step (the 50 supporters, the threshold)
goes through `services.signature_add`, so the transition, its duty and its notification
happen as they would have.

Idempotent: a petition is found again by its addressee and title; what exists is left
alone. Generated signers are found again by email.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import TextIOBase
from types import SimpleNamespace
from unittest import mock

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_EMAIL_DOMAIN
from accounts.models import Agency, User
from accounts.regions import Region
from moderation import services as moderation_services
from tracking import calendar

from . import services
from .models import AddresseeRule, Petition, RejectionReason, Signature, ThresholdMode

SIGNERS = 700
SIGNER_DOMAIN = f"signers.{DEMO_EMAIL_DOMAIN}"
MODERATOR = "moderator"

# Modest thresholds so the demo reaches them (set only where the agency has no rule).
RULES = {"akimat-astana": 120, "akimat-almaty": 150}


@contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """Run the services as at `moment` (blogs/demo.py explains why), the signature and
    posting rate windows included: they count in the demo's past hours."""
    clock = SimpleNamespace(time=moment.timestamp)
    with (
        mock.patch.object(timezone, "now", lambda: moment),
        mock.patch.object(services, "time", clock),
        mock.patch.object(moderation_services, "time", clock),
    ):
        yield


def _ago(days: int, hour: int = 10, today: datetime.date | None = None) -> datetime.datetime:
    """`days` calendar days before today, at `hour` Astana time."""
    day = (today or calendar.local_date()) - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=calendar.tz())


@dataclass(frozen=True)
class DemoPetition:
    key: str  # the state it demonstrates (the tests use it)
    author: str  # login (accounts/demo.py)
    addressee: str  # agency slug
    region: str
    title: str
    request: str
    background: str
    created: int  # days ago
    submitted: int | None = None
    moderation_started: int | None = None
    published: int | None = None
    rejected: tuple[int, str, str] | None = None  # days ago, reason code, note
    supporters: tuple[str, ...] = ()  # demo citizens signing through the services
    signatures: int = 0  # counted signatures today (citizens, crossings and bulk)
    public: int | None = None  # days ago the 50th supporter signed
    threshold: int | None = None  # days ago the threshold was reached
    response: tuple[int, str, str, int | None] | None = None  # days ago, decision, text,
    # hearing date in days from today
    responder: str = ""
    withdrawn: tuple[int, str] | None = None  # days ago, reason
    closes: str = ""  # "unsupported" / "collection": close_expired runs after that clock


PETITIONS: tuple[DemoPetition, ...] = (
    DemoPetition(
        key="draft",
        author="gulmira",
        addressee="akimat-shymkent",
        region=Region.SHYMKENT,
        title="Шымкенттегі Қайтпас шағынауданында жаңа мектеп салу",
        request="Қайтпас шағынауданында кемінде 1200 орындық жалпы білім беретін мектеп салуды "
        "қаланың 2027 жылғы бюджетіне енгізуді сұраймыз.",
        background="Шағынауданда мектеп жасындағы төрт мыңнан астам бала тұрады. Ең жақын "
        "мектеп үш ауысыммен жұмыс істейді, балалар күн сайын бес шақырымнан астам жол жүреді.",
        created=2,
    ),
    DemoPetition(
        key="submitted",
        author="olga",
        addressee="ministry-of-health",
        region=Region.PAVLODAR,
        title="Оснастить Павлодарскую областную больницу вторым аппаратом МРТ",
        request="Просим закупить и установить второй аппарат магнитно-резонансной томографии "
        "в Павлодарской областной больнице в 2026 году.",
        background="Единственный аппарат МРТ в области работает с перегрузкой: очередь на "
        "плановое обследование достигает трёх месяцев, и пациентов направляют в Астану "
        "за свой счёт.",
        created=47,
        submitted=45,
    ),
    DemoPetition(
        key="in_moderation",
        author="dauren",
        addressee="akimat-almaty",
        region=Region.ALMATY_CITY,
        title="Әл-Фараби даңғылының бойына велосипед жолағын салу",
        request="Әл-Фараби даңғылының бойымен Навои көшесінен Достық даңғылына дейін жүріс "
        "бөлігінен бөлінген велосипед жолағын салуды сұраймыз.",
        background="Даңғыл бойында үш университет пен екі ірі бизнес-орталық орналасқан. "
        "Велосипедшілер жаяу жүргіншілер жолымен немесе қауіпті жүріс бөлігімен жүруге мәжбүр.",
        created=8,
        submitted=6,
        moderation_started=4,
    ),
    DemoPetition(
        key="published",
        author="bekzat",
        addressee="ministry-of-ecology",
        region=Region.MANGYSTAU,
        title="Прекратить сброс неочищенных стоков в Каспийское море у Актау",
        request="Просим провести внеплановую проверку очистных сооружений Актау и установить "
        "автоматический мониторинг сбросов с публикацией данных в открытом доступе.",
        background="Жители 15-го и 16-го микрорайонов летом жалуются на запах и мутную воду у "
        "городского пляжа. Результаты последних проверок не публиковались.",
        created=6,
        submitted=5,
        published=3,
        supporters=("aruzhan", "olga", "dauren", "ngo"),
        signatures=12,
    ),
    DemoPetition(
        key="public",
        author="aruzhan",
        addressee="ministry-of-education",
        region="",
        title="Барлық мектеп оқушыларын тегін ыстық тамақпен қамтамасыз ету",
        request="Жалпы білім беретін мектептердің 1–11 сыныптарындағы барлық оқушыларға "
        "тегін ыстық түскі ас беруді 2027 жылғы 1 қыркүйектен бастап енгізуді сұраймыз.",
        background="Қазір тегін тамақ негізінен бастауыш сынып оқушыларына және аз қамтылған "
        "отбасылардың балаларына беріледі. Жоғары сынып оқушылары күні бойы тамақсыз жүреді.",
        created=45,
        submitted=44,
        moderation_started=43,
        published=40,
        supporters=("gulmira", "dauren", "olga", "bekzat"),
        public=35,
        signatures=512,
    ),
    DemoPetition(
        key="threshold_reached",
        author="aruzhan",
        addressee="akimat-astana",
        region=Region.ASTANA,
        title="Осветить пешеходную набережную реки Есиль от моста Арай до Центрального парка",
        request="Просим установить освещение и камеры видеонаблюдения вдоль пешеходной "
        "набережной реки Есиль на участке от моста Арай до Центрального парка.",
        background="Участок длиной около двух километров не освещён. Вечером здесь ходят "
        "студенты и жители соседних домов, зимой темнеет уже в шесть часов.",
        created=31,
        submitted=30,
        published=28,
        supporters=("dauren", "gulmira", "ngo"),
        public=25,
        threshold=6,
        signatures=134,
    ),
    DemoPetition(
        key="responded",
        author="dauren",
        addressee="akimat-almaty",
        region=Region.ALMATY_CITY,
        title="Алматыдағы Жандосов көшесіндегі скверді құрылыстан сақтау",
        request="Жандосов көшесі мен Манас көшесінің қиылысындағы скверде көпқабатты үй салуға "
        "берілген рұқсатты қайта қарап, скверді қоғамдық жасыл аймақ ретінде бекітуді сұраймыз.",
        background="Сквер 1970 жылдардан бері тұрғындардың демалыс орны. Онда 200-ден астам "
        "ағаш өседі, ал ауданда жасыл аймақтар нормадан екі есе аз.",
        created=74,
        submitted=73,
        moderation_started=72,
        published=70,
        supporters=("aruzhan", "gulmira", "bekzat", "olga"),
        public=66,
        threshold=45,
        signatures=183,
        response=(
            25,
            "partially",
            "Әкімдік петицияны қарады. Көпқабатты үй салуға берілген рұқсаттың қолданылуы "
            "тоқтатылды. Скверді қоғамдық жасыл аймақ ретінде бекіту мәселесі қала құрылысы "
            "кеңесінде жария тыңдауда талқыланады; тыңдауға петиция авторы мен барлық "
            "тілек білдірушілер шақырылады.",
            12,
        ),
        responder="almaty.responder",
    ),
    DemoPetition(
        key="closed_unsupported",
        author="yerassyl",
        addressee="ministry-of-internal-affairs",
        region=Region.KARAGANDA,
        title="Не штрафовать за превышение скорости менее чем на 10 км/ч",
        request="Просим установить допуск 10 км/ч для превышения скорости, зафиксированного "
        "камерами, и не выносить постановления о штрафе ниже этого порога.",
        background="Погрешность камер и спидометров достигает нескольких километров в час, а "
        "штрафы приходят водителям, которые не нарушали правила намеренно.",
        created=54,
        submitted=53,
        published=50,
        supporters=("bekzat", "dauren"),
        signatures=9,
        closes="unsupported",
    ),
    DemoPetition(
        key="closed",
        author="gulmira",
        addressee="ministry-of-ecology",
        region=Region.TURKISTAN,
        title="Түркістан облысында сексеуіл кесуге толық тыйым салу",
        request="Түркістан облысындағы сексеуіл тоғайларын кесуге мерзімсіз тыйым салуды және "
        "заңсыз кесу үшін айыппұлдарды арттыруды сұраймыз.",
        background="Сексеуіл құмды бекітіп, ауылдарды шаңды дауылдан қорғайды. Соңғы жылдары "
        "отын үшін кесу салдарынан тоғайлардың ауданы айтарлықтай азайды.",
        created=205,
        submitted=204,
        moderation_started=203,
        published=200,
        supporters=("aruzhan", "dauren", "bekzat"),
        public=193,
        signatures=640,
        closes="collection",
    ),
    DemoPetition(
        key="rejected_excluded_topic",
        author="olga",
        addressee="ministry-of-internal-affairs",
        region="",
        title="Разрешить гражданам Казахстана двойное гражданство",
        request="Просим внести изменения в законодательство, разрешающие гражданам Республики "
        "Казахстан иметь гражданство другого государства.",
        background="Многие казахстанцы работают и учатся за рубежом и вынуждены выбирать между "
        "гражданствами.",
        created=30,
        submitted=29,
        moderation_started=27,
        rejected=(
            26,
            "citizenship",
            "Вопросы гражданства относятся к темам, по которым закон «Об общественном "
            "контроле» не допускает петиций. Предложение можно направить как обращение в "
            "Министерство внутренних дел.",
        ),
    ),
    DemoPetition(
        key="rejected_personal_data",
        author="yerassyl",
        addressee="almaty-education-department",
        region=Region.ALMATY_CITY,
        title="№ 54 мектептің мұғалімін жұмыстан шығару",
        request="№ 54 мектептің математика пәнінің мұғалімі С. Б. Жақсыбекованы (ұялы "
        "телефоны +7 700 000 00 00, мекенжайы көрсетілген) жұмыстан шығаруды сұраймыз.",
        background="Мұғалім балаларға жоғары баға қоймайды.",
        created=20,
        submitted=19,
        rejected=(
            15,
            "personal-data",
            "Петицияда жеке тұлғаның аты-жөні, телефоны және мекенжайы бар. Мектеп жұмысына "
            "шағымды білім басқармасына өтініш ретінде жіберуге болады.",
        ),
    ),
    DemoPetition(
        key="withdrawn",
        author="ngo",
        addressee="ministry-of-labour",
        region="",
        title="Повысить минимальную заработную плату до 100 000 тенге",
        request="Просим установить минимальную заработную плату в размере 100 000 тенге с "
        "1 января следующего года.",
        background="Нынешняя минимальная зарплата не покрывает базовые расходы семьи в "
        "крупных городах.",
        created=24,
        submitted=23,
        published=20,
        supporters=("olga", "aruzhan"),
        signatures=14,
        withdrawn=(
            12,
            "Правительство объявило о повышении минимальной зарплаты, петиция утратила смысл.",
        ),
    ),
)


# --- generated signers ------------------------------------------------------------------

MALE = (
    ("Ерлан", "Серіков"),
    ("Асхат", "Жұмабеков"),
    ("Дмитрий", "Волков"),
    ("Нұрсұлтан", "Оспанов"),
    ("Алексей", "Ким"),
    ("Мұрат", "Тоқтаров"),
    ("Ринат", "Хасанов"),
    ("Санжар", "Әбдірахманов"),
    ("Игорь", "Петренко"),
    ("Бауыржан", "Есенов"),
)
FEMALE = (
    ("Айгерім", "Нұрланова"),
    ("Динара", "Сейітова"),
    ("Наталья", "Ли"),
    ("Жанар", "Бекова"),
    ("Ирина", "Смирнова"),
    ("Мөлдір", "Қайратқызы"),
    ("Салтанат", "Омарова"),
    ("Елена", "Пак"),
    ("Томирис", "Ахметова"),
    ("Гүлнұр", "Исаева"),
)
# Where the generated signers live: the three cities most, every region some, a few
# without a region.
REGION_WEIGHTS = (
    (Region.ALMATY_CITY, 24),
    (Region.ASTANA, 18),
    (Region.SHYMKENT, 9),
    (Region.KARAGANDA, 6),
    (Region.TURKISTAN, 6),
    (Region.PAVLODAR, 4),
    (Region.MANGYSTAU, 4),
    (Region.EAST_KAZAKHSTAN, 4),
    (Region.AKTOBE, 4),
    (Region.ALMATY, 4),
    (Region.KOSTANAY, 3),
    (Region.ATYRAU, 3),
    (Region.JAMBYL, 3),
    (Region.ABAI, 2),
    ("", 6),
)
IP_NETWORKS = ("192.0.2.", "198.51.100.", "203.0.113.")  # documentation ranges


def _signer_region(n: int) -> str:
    cycle = [region for region, weight in REGION_WEIGHTS for _ in range(weight)]
    return cycle[(n * 37) % len(cycle)]


def _signer_name(n: int) -> tuple[str, str]:
    names = MALE if n % 2 else FEMALE
    first = names[n % len(names)][0]
    last = names[(n // 3) % len(names)][1]
    return first, last


def signer_email(n: int) -> str:
    return f"signer-{n:03d}@{SIGNER_DOMAIN}"


def _signers() -> list[User]:
    """The generated signers, created in bulk where missing (verified emails, unusable
    passwords), in a stable order."""
    emails = [signer_email(n) for n in range(1, SIGNERS + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    password = make_password(None)
    missing = []
    for n, email in enumerate(emails, start=1):
        if email in existing:
            continue
        first, last = _signer_name(n)
        missing.append(
            User(
                email=email,
                password=password,
                first_name=first,
                last_name=last,
                region=_signer_region(n),
                is_active=True,
            )
        )
    User.objects.bulk_create(missing, batch_size=500)
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    verified = set(EmailAddress.objects.filter(user__in=users).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in users
            if user.pk not in verified
        ],
        batch_size=500,
    )
    return users


def _ip(user: User) -> str:
    return f"{IP_NETWORKS[user.pk % 3]}{user.pk % 250 + 1}"


# --- seeding ----------------------------------------------------------------------------


def seed(*, stdout: TextIOBase) -> list[tuple[str, str]]:
    people = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    }
    agencies = {agency.slug: agency for agency in Agency.objects.all()}
    logins = {MODERATOR} | {spec.author for spec in PETITIONS}
    logins |= {login for spec in PETITIONS for login in spec.supporters}
    logins |= {spec.responder for spec in PETITIONS if spec.responder}
    slugs = {spec.addressee for spec in PETITIONS} | set(RULES)
    missing = (logins - set(people)) | (slugs - set(agencies))
    if missing:
        stdout.write(f"  missing demo people or agencies ({', '.join(sorted(missing))}): skipped\n")
        return []

    rules = 0
    for slug, threshold in RULES.items():
        _rule, created = AddresseeRule.objects.get_or_create(
            agency=agencies[slug],
            defaults={
                "threshold_mode": ThresholdMode.FIXED,
                "fixed_threshold": threshold,
                "central": False,
            },
        )
        rules += created
    stdout.write(f"  addressee rules: {rules} new\n")

    todo = [
        spec
        for spec in PETITIONS
        if not Petition.objects.filter(
            addressee=agencies[spec.addressee], title=spec.title
        ).exists()
    ]
    signers = _signers() if any(spec.signatures for spec in todo) else []
    for spec in todo:
        _seed_petition(spec, people, agencies[spec.addressee], signers)
    stdout.write(
        f"  petitions: {len(todo)} new, {len(PETITIONS) - len(todo)} already there "
        f"({SIGNERS} generated signers at @{SIGNER_DOMAIN})\n"
    )
    return []


def _seed_petition(
    spec: DemoPetition, people: dict[str, User], addressee: Agency, signers: list[User]
) -> Petition:
    today = calendar.local_date()
    author = people[spec.author]
    moderator = people[MODERATOR]

    def fresh() -> Petition:
        return Petition.objects.select_related("addressee", "rejection_reason").get(pk=pk)

    created_at = _ago(spec.created, 19, today)
    with _clock(created_at):
        pk = services.petition_create(
            author=author,
            addressee=addressee,
            title=spec.title,
            request=spec.request,
            background=spec.background,
            region=spec.region,
        ).pk
    # The field's default was bound to the real clock when the model was defined.
    Petition.objects.filter(pk=pk).update(created_at=created_at)
    if spec.submitted is None:
        return fresh()
    with _clock(_ago(spec.submitted, 9, today)):
        services.petition_submit(petition=fresh(), actor=author)
    if spec.moderation_started is not None:
        with _clock(_ago(spec.moderation_started, 11, today)):
            services.moderation_start(petition=fresh(), actor=moderator)
    if spec.rejected is not None:
        days, code, note = spec.rejected
        with _clock(_ago(days, 15, today)):
            services.petition_reject(
                petition=fresh(),
                actor=moderator,
                reason=RejectionReason.objects.get(code=code),
                note=note,
            )
        return fresh()
    if spec.published is None:
        return fresh()
    with _clock(_ago(spec.published, 12, today)):
        services.petition_publish(petition=fresh(), actor=moderator)
    petition = fresh()

    if spec.withdrawn is not None:
        until = _ago(spec.withdrawn[0], 8, today)
    elif spec.closes == "unsupported":
        until = petition.support_deadline - datetime.timedelta(days=1)
    elif spec.closes == "collection":
        until = petition.collection_closes_at - datetime.timedelta(days=1)
    else:
        until = timezone.now() - datetime.timedelta(hours=2)
    _collect(petition, spec, people, signers, until, today)

    if spec.response is not None:
        days, decision, text, hearing_in = spec.response
        hearing = today + datetime.timedelta(days=hearing_in) if hearing_in is not None else None
        with _clock(_ago(days, 16, today)):
            services.response_publish(
                petition=fresh(),
                actor=people[spec.responder],
                text=text,
                decision=decision,
                hearing_date=hearing,
            )
    if spec.withdrawn is not None:
        days, reason = spec.withdrawn
        with _clock(_ago(days, 10, today)):
            services.petition_withdraw(petition=fresh(), actor=author, reason=reason)
    if spec.closes:
        petition = fresh()
        clock = (
            petition.support_deadline
            if spec.closes == "unsupported"
            else petition.collection_closes_at
        )
        moment = clock + datetime.timedelta(hours=2)  # the daily command's night run
        with _clock(moment):
            services.close_expired(now=moment)
    return fresh()


def _collect(
    petition: Petition,
    spec: DemoPetition,
    people: dict[str, User],
    signers: list[User],
    until: datetime.datetime,
    today: datetime.date,
) -> None:
    """The demo citizens sign first, through the services; then generated signers, in
    bulk up to one short of each step (50 supporters, the threshold), the step's
    signature through the services at its moment, and bulk again up to the total."""
    pk = petition.pk
    # Signers from the petition's region first, so local petitions have local support.
    pool: Iterator[User] = iter(
        sorted(signers, key=lambda user: bool(spec.region) and user.region != spec.region)
    )
    moment = petition.published_at + datetime.timedelta(hours=1)
    for login in spec.supporters:
        with _clock(moment):
            services.signature_add(
                petition=Petition.objects.get(pk=pk), user=people[login], wants_updates=True
            )
        moment += datetime.timedelta(hours=3)

    steps = []
    if spec.public is not None:
        steps.append((services.support_minimum(), _ago(spec.public, 13, today)))
    if spec.threshold is not None:
        steps.append((petition.threshold, _ago(spec.threshold, 14, today)))
    for target, at in steps:
        _bulk_sign(pk, pool, target - 1, moment, at - datetime.timedelta(hours=1))
        with _clock(at):
            services.signature_add(petition=Petition.objects.get(pk=pk), user=next(pool))
        moment = at + datetime.timedelta(hours=1)
    _bulk_sign(pk, pool, spec.signatures, moment, until)


def _bulk_sign(
    pk: int, pool: Iterator[User], target: int, start: datetime.datetime, end: datetime.datetime
) -> None:
    """Insert signatures from `pool`, spread evenly over [start, end], until the petition
    counts `target`; then recount under the petition's lock."""
    count = Petition.objects.get(pk=pk).signature_count
    needed = max(0, target - count)
    if not needed:
        return
    step = (end - start) / (needed + 1)
    rows = [
        Signature(
            petition_id=pk,
            user=user,
            created_at=start + step * (index + 1),
            ip=_ip(user),
            email_domain=SIGNER_DOMAIN,
            region=user.region,
        )
        for index, user in enumerate(itertools.islice(pool, needed))
    ]
    Signature.objects.bulk_create(rows, batch_size=500)
    with transaction.atomic():
        services.recount(Petition.objects.select_for_update().get(pk=pk))
