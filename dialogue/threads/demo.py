"""Demo discussion threads for `manage.py seed_demo`, written in Kazakh and Russian by the
demo citizens of accounts/demo.py, some addressed to its ministries and akimats:

- `below_level`: bus intervals in Almaty (Akimat of Almaty), replies, a few supporters;
- `reply_due`: cold flats in Astana's old districts (Akimat of Astana), over the support
  level 4 days ago: the akimat owes its official reply, not yet due;
- `overdue`: the Karaganda–Temirtau road (Akimat of Karaganda Region), over the level 40
  days ago and never answered: overdue;
- `answered`: electronic textbooks for rural schools (Ministry of Education), over the
  level, then answered officially by the minister 8 days later (on time);
- `answered_early`: eGov mobile sign-in (Ministry of Digital Development), answered
  officially before it reached the level (no duty arose);
- `not_addressed`: GP appointments in Pavlodar, and air-quality data in Almaty, addressed
  to no agency;
- `hidden`: a complaint naming a neighbour with his phone number, hidden by the platform
  moderator for personal data;
- `withdrawn`: free museum Sundays in Shymkent, withdrawn by its author.

Everything goes through the services (`thread_start`, `thread_support`, the conversation
layer's `comment_post`, `moderation_hide`, `thread_withdraw`), each step under
`_clock(moment)` as in petitions/demo.py, so the duties' dates, the audit events and the
counters agree with the story; steps run in date order. The support level is
THREADS_SUPPORT_LEVEL (100 by default): besides the demo citizens, generated accounts
(`supporter-NNN@supporters.demo.ashyq.kz`, verified emails, unusable passwords) supply
the bulk, inserted with `bulk_create`; only the support that reaches the level goes
through `thread_support`, so the duty opens as it would have. With a level above
MAX_GENERATED the threads that need it stay below it (the command says so).

Idempotent: a thread is found again by its author and title; what exists is left alone.
"""

from __future__ import annotations

import datetime
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
from dialogue import services as dialogue_services
from moderation import services as moderation_services
from moderation.models import HideReason
from tracking import calendar

from . import services
from .models import Thread, ThreadCategory, ThreadSupport, support_level

SUPPORTER_DOMAIN = f"supporters.{DEMO_EMAIL_DOMAIN}"
MAX_GENERATED = 400
MODERATOR = "moderator"
CITIZENS = ("aruzhan", "dauren", "gulmira", "olga", "bekzat", "yerassyl", "ngo")


@contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """Run the services as at `moment` (petitions/demo.py explains why), the posting rate
    windows included: they count in the demo's past minutes."""
    clock = SimpleNamespace(time=moment.timestamp)
    with (
        mock.patch.object(timezone, "now", lambda: moment),
        mock.patch.object(moderation_services, "time", clock),
    ):
        yield


def _ago(days: int, hour: int = 10, today: datetime.date | None = None) -> datetime.datetime:
    """`days` calendar days before today, at `hour` Astana time."""
    day = (today or calendar.local_date()) - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=calendar.tz())


@dataclass(frozen=True)
class Reply:
    author: str  # login
    days: int  # days ago
    hour: int
    text: str
    official: bool = False  # on behalf of the thread's agency


@dataclass(frozen=True)
class DemoThread:
    key: str  # what it demonstrates (the tests use it)
    author: str
    category: str
    region: str
    addressee: str  # agency slug, "" for none
    title: str
    text: str
    created: int  # days ago
    replies: tuple[Reply, ...] = ()
    supporters: tuple[str, ...] = ()  # demo citizens, through the service
    generated: int = 0  # generated supporters below the level (bulk)
    reaches_level: int | None = None  # days ago the support reached the level
    hidden: tuple[int, str, str] | None = None  # days ago, HideReason, moderator's note
    withdrawn: int | None = None  # days ago


THREADS: tuple[DemoThread, ...] = (
    DemoThread(
        key="below_level",
        author="dauren",
        category=ThreadCategory.TRANSPORT,
        region=Region.ALMATY_CITY,
        addressee="akimat-almaty",
        title="92-автобус бағдарында аралық 40 минутқа дейін созылады",
        text="Таңертеңгі сағат 7-ден 9-ға дейін 92-автобусты Саялы шағынауданында 30–40 минут "
        "күтеміз. Кестеде аралық 12 минут деп жазылған.\n\nАкиматтан бағдарға қосымша "
        "автобустар шығаруды және нақты қозғалыс деректерін жариялауды сұраймыз.",
        created=9,
        replies=(
            Reply("olga", 8, 12, "Подтверждаю: вчера ждала 35 минут на остановке «Саялы-2»."),
            Reply(
                "aruzhan",
                7,
                18,
                "Қозғалыс деректері ашық болса, кешігуді өзіміз де бақылай алар едік.",
            ),
        ),
        supporters=("olga", "aruzhan", "gulmira", "bekzat"),
        generated=14,
    ),
    DemoThread(
        key="reply_due",
        author="aruzhan",
        category=ThreadCategory.HOUSING,
        region=Region.ASTANA,
        addressee="akimat-astana",
        title="В старых домах района Алматы в Астане зимой холодно в квартирах",
        text="В пятиэтажках на улицах Ауэзова и Бейбитшилик температура в квартирах в "
        "январе не поднимается выше 16 градусов. Управляющие компании ссылаются на "
        "изношенные сети.\n\nПросим акимат опубликовать график замены внутридомовых сетей "
        "и провести замеры температуры с участием жителей.",
        created=12,
        replies=(
            Reply("gulmira", 11, 9, "У моих родителей на Бейбитшилик то же самое, +15 в спальне."),
            Reply(
                "dauren",
                10,
                20,
                "Замеры лучше делать вместе с депутатами маслихата, чтобы результат признали.",
            ),
            Reply("olga", 6, 13, "Поддерживаю. Где можно посмотреть план ремонта сетей?"),
        ),
        supporters=("gulmira", "dauren", "olga", "bekzat", "ngo"),
        generated=16,  # after the level
        reaches_level=4,
    ),
    DemoThread(
        key="overdue",
        author="yerassyl",
        category=ThreadCategory.TRANSPORT,
        region=Region.KARAGANDA,
        addressee="akimat-karaganda-region",
        title="Қарағанды – Теміртау жолын жөндеу қашан аяқталады?",
        text="Қарағанды мен Теміртау арасындағы жолдың 12 шақырымы үш жылдан бері "
        "жөндеуде. Екі жолақ жабық, кептеліс күн сайын бір сағатқа созылады.\n\n"
        "Облыс әкімдігінен жөндеудің нақты мерзімін және мердігердің атын жариялауды "
        "сұраймыз.",
        created=50,
        replies=(
            Reply("bekzat", 48, 11, "Кеше осы жолда екі сағат тұрдық."),
            Reply(
                "ngo", 30, 15, "Мемлекеттік сатып алу порталында келісімшарт мерзімі өтіп кеткен."
            ),
        ),
        supporters=("aruzhan", "dauren", "bekzat", "ngo"),
        generated=8,
        reaches_level=40,
    ),
    DemoThread(
        key="answered",
        author="gulmira",
        category=ThreadCategory.EDUCATION,
        region="",
        addressee="ministry-of-education",
        title="Ауыл мектептеріне электрондық оқулықтар қажет",
        text="Көптеген ауыл мектептерінде қағаз оқулықтар жетпейді, ал электрондық "
        "оқулықтарды жүктеу үшін интернет әлсіз.\n\nМинистрліктен оқулықтарды офлайн "
        "жұмыс істейтін форматта ұсынуды және мектептерге планшеттер беру жоспарын "
        "жариялауды сұраймыз.",
        created=40,
        replies=(
            Reply("olga", 39, 10, "В нашем селе учебники на двоих, а интернет только у школы."),
            Reply(
                "education.head",
                22,
                16,
                "Министрлік 2026–2027 оқу жылына барлық оқулықтардың офлайн нұсқаларын "
                "дайындап жатыр. Олар қыркүйектен бастап мектептің жергілікті желісі арқылы "
                "таратылады. Планшеттер беру жоспары министрлік сайтында жарияланады; "
                "бірінші кезекте 1200 шағын жинақты мектеп қамтылады.",
                official=True,
            ),
            Reply("aruzhan", 21, 9, "Рақмет! Жоспар жарияланғанда сілтемені осында қосыңыздар."),
        ),
        supporters=("olga", "aruzhan", "dauren", "bekzat", "yerassyl"),
        generated=5,
        reaches_level=30,
    ),
    DemoThread(
        key="answered_early",
        author="bekzat",
        category=ThreadCategory.PUBLIC_SERVICES,
        region="",
        addressee="ministry-of-digital-development",
        title="После обновления eGov Mobile не принимает вход по биометрии",
        text="После последнего обновления приложение eGov Mobile просит SMS-код при каждом "
        "входе, вход по отпечатку пальца не работает. Повторная установка не помогает.\n\n"
        "Просим сообщить, когда ошибку исправят.",
        created=6,
        replies=(
            Reply("dauren", 6, 15, "То же самое на Android 14."),
            Reply(
                "digital.head",
                5,
                11,
                "Ошибка подтверждена и исправлена в версии 5.12, она доступна в магазинах "
                "приложений с сегодняшнего дня. Спасибо, что сообщили.",
                official=True,
            ),
        ),
        supporters=("dauren", "olga"),
        generated=21,
    ),
    DemoThread(
        key="not_addressed",
        author="olga",
        category=ThreadCategory.HEALTH,
        region=Region.PAVLODAR,
        title="Запись к терапевту онлайн в Павлодаре: свободных окон нет",
        addressee="",
        text="Через портал и приложение поликлиники свободных окон к терапевту нет на две "
        "недели вперёд, а по телефону дозвониться невозможно. Как вы записываетесь?",
        created=15,
        replies=(
            Reply("gulmira", 14, 10, "Мы записывались через регистратуру в 8 утра, лично."),
            Reply("bekzat", 13, 19, "Окна открываются в полночь, лучше проверять сразу после."),
        ),
        supporters=("gulmira", "bekzat"),
        generated=6,
    ),
    DemoThread(
        key="not_addressed_air",
        author="ngo",
        category=ThreadCategory.ENVIRONMENT,
        region=Region.ALMATY_CITY,
        addressee="",
        title="Алматы ауасының сапасы туралы деректер ашық болуы керек",
        text="Қалада ауа сапасын өлшейтін 40-тан астам датчик бар, бірақ деректер тек "
        "қосымшада көрсетіледі. Деректерді ашық форматта (CSV, API) жариялау "
        "зерттеушілер мен журналистерге көмектеседі.",
        created=20,
        replies=(Reply("dauren", 19, 12, "Қолдаймын, әсіресе қыстағы деректер маңызды."),),
        supporters=("dauren", "aruzhan", "olga"),
        generated=27,
    ),
    DemoThread(
        key="hidden",
        author="yerassyl",
        category=ThreadCategory.SAFETY,
        region=Region.KARAGANDA,
        addressee="",
        title="Көршім түнде шу шығарады",
        text="Көршім Сейітов Бақыт (телефоны +7 701 000 00 00, 14-пәтер) түнде музыка "
        "қояды. Бәріңіз оған хабарласыңыздар.",
        created=3,
        hidden=(2, HideReason.PERSONAL_DATA, "Жеке тұлғаның аты-жөні мен телефоны жарияланған."),
    ),
    DemoThread(
        key="withdrawn",
        author="gulmira",
        category=ThreadCategory.CULTURE,
        region=Region.SHYMKENT,
        addressee="akimat-shymkent",
        title="Шымкент мұражайларына жексенбі күні тегін кіру",
        text="Жексенбі күндері қалалық мұражайларға балалар мен студенттер тегін кірсе, "
        "отбасылар жиі баратын еді.",
        created=25,
        replies=(Reply("aruzhan", 24, 17, "Жақсы ұсыныс!"),),
        supporters=("aruzhan",),
        withdrawn=10,
    ),
)


# --- generated supporters ----------------------------------------------------------------------


def supporter_email(n: int) -> str:
    return f"supporter-{n:03d}@{SUPPORTER_DOMAIN}"


def _supporters(count: int) -> list[User]:
    """`count` generated supporters, created in bulk where missing, in a stable order."""
    emails = [supporter_email(n) for n in range(1, count + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=email,
                password=password,
                first_name="Қолдаушы",
                region=Region.values[n % len(Region.values)],
                is_active=True,
            )
            for n, email in enumerate(emails, start=1)
            if email not in existing
        ],
        batch_size=500,
    )
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


def _needed(spec: DemoThread, level: int) -> int:
    """Generated supporters the thread takes: up to one short of the level (the demo
    citizens count too), plus those after it."""
    if spec.reaches_level is None:
        return spec.generated
    return max(0, level - 1 - len(spec.supporters)) + 1 + spec.generated


# --- seeding --------------------------------------------------------------------------------------


def seed(*, stdout: TextIOBase) -> list[tuple[str, str]]:
    people = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    }
    agencies = {agency.slug: agency for agency in Agency.objects.all()}
    logins = {MODERATOR} | {spec.author for spec in THREADS}
    logins |= {login for spec in THREADS for login in spec.supporters}
    logins |= {reply.author for spec in THREADS for reply in spec.replies}
    slugs = {spec.addressee for spec in THREADS if spec.addressee}
    missing = (logins - set(people)) | (slugs - set(agencies))
    if missing:
        stdout.write(f"  missing demo people or agencies ({', '.join(sorted(missing))}): skipped\n")
        return []

    level = support_level()
    todo = [
        spec
        for spec in THREADS
        if not Thread.objects.filter(author=people[spec.author], title=spec.title).exists()
    ]
    too_high = level + 30 > MAX_GENERATED
    wanted = max((_needed(spec, level) for spec in todo), default=0)
    pool = _supporters(min(wanted, MAX_GENERATED)) if wanted else []
    for spec in todo:
        _seed_thread(spec, people, agencies.get(spec.addressee), pool, level, too_high)
    stdout.write(
        f"  threads: {len(todo)} new, {len(THREADS) - len(todo)} already there "
        f"(support level {level}; generated supporters at @{SUPPORTER_DOMAIN})\n"
    )
    if too_high and todo:
        stdout.write(
            f"  THREADS_SUPPORT_LEVEL {level} is too high for the demo: no thread reaches it\n"
        )
    return []


def _seed_thread(
    spec: DemoThread,
    people: dict[str, User],
    addressee: Agency | None,
    pool: list[User],
    level: int,
    too_high: bool,
) -> Thread:
    today = calendar.local_date()
    created_at = _ago(spec.created, 8, today)
    with _clock(created_at):
        pk = services.thread_start(
            author=people[spec.author],
            title=spec.title,
            text=spec.text,
            category=spec.category,
            region=spec.region,
            addressee=addressee,
        ).pk

    def fresh() -> Thread:
        return Thread.objects.select_related("addressee", "obligation").get(pk=pk)

    # The story's steps, in date order.
    steps: list[tuple[datetime.datetime, int, object]] = []
    for index, login in enumerate(spec.supporters):
        steps.append((created_at + datetime.timedelta(hours=2 + 3 * index), 0, login))
    for reply in spec.replies:
        steps.append((_ago(reply.days, reply.hour, today), 1, reply))
    reaches = _ago(spec.reaches_level, 14, today) if spec.reaches_level is not None else None
    if reaches is not None and not too_high:
        steps.append((reaches, 2, "level"))
    if spec.hidden is not None:
        steps.append((_ago(spec.hidden[0], 9, today), 3, "hide"))
    if spec.withdrawn is not None:
        steps.append((_ago(spec.withdrawn, 9, today), 3, "withdraw"))
    steps.sort(key=lambda step: (step[0], step[1]))

    generated = iter(pool)
    last = created_at + datetime.timedelta(hours=1)
    for moment, _order, step in steps:
        with _clock(moment):
            if isinstance(step, Reply):
                dialogue_services.comment_post(
                    target=fresh(),
                    author=people[step.author],
                    text=step.text,
                    as_official=step.official,
                )
            elif step == "level":
                # Generated supporters up to one short, spread before; the last one
                # through the service, at the moment the level is reached.
                short = max(0, level - 1 - fresh().support_count)
                _bulk_support(pk, generated, short, last, moment - datetime.timedelta(hours=1))
                services.thread_support(thread=fresh(), user=next(generated))
            elif step == "hide":
                _days, reason, note = spec.hidden
                moderation_services.moderation_hide(
                    targets=[fresh()], reason=reason, note=note, actor=people[MODERATOR]
                )
            elif step == "withdraw":
                services.thread_withdraw(thread=fresh(), actor=people[spec.author])
            else:
                services.thread_support(thread=fresh(), user=people[step])
        last = max(last, moment)
    if spec.generated:
        end = timezone.now() - datetime.timedelta(hours=1)
        _bulk_support(pk, generated, spec.generated, last, max(end, last))
    return fresh()


def _bulk_support(
    pk: int,
    pool: Iterator[User],
    count: int,
    start: datetime.datetime,
    end: datetime.datetime,
) -> None:
    """`count` supports from `pool`, spread evenly over [start, end], then the counter set
    from the rows under the thread's lock."""
    if count <= 0:
        return
    end = max(end, start)
    step = (end - start) / (count + 1)
    rows = [
        ThreadSupport(thread_id=pk, user=user, created_at=start + step * (index + 1))
        for index, user in enumerate(next(pool) for _ in range(count))
    ]
    ThreadSupport.objects.bulk_create(rows)
    with transaction.atomic():
        Thread.objects.select_for_update().filter(pk=pk).update(
            support_count=ThreadSupport.objects.filter(thread_id=pk).count()
        )
