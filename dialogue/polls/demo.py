"""Demo polls for `manage.py seed_demo`, run by agencies of accounts/demo.py:

- open, anyone with a confirmed email, results after voting: which eGov services to
  simplify first (Ministry of Digital Development, in Kazakh); Aruzhan, Olga and Bekzat
  and a dozen generated respondents have taken part, so those three see the results and
  Dauren, Gulmira and Yerassyl see the form;
- open, identity-confirmed people of Almaty only, results after closing: night buses
  (Akimat of Almaty, in Russian). Dauren (Almaty, identity confirmed) may take part;
  Aruzhan (Astana) is told it is for Almaty; Yerassyl is asked to confirm his identity;
- closed ten days ago with 31 submissions and its results: the Yesil embankment (Akimat
  of Astana, in Kazakh);
- upcoming, opening in a week: school uniforms (Ministry of Education, in Kazakh).

Everything goes through `dialogue.polls.services`, each step under `_clock(moment)` (as
in petitions/demo.py), so the audit events, publication dates and submission dates agree
with the phases whatever day the demo is seeded. Respondents beyond the demo citizens are
generated accounts (`respondent-NN@respondents.demo.ashyq.kz`, verified email and
identity, unusable passwords: they cannot sign in); their answers follow fixed weights
shuffled with a fixed seed, so a reseeded database looks the same.

Idempotent: a poll is found again by its agency and title; what exists is left alone.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import TextIOBase
from types import SimpleNamespace
from unittest import mock

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.demo import DEMO_EMAIL_DOMAIN
from accounts.models import Agency, User
from accounts.regions import Region
from moderation import services as moderation_services
from tracking import calendar

from . import services
from .models import Audience, Poll, QuestionKind, ResultsVisibility

RESPONDENTS = 40
RESPONDENT_DOMAIN = f"respondents.{DEMO_EMAIL_DOMAIN}"
ALMATY_RESPONDENTS = 10  # the first ten live in Almaty (the night-bus poll)


@contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """Run the services as at `moment`, the posting-rate windows included."""
    clock = SimpleNamespace(time=moment.timestamp)
    with (
        mock.patch.object(timezone, "now", lambda: moment),
        mock.patch.object(moderation_services, "time", clock),
    ):
        yield


def _at(days: int, hour: int = 10, today: datetime.date | None = None) -> datetime.datetime:
    """`days` calendar days from today (negative: ago), at `hour` Astana time."""
    day = (today or calendar.local_date()) + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=calendar.tz())


@dataclass(frozen=True)
class DemoQuestion:
    kind: str
    text: str
    options: tuple[str, ...] = ()
    required: bool = True
    max_choices: int | None = None
    weights: tuple[int, ...] = ()  # how often each option is chosen (relative)


@dataclass(frozen=True)
class DemoPoll:
    key: str  # what it demonstrates (the tests use it)
    agency: str
    actor: str  # login of the head or responder who runs it
    language: str
    title: str
    description: str
    questions: tuple[DemoQuestion, ...]
    created: int  # days from today (negative: ago)
    opens: int
    closes: int
    audience: str = Audience.VERIFIED
    region: str = ""
    results_visibility: str = ResultsVisibility.AFTER_VOTING
    citizens: tuple[str, ...] = ()  # demo citizens who took part
    respondents: int = 0  # generated respondents who took part
    texts: tuple[str, ...] = field(default=())  # free-text answers, given in turn


POLLS: tuple[DemoPoll, ...] = (
    DemoPoll(
        key="open",
        agency="ministry-of-digital-development",
        actor="digital.responder",
        language="kk",
        title="eGov порталындағы қай қызметтерді алдымен жеңілдету керек?",
        description="Министрлік 2026 жылы электрондық үкімет порталындағы қызметтерді "
        "жаңартуды жоспарлап отыр. Қай қызметтерді бірінші кезекте жеңілдету керектігін "
        "айтыңыз: нәтижелер жаңарту жоспарына енгізіледі.",
        questions=(
            DemoQuestion(
                QuestionKind.SINGLE,
                "eGov порталын қаншалықты жиі пайдаланасыз?",
                ("Апта сайын", "Ай сайын", "Жылына бірнеше рет", "Мүлдем пайдаланбаймын"),
                weights=(5, 7, 3, 1),
            ),
            DemoQuestion(
                QuestionKind.MULTIPLE,
                "Қай қызметтерді бірінші кезекте жеңілдету керек? Үшеуіне дейін таңдаңыз.",
                (
                    "Анықтамалар алу",
                    "Жәрдемақылар мен төлемдер",
                    "Жылжымайтын мүлікті тіркеу",
                    "Көлікті тіркеу",
                    "Балабақшаға кезек",
                    "Салық декларациялары",
                ),
                max_choices=3,
                weights=(6, 4, 5, 3, 7, 2),
            ),
            DemoQuestion(QuestionKind.TEXT, "Порталда тағы не өзгерту керек?", required=False),
        ),
        created=-8,
        opens=-5,
        closes=16,
        citizens=("aruzhan", "olga", "bekzat"),
        respondents=12,
        texts=(
            "ЭЦҚ-сыз, SMS арқылы кіру барлық қызметтерге қолжетімді болса екен.",
            "Мобильді қосымшада өтініштің қай сатыда екені көрінсін.",
            "Анықтамалар PDF-пен бірге бірден поштаға келсе ыңғайлы болар еді.",
        ),
    ),
    DemoPoll(
        key="identity_region",
        agency="akimat-almaty",
        actor="almaty.responder",
        language="ru",
        title="Ночные автобусы в Алматы: нужны ли они?",
        description="Акимат рассматривает запуск ночных автобусных маршрутов с 00:00 до "
        "05:00. Опрос открыт для жителей Алматы, подтвердивших личность через национальный "
        "идентификатор. Итоги будут опубликованы после закрытия опроса.",
        questions=(
            DemoQuestion(
                QuestionKind.SINGLE,
                "Воспользовались бы вы ночным автобусом?",
                ("Да, регулярно", "Иногда", "Нет"),
                weights=(4, 5, 2),
            ),
            DemoQuestion(
                QuestionKind.MULTIPLE,
                "Какие направления важнее всего?",
                (
                    "Аэропорт",
                    "Железнодорожные вокзалы",
                    "Микрорайоны Алатауского района",
                    "Центр города",
                    "Больницы скорой помощи",
                ),
                weights=(5, 4, 6, 3, 2),
            ),
            DemoQuestion(QuestionKind.TEXT, "Ваши предложения по маршрутам", required=False),
        ),
        created=-5,
        opens=-3,
        closes=11,
        audience=Audience.IDENTITY_VERIFIED,
        region=Region.ALMATY_CITY,
        results_visibility=ResultsVisibility.AFTER_CLOSING,
        respondents=ALMATY_RESPONDENTS,
        texts=(
            "Нужен маршрут от Алатау до центра через Рыскулова.",
            "Интервал не больше 30 минут, иначе никто не будет ждать.",
        ),
    ),
    DemoPoll(
        key="closed",
        agency="akimat-astana",
        actor="astana.head",
        language="kk",
        title="Есіл жағалауын абаттандыру: не бірінші кезекте?",
        description="Әкімдік 2026 жылғы абаттандыру жұмыстарының басымдықтарын анықтау үшін "
        "тұрғындардың пікірін сұрады. Нәтижелер жұмыс жоспарын бекіту кезінде ескеріледі.",
        questions=(
            DemoQuestion(
                QuestionKind.SINGLE,
                "Жағалауда ең алдымен не қажет?",
                ("Жарықтандыру", "Велосипед жолдары", "Орындықтар мен көлеңке", "Балалар алаңдары"),
                weights=(11, 7, 8, 4),
            ),
            DemoQuestion(
                QuestionKind.MULTIPLE,
                "Жағалауға қай уақытта барасыз?",
                ("Таңертең", "Күндіз", "Кешке", "Демалыс күндері"),
                max_choices=2,
                weights=(3, 4, 9, 8),
            ),
            DemoQuestion(QuestionKind.TEXT, "Тағы қандай ұсыныстарыңыз бар?", required=False),
        ),
        created=-44,
        opens=-40,
        closes=-10,
        citizens=("aruzhan",),
        respondents=30,
        texts=(
            "Қыста жолдарды тайғақтан тазалау керек.",
            "Ауыз су бұрқақтарын орнатыңыздар.",
            "Нужны общественные туалеты у моста Арай.",
            "Итпен серуендейтін арнайы аймақ болса жақсы.",
        ),
    ),
    DemoPoll(
        key="upcoming",
        agency="ministry-of-education",
        actor="education.head",
        language="kk",
        title="Мектеп формасы: біркелкі үлгі керек пе?",
        description="Министрлік мектеп формасына қойылатын талаптарды қайта қарап жатыр. "
        "Ата-аналар мен оқушылардың пікірін білгіміз келеді.",
        questions=(
            DemoQuestion(
                QuestionKind.SINGLE,
                "Барлық мектептерге біркелкі форма үлгісі керек пе?",
                ("Иә", "Жоқ, әр мектеп өзі таңдасын", "Форма мүлдем қажет емес"),
            ),
            DemoQuestion(
                QuestionKind.TEXT,
                "Формаға қатысты қандай ұсыныстарыңыз бар?",
                required=False,
            ),
        ),
        created=-2,
        opens=7,
        closes=30,
    ),
)


def respondent_email(n: int) -> str:
    return f"respondent-{n:02d}@{RESPONDENT_DOMAIN}"


RESPONDENT_REGIONS = (Region.ASTANA, Region.KARAGANDA, Region.SHYMKENT, Region.PAVLODAR, "")


def _respondents() -> list[User]:
    """The generated respondents, created where missing (verified email and identity,
    unusable passwords), in a stable order: the first ten in Almaty."""
    emails = [respondent_email(n) for n in range(1, RESPONDENTS + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    password = make_password(None)
    verified_at = _at(-60)
    User.objects.bulk_create(
        [
            User(
                email=email,
                password=password,
                first_name="Respondent",
                last_name=f"{n:02d}",
                region=Region.ALMATY_CITY
                if n <= ALMATY_RESPONDENTS
                else RESPONDENT_REGIONS[n % len(RESPONDENT_REGIONS)],
                identity_verified_at=verified_at,
                is_active=True,
            )
            for n, email in enumerate(emails, start=1)
            if email not in existing
        ]
    )
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    verified = set(EmailAddress.objects.filter(user__in=users).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in users
            if user.pk not in verified
        ]
    )
    return users


def seed(*, stdout: TextIOBase) -> list[tuple[str, str]]:
    logins = {spec.actor for spec in POLLS} | {c for spec in POLLS for c in spec.citizens}
    people = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(
            email__in=[f"{login}@{DEMO_EMAIL_DOMAIN}" for login in logins]
        )
    }
    agencies = {
        agency.slug: agency
        for agency in Agency.objects.filter(slug__in={spec.agency for spec in POLLS})
    }
    missing = (logins - set(people)) | ({spec.agency for spec in POLLS} - set(agencies))
    if missing:
        stdout.write(f"  missing demo people or agencies ({', '.join(sorted(missing))}): skipped\n")
        return []
    todo = [
        spec
        for spec in POLLS
        if not Poll.objects.filter(agency=agencies[spec.agency], title=spec.title).exists()
    ]
    respondents = _respondents() if any(spec.respondents for spec in todo) else []
    for spec in todo:
        _seed_poll(spec, people, agencies[spec.agency], respondents)
    stdout.write(
        f"  polls: {len(todo)} new, {len(POLLS) - len(todo)} already there "
        f"({RESPONDENTS} generated respondents at @{RESPONDENT_DOMAIN})\n"
    )
    return []


def _seed_poll(
    spec: DemoPoll, people: dict[str, User], agency: Agency, respondents: list[User]
) -> Poll:
    today = calendar.local_date()
    actor = people[spec.actor]
    opens_at, closes_at = _at(spec.opens, 9, today), _at(spec.closes, 18, today)
    with _clock(_at(spec.created, 11, today)):
        poll = services.poll_create(
            agency=agency,
            actor=actor,
            title=spec.title,
            description=spec.description,
            language=spec.language,
            opens_at=opens_at,
            closes_at=closes_at,
            audience=spec.audience,
            region=spec.region,
            results_visibility=spec.results_visibility,
        )
        for question in spec.questions:
            services.question_add(
                poll=poll,
                actor=actor,
                kind=question.kind,
                text=question.text,
                required=question.required,
                max_choices=question.max_choices,
                options=question.options,
            )
    with _clock(_at(spec.created + 1, 10, today)):
        services.poll_publish(poll=poll, actor=actor)

    voters = [people[login] for login in spec.citizens]
    pool = respondents[:ALMATY_RESPONDENTS] if spec.region else respondents[ALMATY_RESPONDENTS:]
    voters += pool[: spec.respondents]
    if not voters:
        return poll
    questions = list(poll.questions.order_by("position").prefetch_related("options"))
    rng = random.Random(f"{spec.key}-answers")
    # Submissions spread over the open window up to now (or its end), an hour apart at least.
    start = opens_at + datetime.timedelta(hours=1)
    end = min(closes_at, timezone.now()) - datetime.timedelta(hours=1)
    step = (end - start) / max(len(voters), 1)
    texts = iter(spec.texts)
    for index, voter in enumerate(voters):
        answers: dict[int, object] = {}
        for question, demo in zip(questions, spec.questions, strict=True):
            options = list(question.options.all())
            if question.kind == QuestionKind.SINGLE:
                answers[question.pk] = rng.choices(options, weights=demo.weights or None)[0].pk
            elif question.kind == QuestionKind.MULTIPLE:
                count = rng.randint(1, question.max_choices or 3)
                chosen: list[int] = []
                while len(chosen) < count:
                    pk = rng.choices(options, weights=demo.weights or None)[0].pk
                    if pk not in chosen:
                        chosen.append(pk)
                answers[question.pk] = chosen
            elif index % 3 == 0:
                text = next(texts, "")
                if text:
                    answers[question.pk] = text
        with _clock(start + step * index):
            services.poll_submit(poll=poll, user=voter, answers=answers)
    return poll
