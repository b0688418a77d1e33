"""Demo blogs for `manage.py seed_demo`: the index "Blogs of officials", three officials'
blogs with two posts each in Kazakh, Russian and English, and questions to them in every
state the workflow has.

Pages follow cms/demo.py: the Kazakh page is the source, found by slug under its parent;
the Russian and English copies are made with Wagtail's translation action and found by
translation key. Each blog's authors group (`blogs.authors`) is synced, so the officials
can sign in to /cms/ and write posts.

**Questions go through `blogs.services`**, so every row the workflow writes is there:
the obligation and its event history, the audit events, follows, supports, answers with
the responder's position, ratings. A demo needs a past, though (an overdue question was
published four weeks ago), and the services take the time from `timezone.now()`.
Shifting the dates after the fact would leave the history contradicting the rows: the
obligation's events and the audit events are append-only (`AppendOnlyModel`), so an
"opened" event would say today while the obligation says a month ago, and the deadline
rules (extension cap, redirect window, not extending when overdue) would have been
checked against the wrong day. Instead, each step runs under `_clock(moment)`, which
makes `django.utils.timezone.now` return that moment for the duration of the call: the
services, tracking's rules and deadlines, and `auto_now_add` fields all see the same past
day, and every check runs as it would have then. Nothing else reads the clock during
seeding (it is a management command, one thread), and `time_machine` is a development
dependency, so this small stand-in is used instead. Notifications are sent after the
seed's transaction commits, outside the clock, so they are dated today.

Moments are counted in working days back from today on tracking's calendar, so the
states hold whatever day the demo is seeded: due soon, overdue, within the redirect
window. Idempotent: a question is found again by its blog and title, and a page by its
slug; what exists is left alone.

The people are accounts/demo.py's (heads, responders, moderators, citizens): their logins
are listed there, so `seed` returns none of its own.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import TextIOBase
from unittest import mock

from django.utils import timezone
from wagtail.models import Locale, Site

from accounts.demo import DEMO_EMAIL_DOMAIN
from accounts.models import Agency, User
from cms.demo import PageSeeder
from tracking import calendar
from tracking.deadlines import CalendarMonths

from . import services
from .authors import blog_authors_sync
from .models import BlogIndexPage, BlogPage, BlogPostPage, Question

LANGUAGES = ("kk", "ru", "en")

INDEX = {
    "kk": {
        "title": "Лауазымды тұлғалардың блогтары",
        "intro": "Министрлер мен әкімдердің блогтары: олардың жазбалары және азаматтардың "
        "сұрақтарына берілген жауаптар, жауап беру мерзімдерімен.",
    },
    "ru": {
        "title": "Блоги должностных лиц",
        "intro": "Блоги министров и акимов: их записи и ответы на вопросы граждан, со "
        "сроками ответа.",
    },
    "en": {
        "title": "Blogs of officials",
        "intro": "Blogs of ministers and akims: their posts and their answers to citizens' "
        "questions, with the deadlines kept or missed.",
    },
}


@dataclass(frozen=True)
class DemoPost:
    slug: str
    days_ago: int
    content: dict[str, dict[str, str]]  # language -> title, summary, body (HTML)


@dataclass(frozen=True)
class DemoBlog:
    slug: str
    agency: str
    owner: str  # login of the official (accounts/demo.py)
    moderator: str  # who publishes or rejects its questions
    responder: str  # who answers them
    content: dict[str, dict[str, str]]  # language -> title, biography (HTML)
    posts: tuple[DemoPost, ...]


BLOGS: tuple[DemoBlog, ...] = (
    DemoBlog(
        slug="justice-minister",
        agency="ministry-of-justice",
        owner="justice.head",
        moderator="justice.head",  # the ministry has no separate moderator
        responder="justice.responder",
        content={
            "kk": {
                "title": "Әділет министрі Нұрлан Әбдіхалықовтың блогы",
                "biography": "<p>Нұрлан Әбдіхалықов — Қазақстан Республикасының Әділет "
                "министрі. Заңгер, бұған дейін кепілдік берілген заң көмегі жүйесін және "
                "нотариаттың цифрлық қызметтерін басқарған.</p><p>Бұл блогта министр "
                "министрліктің жұмысы туралы жазады және азаматтардың сұрақтарына жауап "
                "береді.</p>",
            },
            "ru": {
                "title": "Блог министра юстиции Нурлана Абдихалыкова",
                "biography": "<p>Нурлан Абдихалыков — министр юстиции Республики "
                "Казахстан. Юрист, ранее руководил системой гарантированной юридической "
                "помощи и цифровыми услугами нотариата.</p><p>В этом блоге министр пишет о "
                "работе министерства и отвечает на вопросы граждан.</p>",
            },
            "en": {
                "title": "Blog of Nurlan Abdikhalykov, Minister of Justice",
                "biography": "<p>Nurlan Abdikhalykov is the Minister of Justice of the "
                "Republic of Kazakhstan. A lawyer, he previously ran the guaranteed legal "
                "aid system and the notaries' digital services.</p><p>In this blog the "
                "minister writes about the ministry's work and answers citizens' "
                "questions.</p>",
            },
        },
        posts=(
            DemoPost(
                slug="free-legal-aid",
                days_ago=9,
                content={
                    "kk": {
                        "title": "Тегін заң көмегі: не өзгереді",
                        "summary": "Кепілдік берілген заң көмегін алушылар аясы кеңейеді, ал "
                        "өтінімді онлайн беруге болады.",
                        "body": "<p>Заң жобасы тегін заң көмегін тұрмыстық зорлық-"
                        "зомбылықтан зардап шеккендерге және бірінші топтағы мүгедектігі бар "
                        "адамдарға кеңейтеді.</p><p>Жобаны платформада талқылауға болады: "
                        "министрлік әрбір ескертпеге жауап береді.</p>",
                    },
                    "ru": {
                        "title": "Бесплатная юридическая помощь: что изменится",
                        "summary": "Круг получателей гарантированной юридической помощи "
                        "расширяется, а заявку можно будет подать онлайн.",
                        "body": "<p>Законопроект распространяет бесплатную юридическую помощь "
                        "на пострадавших от бытового насилия и лиц с инвалидностью первой "
                        "группы.</p><p>Проект можно обсудить на платформе: министерство "
                        "ответит на каждое замечание.</p>",
                    },
                    "en": {
                        "title": "Free legal aid: what will change",
                        "summary": "More people will qualify for guaranteed legal aid, and "
                        "they will be able to apply online.",
                        "body": "<p>The draft law extends free legal aid to victims of "
                        "domestic violence and to people with first-group disabilities.</p>"
                        "<p>The draft is open for discussion on the platform: the ministry "
                        "will answer every comment.</p>",
                    },
                },
            ),
            DemoPost(
                slug="notaries-online",
                days_ago=23,
                content={
                    "kk": {
                        "title": "Нотариат онлайн: бір жылдың қорытындысы",
                        "summary": "Бір жылда нотариаттық әрекеттердің үштен бірі онлайн жасалды.",
                        "body": "<p>Сенімхаттар мен келісімдердің едәуір бөлігі енді "
                        "нотариусқа бармай-ақ рәсімделеді.</p><p>Келесі қадам — мұрагерлік "
                        "істерін онлайн жүргізу.</p>",
                    },
                    "ru": {
                        "title": "Нотариат онлайн: итоги года",
                        "summary": "За год треть нотариальных действий совершена онлайн.",
                        "body": "<p>Значительная часть доверенностей и согласий теперь "
                        "оформляется без визита к нотариусу.</p><p>Следующий шаг — ведение "
                        "наследственных дел онлайн.</p>",
                    },
                    "en": {
                        "title": "Notaries online: a year in review",
                        "summary": "A third of notarial acts were done online this year.",
                        "body": "<p>Most powers of attorney and consents can now be "
                        "arranged without visiting a notary.</p><p>Next: handling "
                        "inheritance cases online.</p>",
                    },
                },
            ),
        ),
    ),
    DemoBlog(
        slug="digital-minister",
        agency="ministry-of-digital-development",
        owner="digital.head",
        moderator="digital.moderator",
        responder="digital.responder",
        content={
            "kk": {
                "title": "Цифрлық даму министрі Данияр Қуанышбаевтың блогы",
                "biography": "<p>Данияр Қуанышбаев — Қазақстан Республикасының Цифрлық "
                "даму, инновациялар және аэроғарыш өнеркәсібі министрі. Бұған дейін "
                "«электрондық үкімет» порталын дамытуға жетекшілік еткен.</p>",
            },
            "ru": {
                "title": "Блог министра цифрового развития Данияра Куанышбаева",
                "biography": "<p>Данияр Куанышбаев — министр цифрового развития, инноваций "
                "и аэрокосмической промышленности Республики Казахстан. Ранее руководил "
                "развитием портала «электронного правительства».</p>",
            },
            "en": {
                "title": "Blog of Daniyar Kuanyshbayev, Minister of Digital Development",
                "biography": "<p>Daniyar Kuanyshbayev is the Minister of Digital "
                "Development, Innovations and Aerospace Industry of the Republic of "
                "Kazakhstan. He previously led the development of the e-government "
                "portal.</p>",
            },
        },
        posts=(
            DemoPost(
                slug="digital-documents",
                days_ago=5,
                content={
                    "kk": {
                        "title": "Цифрлық құжаттар: қағазсыз қызметтер",
                        "summary": "Жеке куәлік пен жүргізуші куәлігін енді смартфоннан "
                        "көрсетуге болады.",
                        "body": "<p>Цифрлық құжаттар сервисі банктерде, емханаларда және "
                        "халыққа қызмет көрсету орталықтарында қабылданады.</p>",
                    },
                    "ru": {
                        "title": "Цифровые документы: услуги без бумаги",
                        "summary": "Удостоверение личности и водительские права теперь можно "
                        "предъявить со смартфона.",
                        "body": "<p>Сервис цифровых документов принимают банки, поликлиники "
                        "и центры обслуживания населения.</p>",
                    },
                    "en": {
                        "title": "Digital documents: services without paper",
                        "summary": "ID cards and driving licences can now be shown from a "
                        "smartphone.",
                        "body": "<p>Banks, polyclinics and public service centres accept "
                        "the digital documents service.</p>",
                    },
                },
            ),
            DemoPost(
                slug="rural-broadband",
                days_ago=19,
                content={
                    "kk": {
                        "title": "Ауылдарға жылдам интернет",
                        "summary": "Биыл тағы 800 ауылға талшықты-оптикалық байланыс тартылады.",
                        "body": "<p>Жоба мектептер мен фельдшерлік пункттерді бірінші "
                        "кезекте қосады.</p>",
                    },
                    "ru": {
                        "title": "Быстрый интернет в сёла",
                        "summary": "В этом году оптоволокно проведут ещё в 800 сёл.",
                        "body": "<p>В первую очередь подключат школы и фельдшерские пункты.</p>",
                    },
                    "en": {
                        "title": "Fast internet for villages",
                        "summary": "Fibre will reach another 800 villages this year.",
                        "body": "<p>Schools and rural health posts are connected first.</p>",
                    },
                },
            ),
        ),
    ),
    DemoBlog(
        slug="almaty-akim",
        agency="akimat-almaty",
        owner="almaty.head",
        moderator="almaty.moderator",
        responder="almaty.responder",
        content={
            "kk": {
                "title": "Алматы қаласының әкімі Талғат Әміржановтың блогы",
                "biography": "<p>Талғат Әміржанов — Алматы қаласының әкімі. Қала "
                "шаруашылығы мен қоғамдық көлікті дамыту саласында жиырма жылдық "
                "тәжірибесі бар.</p>",
            },
            "ru": {
                "title": "Блог акима города Алматы Талгата Амиржанова",
                "biography": "<p>Талгат Амиржанов — аким города Алматы. Двадцать лет "
                "работает в городском хозяйстве и развитии общественного транспорта.</p>",
            },
            "en": {
                "title": "Blog of Talgat Amirzhanov, Akim of Almaty",
                "biography": "<p>Talgat Amirzhanov is the Akim of Almaty, with twenty years "
                "in city services and public transport.</p>",
            },
        },
        posts=(
            DemoPost(
                slug="bus-network",
                days_ago=4,
                content={
                    "kk": {
                        "title": "Жаңа автобус желісі: алғашқы нәтижелер",
                        "summary": "Негізгі даңғылдардағы қозғалыс аралығы 12 минуттан 7 "
                        "минутқа дейін қысқарды.",
                        "body": "<p>Метро бекеттеріне апаратын жаңа маршруттар іске "
                        "қосылды. Тұрғындардың пікірі бойынша желі түзетіледі.</p>",
                    },
                    "ru": {
                        "title": "Новая автобусная сеть: первые результаты",
                        "summary": "Интервалы на главных проспектах сократились с 12 до 7 минут.",
                        "body": "<p>Запущены подвозящие маршруты к станциям метро. Сеть "
                        "будет доработана по отзывам жителей.</p>",
                    },
                    "en": {
                        "title": "The new bus network: first results",
                        "summary": "Intervals on the main avenues fell from 12 to 7 minutes.",
                        "body": "<p>Feeder routes to the metro stations have started. The "
                        "network will be adjusted after residents' feedback.</p>",
                    },
                },
            ),
            DemoPost(
                slug="school-places",
                days_ago=16,
                content={
                    "kk": {
                        "title": "Жаңа аудандардағы мектеп орындары",
                        "summary": "Алатау және Наурызбай аудандарында үш жаңа мектеп салынады.",
                        "body": "<p>Мектептер 2027 жылдың қыркүйегіне дейін ашылады; "
                        "олардың жобалары платформада жарияланады.</p>",
                    },
                    "ru": {
                        "title": "Места в школах новых микрорайонов",
                        "summary": "В Алатауском и Наурызбайском районах построят три новые школы.",
                        "body": "<p>Школы откроются до сентября 2027 года; их проекты "
                        "будут опубликованы на платформе.</p>",
                    },
                    "en": {
                        "title": "School places in the new districts",
                        "summary": "Three new schools will be built in Alatau and Nauryzbay "
                        "districts.",
                        "body": "<p>The schools will open by September 2027; their designs "
                        "will be published on the platform.</p>",
                    },
                },
            ),
        ),
    ),
)


# --- Questions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ago:
    """A past moment: `working_days` working days before today at `hour` (Astana time),
    or, with `working_days=0`, `hours` hours before now."""

    working_days: int = 0
    hour: int = 10
    hours: int = 0


@dataclass(frozen=True)
class DemoQuestion:
    blog: str
    asker: str
    title: str
    text: str
    category: str
    submitted: Ago
    name_hidden: bool = False
    published: Ago | None = None
    rejected: tuple[Ago, str, str] | None = None  # when, reason, title it duplicates
    supporters: tuple[str, ...] = ()  # support the day after publication
    interim: tuple[Ago, str] | None = None
    extended: tuple[Ago, int, str] | None = None  # when, working days from publication, why
    redirected: tuple[Ago, str, str] | None = None  # when, agency slug, why
    answered: tuple[Ago, str] | None = None
    answered_by_owner: bool = False
    rated: tuple[Ago, str, str] | None = None  # when, verdict, comment
    hidden: tuple[Ago, str, str] | None = None  # when, reason, note
    tags: tuple[str, ...] = field(default=())  # what it demonstrates (for the tests)


QUESTIONS: tuple[DemoQuestion, ...] = (
    # --- Ministry of Justice ---
    DemoQuestion(
        blog="justice-minister",
        asker="olga",
        title="Можно ли получить бесплатного адвоката по алиментам?",
        text="Бывший муж полгода не платит алименты. Я одна воспитываю двоих детей и не "
        "могу оплатить адвоката. Положена ли мне гарантированная юридическая помощь?",
        category="law",
        submitted=Ago(19, 9),
        published=Ago(18, 11),
        supporters=("dauren", "gulmira"),
        answered=(
            Ago(10, 15),
            "Да, положена. По делам о взыскании алиментов гарантированная юридическая "
            "помощь оказывается бесплатно. Обратитесь в региональную коллегию адвокатов "
            "или подайте заявку через портал eGov.",
        ),
        rated=(Ago(9, 10), "satisfied", "Спасибо, заявку уже подала."),
        tags=("answered_on_time", "satisfied", "supported"),
    ),
    DemoQuestion(
        blog="justice-minister",
        asker="bekzat",
        title="Алимент бойынша тегін адвокат бөлінеді ме?",
        text="Алимент өндіру ісі бойынша тегін заң көмегін алуға бола ма?",
        category="law",
        submitted=Ago(8, 12),
        rejected=(
            Ago(7, 10),
            "duplicate",
            "Можно ли получить бесплатного адвоката по алиментам?",
        ),
        tags=("rejected", "duplicate"),
    ),
    DemoQuestion(
        blog="justice-minister",
        asker="dauren",
        title="Аудандық соттың ғимараты қашан ашылады?",
        text="Қарасай аудандық сотының ғимараты жөндеуге жабылғанына бір жылдан асты. "
        "Істер облыс орталығында қаралады, бару қиын. Ғимарат қашан ашылады?",
        category="law",
        submitted=Ago(21, 9),
        published=Ago(20, 10),
        supporters=("aruzhan", "olga", "gulmira", "bekzat"),
        tags=("overdue", "supported"),
    ),
    DemoQuestion(
        blog="justice-minister",
        asker="gulmira",
        title="Мүгедектігі бар адамдарға нотариус үйге келе ме?",
        text="Анам бірінші топтағы мүгедек, үйден шыға алмайды. Сенімхатты рәсімдеу үшін "
        "нотариусты үйге тегін шақыруға бола ма?",
        category="social",
        submitted=Ago(7, 16),
        published=Ago(6, 10),
        interim=(
            Ago(4, 11),
            "Сұрағыңыз Нотариаттық палатаға жіберілді. Тарифтер туралы нақты жауапты "
            "палатаның қорытындысын алғаннан кейін береміз.",
        ),
        tags=("acknowledged", "interim"),
    ),
    DemoQuestion(
        blog="justice-minister",
        asker="aruzhan",
        title="Емханадағы қате диагноз үшін қайда шағымдануға болады?",
        text="Емханада балама қате диагноз қойылды, емдеу екі айға созылды. Дәрігердің "
        "әрекетіне қайда шағымдануға болады және өтемақы талап етуге бола ма?",
        category="health",
        submitted=Ago(3, 17),
        published=Ago(2, 10),
        redirected=(
            Ago(1, 16),
            "ministry-of-health",
            "Медициналық көмектің сапасы Денсаулық сақтау министрлігінің құзыретінде.",
        ),
        tags=("redirected",),
    ),
    DemoQuestion(
        blog="justice-minister",
        asker="olga",
        title="Почему сделки с жильём до сих пор нельзя заверить онлайн?",
        text="Доверенности уже оформляются онлайн, а договор купли-продажи квартиры — нет. "
        "Когда это станет возможно?",
        category="housing",
        submitted=Ago(41, 11),
        published=Ago(40, 10),
        answered=(
            Ago(22, 17),
            "Онлайн-удостоверение сделок с недвижимостью требует изменений в Закон о "
            "нотариате. Поправки включены в план законопроектных работ на следующий год.",
        ),
        tags=("answered_late",),
    ),
    DemoQuestion(
        blog="justice-minister",
        asker="bekzat",
        title="Сот орындаушысы шотты неге бұғаттады?",
        text="Айыппұлды төлеп қойдым, бірақ сот орындаушысы жалақы картамды әлі бұғаттап "
        "тұр. Бұғаттау қашан алынады?",
        category="law",
        submitted=Ago(17, 14),
        published=Ago(16, 10),
        answered=(
            Ago(3, 12),
            "Сіздің өтінішіңіз қаралды. Атқарушылық іс жүргізу туралы заңнамаға сәйкес "
            "әрекет етіңіз.",
        ),
        rated=(Ago(2, 18), "brush_off", "Жауап жоқ: бұғаттау қашан алынатыны айтылмаған."),
        tags=("answered_on_time", "brush_off"),
    ),
    DemoQuestion(
        blog="justice-minister",
        asker="aruzhan",
        title="Неке шартын онлайн жасауға бола ма?",
        text="Неке шартын нотариусқа бармай, eGov арқылы жасауға мүмкіндік бар ма?",
        category="law",
        submitted=Ago(0, hours=3),
        tags=("submitted",),
    ),
    # --- Ministry of Digital Development ---
    DemoQuestion(
        blog="digital-minister",
        asker="olga",
        title="Когда в селе Шарбакты появится мобильный интернет 4G?",
        text="В нашем селе связь есть только в центре, дети не могут учиться онлайн. "
        "Планируется ли установка вышки?",
        category="other",
        submitted=Ago(6, 10),
        tags=("submitted", "late_moderation"),
    ),
    DemoQuestion(
        blog="digital-minister",
        asker="dauren",
        title="eGov-та менің ЖСН-ім басқа адамның атында тұр",
        text="Менің ЖСН 900101300123, телефоным +7 701 000 00 00, мекенжайым Алматы, "
        "Абай даңғылы 1. Порталда басқа адамның деректері шығады.",
        category="other",
        submitted=Ago(5, 10),
        rejected=(Ago(4, 11), "personal_data", ""),
        tags=("rejected",),
    ),
    DemoQuestion(
        blog="digital-minister",
        asker="gulmira",
        title="Цифрлық құжаттар шетелде жарамды ма?",
        text="Шетелге сапар кезінде смартфондағы цифрлық жеке куәлікті көрсетуге бола ма, "
        "әлде қағаз құжат қажет пе?",
        category="other",
        submitted=Ago(1, 9),
        published=Ago(1, 15),
        tags=("published_fresh",),
    ),
    DemoQuestion(
        blog="digital-minister",
        asker="aruzhan",
        title="Почему eGov mobile не принимает мою ЭЦП?",
        text="После обновления приложения ЭЦП не проходит проверку, услуги недоступны уже "
        "неделю. Служба поддержки не отвечает.",
        category="other",
        submitted=Ago(14, 10),
        published=Ago(13, 10),
        supporters=("olga", "dauren"),
        tags=("due_soon", "supported"),
    ),
    DemoQuestion(
        blog="digital-minister",
        asker="bekzat",
        title="Ақтау қаласында интернет неге жиі үзіледі?",
        text="Соңғы екі айда 14-шағын аудандағы үй интернеті күніне бірнеше рет үзіледі. "
        "Провайдерге шағымдар нәтиже бермеді.",
        category="other",
        submitted=Ago(11, 9),
        published=Ago(10, 11),
        extended=(
            Ago(8, 15),
            30,
            "Провайдердің желісін техникалық тексеру қажет; тексеру қорытындысы бір айдан "
            "кейін дайын болады.",
        ),
        tags=("extended",),
    ),
    DemoQuestion(
        blog="digital-minister",
        asker="gulmira",
        title="Зейнетақы аударымдарының үзіндісін eGov-тан неге алу мүмкін емес?",
        text="Үзінді сұраған сайын «сервис уақытша қолжетімсіз» деген хабар шығады.",
        category="social",
        name_hidden=True,
        submitted=Ago(12, 13),
        published=Ago(11, 10),
        answered=(
            Ago(6, 16),
            "Сервис БЖЗҚ жүйесімен интеграцияны жаңарту кезінде уақытша тоқтатылды. Қазір "
            "жұмыс істейді.",
        ),
        rated=(Ago(5, 9), "not_satisfied", "Сервис әлі де жұмыс істемейді."),
        tags=("answered_on_time", "not_satisfied", "name_hidden"),
    ),
    # --- Akimat of Almaty ---
    DemoQuestion(
        blog="almaty-akim",
        asker="dauren",
        title="Шаңырақ шағын ауданына автобус маршруты қашан қосылады?",
        text="Жаңа желіде біздің шағын аудандан метроға тікелей маршрут жоқ, екі рет "
        "ауысуға тура келеді.",
        category="transport",
        submitted=Ago(0, hours=1),
        tags=("submitted",),
    ),
    DemoQuestion(
        blog="almaty-akim",
        asker="aruzhan",
        title="Бағдаршам Әл-Фараби даңғылында неге жұмыс істемейді?",
        text="Әл-Фараби мен Ходжанов көшелерінің қиылысындағы бағдаршам бір аптадан бері "
        "сөніп тұр, балалар мектепке осы жерден өтеді.",
        category="transport",
        name_hidden=True,
        submitted=Ago(4, 8),
        published=Ago(3, 10),
        tags=("name_hidden", "awaiting"),
    ),
    DemoQuestion(
        blog="almaty-akim",
        asker="gulmira",
        title="Ыстық су неге үш аптадан бері жоқ?",
        text="Жетісу ауданындағы 12-үйде ыстық су үш аптадан бері берілмейді. Жылу "
        "желілерінен жауап жоқ.",
        category="housing",
        submitted=Ago(26, 10),
        published=Ago(25, 10),
        supporters=("aruzhan", "bekzat"),
        tags=("overdue", "supported"),
    ),
    DemoQuestion(
        blog="almaty-akim",
        asker="bekzat",
        title="Когда отремонтируют дорогу на улице Саина?",
        text="На участке от Толе би до Абая ямы глубиной до 20 сантиметров, каждый день "
        "пробки и аварии.",
        category="transport",
        submitted=Ago(13, 9),
        published=Ago(12, 10),
        answered=(
            Ago(5, 14),
            "Ремонт участка включён в план этого года: работы начнутся в следующем месяце "
            "и продлятся шесть недель. Ямочный ремонт проведут до конца недели.",
        ),
        answered_by_owner=True,
        rated=(Ago(4, 19), "satisfied", ""),
        tags=("answered_on_time", "satisfied"),
    ),
    DemoQuestion(
        blog="almaty-akim",
        asker="olga",
        title="Соседи шумят по ночам, полиция не приезжает",
        text="Сосед из квартиры 45, Иванов Пётр, телефон +7 777 123 45 67, каждую ночь "
        "устраивает шум.",
        category="housing",
        submitted=Ago(4, 20),
        published=Ago(3, 11),
        hidden=(
            Ago(2, 9),
            "personal_data",
            "Вопрос содержит имя и телефон третьего лица.",
        ),
        tags=("hidden",),
    ),
    DemoQuestion(
        blog="almaty-akim",
        asker="dauren",
        title="Жаңа мектептегі бірінші сыныпқа орын қалай алуға болады?",
        text="Алатау ауданындағы жаңа мектепке құжат қабылдау қашан басталады және кезек "
        "қалай анықталады?",
        category="education",
        submitted=Ago(31, 10),
        published=Ago(30, 10),
        answered=(
            Ago(8, 11),
            "Бірінші сыныпқа құжаттар 1 сәуірден бастап egov.kz порталы арқылы "
            "қабылданады. Кезек тіркелген мекенжай бойынша анықталады.",
        ),
        tags=("answered_late",),
    ),
)


def seed(*, stdout: TextIOBase) -> list[tuple[str, str]]:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site is not None else None
    if home is None:
        stdout.write("  the default site has no home page: blogs skipped\n")
        return []
    people = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    }
    agencies = {agency.slug: agency for agency in Agency.objects.all()}
    logins = {login for spec in BLOGS for login in (spec.owner, spec.moderator, spec.responder)}
    logins |= {login for spec in QUESTIONS for login in (spec.asker, *spec.supporters)}
    slugs = {spec.agency for spec in BLOGS}
    slugs |= {spec.redirected[1] for spec in QUESTIONS if spec.redirected is not None}
    missing = (logins - set(people)) | (slugs - set(agencies))
    if missing:
        stdout.write(f"  missing demo people or agencies ({', '.join(sorted(missing))}): skipped\n")
        return []

    source_lang = home.locale.language_code
    locales = {
        locale.language_code: locale
        for locale in Locale.objects.filter(language_code__in=LANGUAGES)
    }
    targets = [locales[code] for code in LANGUAGES if code in locales and code != source_lang]

    pages = PageSeeder()
    index = pages.child(home, BlogIndexPage, "blogs", {"show_in_menus": True, **INDEX[source_lang]})
    if index is None:
        stdout.write("  a page with the slug 'blogs' is in the way: blogs skipped\n")
        return []
    for locale in targets:
        pages.translation(index, locale, INDEX[locale.language_code])

    blogs: dict[str, BlogPage] = {}
    for spec in BLOGS:
        blog = _seed_blog(pages, index, spec, people, agencies, source_lang, targets)
        if blog is not None:
            blogs[spec.slug] = blog.canonical  # what questions point at
            blog_authors_sync(blog=blog)
    stdout.write(f"  pages: {pages.created} new, {pages.found} already there\n")
    stdout.write(f"  blog authors' groups: {len(blogs)} (officials write posts at /cms/)\n")

    created = found = 0
    for spec in QUESTIONS:
        blog = blogs.get(spec.blog)
        if blog is None:
            continue
        if Question.objects.filter(blog=blog, title=spec.title).exists():
            found += 1
            continue
        _seed_question(spec, blog, people, agencies)
        created += 1
    stdout.write(f"  questions: {created} new, {found} already there\n")
    return []


# --- Pages -------------------------------------------------------------------------------


def _seed_blog(
    pages: PageSeeder,
    index: BlogIndexPage,
    spec: DemoBlog,
    people: dict[str, User],
    agencies: dict[str, Agency],
    source_lang: str,
    targets: list[Locale],
) -> BlogPage | None:
    fields = {
        "owner_user": people[spec.owner],
        "agency": agencies[spec.agency],
        "accepts_questions": True,
        **spec.content[source_lang],
    }
    blog = pages.child(index, BlogPage, spec.slug, fields)
    if blog is None:
        return None
    for locale in targets:
        pages.translation(blog, locale, spec.content[locale.language_code])
    for post in spec.posts:
        date = timezone.localdate() - datetime.timedelta(days=post.days_ago)
        published_at = timezone.make_aware(datetime.datetime.combine(date, datetime.time(10)))
        page = pages.child(
            blog,
            BlogPostPage,
            post.slug,
            {"date": date, "first_published_at": published_at, **post.content[source_lang]},
        )
        if page is None:
            continue
        for locale in targets:
            pages.translation(page, locale, post.content[locale.language_code])
    return blog


# --- Questions ---------------------------------------------------------------------------


@contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """Run the services as at `moment` (see the module's docstring)."""
    with mock.patch.object(timezone, "now", lambda: moment):
        yield


def _working_day_before(today: datetime.date, working_days: int) -> datetime.date:
    """The `working_days`-th working day before `today`."""
    cal = calendar.WorkingCalendar()
    day, counted = today, 0
    while counted < working_days:
        day -= datetime.timedelta(days=1)
        counted += cal.is_working_day(day)
    return day


def _moment(ago: Ago, now: datetime.datetime) -> datetime.datetime:
    if ago.working_days == 0:
        return now - datetime.timedelta(hours=ago.hours)
    day = _working_day_before(calendar.local_date(now), ago.working_days)
    return datetime.datetime.combine(day, datetime.time(ago.hour), tzinfo=calendar.tz())


def _seed_question(
    spec: DemoQuestion,
    blog: BlogPage,
    people: dict[str, User],
    agencies: dict[str, Agency],
) -> Question:
    now = timezone.now()
    blog_spec = next(b for b in BLOGS if b.slug == spec.blog)
    asker = people[spec.asker]
    responder = people[blog_spec.owner if spec.answered_by_owner else blog_spec.responder]
    moderator = people[blog_spec.moderator]

    def fresh() -> Question:
        return Question.objects.select_related("obligation", "agency", "blog").get(pk=pk)

    with _clock(_moment(spec.submitted, now)):
        pk = services.question_submit(
            blog=blog,
            asker=asker,
            title=spec.title,
            text=spec.text,
            category=spec.category,
            name_hidden=spec.name_hidden,
        ).pk
    if spec.rejected is not None:
        when, reason, original = spec.rejected
        duplicate_of = (
            Question.objects.filter(blog=blog, title=original).first() if original else None
        )
        with _clock(_moment(when, now)):
            services.question_reject(
                question=fresh(), actor=moderator, reason=reason, duplicate_of=duplicate_of
            )
    if spec.published is None:
        return fresh()

    with _clock(_moment(spec.published, now)):
        services.question_publish(question=fresh(), actor=moderator)
    if spec.supporters:
        support_at = Ago(max(spec.published.working_days - 1, 0), 12, hours=1)
        with _clock(_moment(support_at, now)):
            for login in spec.supporters:
                services.question_support(question=fresh(), user=people[login])
    if spec.interim is not None:
        when, text = spec.interim
        with _clock(_moment(when, now)):
            services.question_answer(
                question=fresh(), responder=responder, text=text, is_final=False
            )
    if spec.extended is not None:
        when, working_days, reason = spec.extended
        published_on = calendar.local_date(_moment(spec.published, now))
        new_due = min(
            calendar.add_working_days(published_on, working_days),
            CalendarMonths(2).due_date(published_on),
        )
        with _clock(_moment(when, now)):
            services.question_extend(
                question=fresh(), actor=responder, new_due_date=new_due, reason=reason
            )
    if spec.redirected is not None:
        when, agency_slug, reason = spec.redirected
        with _clock(_moment(when, now)):
            services.question_redirect(
                question=fresh(), actor=responder, to_agency=agencies[agency_slug], reason=reason
            )
    if spec.answered is not None:
        when, text = spec.answered
        with _clock(_moment(when, now)):
            services.question_answer(
                question=fresh(), responder=responder, text=text, is_final=True
            )
    if spec.rated is not None:
        when, verdict, comment = spec.rated
        with _clock(_moment(when, now)):
            services.question_rate(question=fresh(), asker=asker, verdict=verdict, comment=comment)
    if spec.hidden is not None:
        when, reason, note = spec.hidden
        with _clock(_moment(when, now)):
            services.question_hide(question=fresh(), reason=reason, actor=moderator, note=note)
    return fresh()
