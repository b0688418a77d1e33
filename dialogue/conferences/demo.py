"""Demo internet conferences for `manage.py seed_demo`, one in each phase, with the agencies
and people of accounts/demo.py and the blogs of blogs/demo.py:

- **upcoming**, in three days: the Minister of Justice on free legal aid; published
  questions with votes, two awaiting moderation, one rejected with its reason;
- **live now**, from 30 minutes before seeding until two hours after: the Minister of
  Digital Development on digital documents; three questions answered (one by the
  ministry's responder on the minister's behalf), the rest waiting, most voted first;
- **archived**, twelve days ago: the Akim of Almaty on the city's buses; a transcript of
  answers, two questions left unanswered, one of them turned into a question in the
  akim's blog (its obligation open).

Everything goes through `services.py`, each step under `_clock(moment)` as in
blogs/demo.py and petitions/demo.py, so the audit events, counters, notifications and the
blog question's obligation agree with the dates. Idempotent: a conference is found again
by its agency and topic, and what exists is left alone (so the "live" one is live only
when the demo is seeded: seed a fresh database to see one live again).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import TextIOBase
from types import SimpleNamespace
from unittest import mock

from django.utils import timezone

from accounts.demo import DEMO_EMAIL_DOMAIN
from accounts.models import Agency, User
from moderation import services as moderation_services
from tracking import calendar

from . import services
from .models import Conference, ConferenceQuestion


@contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """Run the services as at `moment` (blogs/demo.py explains why), the posting rate
    windows and the live pushes' `sent_at` included."""
    clock = SimpleNamespace(time=moment.timestamp)
    with (
        mock.patch.object(timezone, "now", lambda: moment),
        mock.patch.object(services, "time", clock),
        mock.patch.object(moderation_services, "time", clock),
    ):
        yield


@dataclass(frozen=True)
class DemoQuestion:
    asker: str  # login (accounts/demo.py)
    text: str
    decision: str = "publish"  # "publish", "pending" or a rejection reason
    note: str = ""
    voters: tuple[str, ...] = ()
    answer: str = ""
    answered_by: str = ""  # login; the official when empty
    answer_after: int = 0  # minutes after the start
    to_blog: bool = False


@dataclass(frozen=True)
class DemoConference:
    key: str
    agency: str
    official: str
    moderator: str
    topic: str
    description: str
    questions: tuple[DemoQuestion, ...] = field(default_factory=tuple)


CITIZENS = ("aruzhan", "dauren", "gulmira", "olga", "bekzat")

CONFERENCES: tuple[DemoConference, ...] = (
    DemoConference(
        key="upcoming",
        agency="ministry-of-justice",
        official="justice.head",
        moderator="justice.head",
        topic="Тегін заң көмегі: кім алады және қалай?",
        description="Әділет министрі кепілдік берілген тегін заң көмегі туралы азаматтардың "
        "сұрақтарына жауап береді: оны кім ала алады, қайда жүгіну керек, адвокат қандай "
        "істерде тегін қорғайды.\n\nСұрақтарыңызды алдын ала жіберіңіз және басқалардың "
        "сұрақтарына дауыс беріңіз: министр ең көп дауыс жинағандардан бастайды.",
        questions=(
            DemoQuestion(
                asker="gulmira",
                text="Көп балалы анамын. Алимент өндіру ісі бойынша тегін адвокат ала аламын ба?",
                voters=("aruzhan", "olga", "bekzat", "dauren"),
            ),
            DemoQuestion(
                asker="olga",
                text="Как пенсионеру получить бесплатную юридическую консультацию, если в "
                "райцентре нет ни одного адвоката?",
                voters=("gulmira", "bekzat"),
            ),
            DemoQuestion(
                asker="bekzat",
                text="Онлайн-консультация заңгермен eGov арқылы қашан іске қосылады?",
                voters=("aruzhan",),
            ),
            DemoQuestion(
                asker="dauren",
                text="Можно ли получить бесплатного адвоката по трудовому спору с работодателем?",
            ),
            DemoQuestion(
                asker="aruzhan",
                text="Нотариус мұрагерлік құжаттарына неге сонша көп ақы алады? Тарифтер "
                "қайта қаралады ма?",
                decision="pending",
            ),
            DemoQuestion(
                asker="olga",
                text="Будут ли центры бесплатной юридической помощи работать по субботам?",
                decision="pending",
            ),
            DemoQuestion(
                asker="bekzat",
                text="Көршім ауланы көлікпен жауып тастайды, полиция не істейді?",
                decision="off_topic",
                note="Бұл сұрақ Ішкі істер министрлігінің құзыретіне жатады.",
            ),
        ),
    ),
    DemoConference(
        key="live",
        agency="ministry-of-digital-development",
        official="digital.head",
        moderator="digital.moderator",
        topic="Цифровые документы и услуги без бумаги",
        description="Министр цифрового развития отвечает на вопросы о цифровых документах, "
        "eGov Mobile и услугах, которые можно получить без похода в ЦОН.",
        questions=(
            DemoQuestion(
                asker="aruzhan",
                text="Цифрлық құжаттарды интернетсіз көрсетуге бола ма?",
                voters=("dauren", "gulmira", "olga", "bekzat"),
                answer="Иә. eGov Mobile қосымшасы құжатты құрылғыда сақтайды, оны интернет "
                "байланысы жоқ кезде де QR-код арқылы көрсетуге болады. Құжат жаңартылуы "
                "үшін айына кемінде бір рет желіге қосылу жеткілікті.",
                answer_after=5,
            ),
            DemoQuestion(
                asker="olga",
                text="Почему банк иногда не принимает цифровое удостоверение личности?",
                voters=("aruzhan", "bekzat", "gulmira"),
                answer="Все банки второго уровня обязаны принимать цифровые документы. Если "
                "вам отказали, сообщите об этом через eOtinish: мы передаём такие случаи "
                "в Агентство по регулированию финансового рынка.",
                answered_by="digital.responder",
                answer_after=12,
            ),
            DemoQuestion(
                asker="dauren",
                text="Когда можно будет оформить пособие на ребёнка полностью онлайн, без "
                "визита в ЦОН?",
                voters=("olga", "gulmira"),
                answer="Уже сейчас: с прошлого года **проактивная услуга** назначает пособие "
                "автоматически после регистрации рождения. Родителю приходит SMS, нужно "
                "только подтвердить согласие.",
                answer_after=20,
            ),
            DemoQuestion(
                asker="gulmira",
                text="Ауылда интернет әлсіз. eGov Mobile қосымшасының жеңіл нұсқасы бола ма?",
                voters=("aruzhan", "dauren", "olga"),
            ),
            DemoQuestion(
                asker="bekzat",
                text="Как защищены мои данные в eGov Mobile, если я потеряю телефон?",
                voters=("aruzhan",),
            ),
            DemoQuestion(
                asker="aruzhan",
                text="Жүргізуші куәлігін цифрлық түрде ауыстыруға бола ма?",
            ),
            DemoQuestion(
                asker="olga",
                text="Планируется ли цифровой военный билет?",
                decision="pending",
            ),
        ),
    ),
    DemoConference(
        key="archived",
        agency="akimat-almaty",
        official="almaty.head",
        moderator="almaty.moderator",
        topic="Алматының қоғамдық көлігі: жаңа автобус желісі",
        description="Алматы қаласының әкімі жаңа автобус бағыттары, жүру ақысы және "
        "аялдамалардың қолжетімділігі туралы сұрақтарға жауап берді.",
        questions=(
            DemoQuestion(
                asker="dauren",
                text="Почему маршрут 92 сократили до «Сайрана»? Жителям Алатау теперь нужны "
                "две пересадки.",
                voters=("aruzhan", "gulmira", "olga", "bekzat"),
                answer="Маршрут 92 разделили, чтобы автобусы ходили каждые 8 минут вместо "
                "20. Пересадка на «Сайране» бесплатна в течение 40 минут по одной карте.",
                answer_after=10,
            ),
            DemoQuestion(
                asker="gulmira",
                text="Аялдамаларда мүмкіндігі шектеулі адамдарға арналған пандустар қашан болады?",
                voters=("olga", "bekzat"),
                answer="Биыл 300 аялдама жаңартылады: пандустар, Брайль жазуындағы "
                "кестелер және дыбыстық хабарландырулар орнатылады. Тізім әкімдіктің "
                "сайтында жарияланған.",
                answer_after=25,
            ),
            DemoQuestion(
                asker="olga",
                text="Будет ли единый проездной на автобус и метро?",
                voters=("dauren",),
                answer="Да, с сентября карта «Онай» будет работать как проездной на месяц "
                "для автобусов и метро.",
                answered_by="almaty.responder",
                answer_after=40,
            ),
            DemoQuestion(
                asker="bekzat",
                text="Түнгі автобустар қай бағыттарда жүреді және кестесі қайда жарияланады?",
                voters=("dauren", "aruzhan", "gulmira"),
                to_blog=True,
            ),
            DemoQuestion(
                asker="aruzhan",
                text="Почему в новых автобусах нет розеток для зарядки телефонов?",
            ),
        ),
    ),
)


def _times(key: str, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Start and end of each demo conference, from the moment of seeding."""
    today = calendar.local_date(now)
    tz = calendar.tz()
    if key == "upcoming":
        day = today + datetime.timedelta(days=3)
        return (
            datetime.datetime.combine(day, datetime.time(15), tzinfo=tz),
            datetime.datetime.combine(day, datetime.time(17), tzinfo=tz),
        )
    if key == "live":
        start = (now - datetime.timedelta(minutes=30)).replace(second=0, microsecond=0)
        return start, start + datetime.timedelta(hours=2, minutes=30)
    day = today - datetime.timedelta(days=12)
    return (
        datetime.datetime.combine(day, datetime.time(15), tzinfo=tz),
        datetime.datetime.combine(day, datetime.time(17), tzinfo=tz),
    )


def seed(*, stdout: TextIOBase) -> list[tuple[str, str]]:
    people = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    }
    agencies = {agency.slug: agency for agency in Agency.objects.all()}
    logins = set(CITIZENS)
    for spec in CONFERENCES:
        logins |= {spec.official, spec.moderator}
        logins |= {q.answered_by for q in spec.questions if q.answered_by}
    missing = (logins - set(people)) | ({spec.agency for spec in CONFERENCES} - set(agencies))
    if missing:
        stdout.write(f"  missing demo people or agencies ({', '.join(sorted(missing))}): skipped\n")
        return []

    now = timezone.now()
    created = 0
    for spec in CONFERENCES:
        agency = agencies[spec.agency]
        if Conference.objects.filter(agency=agency, topic=spec.topic).exists():
            continue
        _seed_conference(spec, agency, people, now, stdout)
        created += 1
    stdout.write(f"  conferences: {created} new, {len(CONFERENCES) - created} already there\n")
    return []


def _seed_conference(
    spec: DemoConference,
    agency: Agency,
    people: dict[str, User],
    now: datetime.datetime,
    stdout: TextIOBase,
) -> Conference:
    starts_at, ends_at = _times(spec.key, now)
    scheduled_at = min(now, starts_at) - datetime.timedelta(days=7)
    moderator = people[spec.moderator]
    official = people[spec.official]
    with _clock(scheduled_at):
        conference = services.conference_schedule(
            agency=agency,
            official=official,
            topic=spec.topic,
            description=spec.description,
            starts_at=starts_at,
            ends_at=ends_at,
            actor=moderator,
        )
    asked: list[tuple[DemoQuestion, ConferenceQuestion]] = []
    for number, demo in enumerate(spec.questions):
        with _clock(scheduled_at + datetime.timedelta(days=1, hours=number)):
            question = services.question_submit(
                conference=conference, author=people[demo.asker], text=demo.text
            )
        with _clock(scheduled_at + datetime.timedelta(days=2, hours=number)):
            if demo.decision == "publish":
                services.question_publish(question=question, actor=moderator)
            elif demo.decision != "pending":
                services.question_reject(
                    question=question, actor=moderator, reason=demo.decision, note=demo.note
                )
        for voter_number, voter in enumerate(demo.voters):
            moment = scheduled_at + datetime.timedelta(days=3, hours=number, minutes=voter_number)
            with _clock(moment):
                services.question_vote(question=question, user=people[voter])
        asked.append((demo, question))
    for demo, question in sorted(asked, key=lambda pair: pair[0].answer_after):
        if not demo.answer:
            continue
        answerer = people[demo.answered_by] if demo.answered_by else official
        with _clock(starts_at + datetime.timedelta(minutes=demo.answer_after)):
            services.question_answer(question=question, actor=answerer, text=demo.answer)
    for demo, question in asked:
        if not demo.to_blog:
            continue
        with _clock(ends_at + datetime.timedelta(days=1)):
            try:
                services.question_convert_to_blog(question=question, actor=moderator)
            except services.ConversionUnavailable as unavailable:
                stdout.write(f"  not sent to a blog: {unavailable}\n")
    return conference
