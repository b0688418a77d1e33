"""Demo site content for `manage.py seed_demo`: the home page, announcements, the About
page, the footer and the site's contacts, in Kazakh, Russian and English.

The Kazakh pages are the source: they are found by slug under their parent, and the Russian
and English ones by translation key, as Wagtail's "Translate" action makes them. Content is
written only when a page, footer or setting is missing (or, for the home page, still the
placeholder that migration 0002 made): after that it belongs to the editors, and a second
run must not publish a new revision over their work.
"""

from __future__ import annotations

import datetime
from io import TextIOBase
from typing import Any

from django.conf import settings
from django.utils import timezone
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from accounts.models import Agency

from .models import (
    AnnouncementIndexPage,
    AnnouncementPage,
    FooterText,
    HomePage,
    SiteSettings,
    StandardPage,
)
from .services import ensure_locales

CONTACT_EMAIL = "contact@demo.ashyq.kz"
CONTACT_PHONE = "+7 7172 55 00 00"

HOME = {
    "kk": {
        "title": "Ashyq — ашық диалог алаңы",
        "intro": "Заң жобаларын талқылаңыз, мемлекеттік органдарға сұрақ қойыңыз, петиция "
        "бастаңыз және жауаптардың уақтылы берілуін бақылаңыз.",
    },
    "ru": {
        "title": "Ashyq — платформа открытого диалога",
        "intro": "Обсуждайте проекты законов, задавайте вопросы государственным органам, "
        "запускайте петиции и следите, вовремя ли приходят ответы.",
    },
    "en": {
        "title": "Ashyq — the open dialogue platform",
        "intro": "Discuss draft laws, ask government bodies questions, start petitions and "
        "see whether the answers arrive on time.",
    },
}

ANNOUNCEMENT_INDEX = {
    "kk": {
        "title": "Хабарландырулар",
        "intro": "Платформа жаңалықтары мен мемлекеттік органдардың хабарландырулары.",
    },
    "ru": {
        "title": "Объявления",
        "intro": "Новости платформы и объявления государственных органов.",
    },
    "en": {
        "title": "Announcements",
        "intro": "Platform news and announcements from government bodies.",
    },
}

ABOUT = {
    "kk": {
        "title": "Біз туралы",
        "intro": "Ashyq — азаматтар мен мемлекеттік органдар арасындағы ашық диалогқа "
        "арналған алаң.",
        "body": [
            ("heading", "Платформа не үшін керек"),
            (
                "paragraph",
                "<p>Ashyq заң жобаларын жария талқылауды, лауазымды тұлғалардың блогтарын, "
                "интернет-конференцияларды және электрондық петицияларды бір жерге жинайды. "
                "Әрбір сұрақ пен ескертпеге жауап беру мерзімі бар, ал оның сақталуы "
                "барлығына көрінеді.</p>",
            ),
            ("heading", "Ашық деректер"),
            (
                "paragraph",
                "<p>Барлық жауаптар мен статистика ашық деректер ретінде жарияланады: API "
                "арқылы және CSV, JSON форматтарында.</p>",
            ),
            ("heading", "Бұл демо-нұсқа"),
            (
                "paragraph",
                "<p>Мемлекеттік органдар басшыларының есімдері және осы сайттағы барлық "
                "материалдар ойдан шығарылған демо-деректер болып табылады.</p>",
            ),
        ],
    },
    "ru": {
        "title": "О проекте",
        "intro": "Ashyq — площадка для открытого диалога граждан и государственных органов.",
        "body": [
            ("heading", "Зачем нужна платформа"),
            (
                "paragraph",
                "<p>Ashyq собирает в одном месте публичное обсуждение проектов нормативных "
                "актов, блоги руководителей, интернет-конференции и электронные петиции. У "
                "каждого вопроса и замечания есть срок ответа, и его соблюдение видно "
                "всем.</p>",
            ),
            ("heading", "Открытые данные"),
            (
                "paragraph",
                "<p>Все ответы и статистика публикуются как открытые данные: через API и в "
                "форматах CSV и JSON.</p>",
            ),
            ("heading", "Это демонстрационная версия"),
            (
                "paragraph",
                "<p>Имена руководителей государственных органов и все материалы на этом "
                "сайте — вымышленные демонстрационные данные.</p>",
            ),
        ],
    },
    "en": {
        "title": "About",
        "intro": "Ashyq is a place for open dialogue between citizens and government bodies.",
        "body": [
            ("heading", "Why the platform exists"),
            (
                "paragraph",
                "<p>Ashyq brings together the public discussion of draft legal acts, "
                "officials' blogs, internet conferences and e-petitions. Every question and "
                "comment has a deadline for its answer, and everyone can see whether it was "
                "kept.</p>",
            ),
            ("heading", "Open data"),
            (
                "paragraph",
                "<p>All answers and statistics are published as open data: through the API "
                "and as CSV and JSON downloads.</p>",
            ),
            ("heading", "This is a demo"),
            (
                "paragraph",
                "<p>The names of the heads of government bodies and all content on this site "
                "are fictional demo data.</p>",
            ),
        ],
    },
}

# Newest first; `days_ago` dates each one relative to the day of the first run.
ANNOUNCEMENTS: list[dict[str, Any]] = [
    {
        "slug": "draft-law-on-legal-aid",
        "days_ago": 2,
        "agency": "ministry-of-justice",
        "kk": {
            "title": "Заң көмегі туралы заң жобасы жария талқылауға шығарылды",
            "summary": "Әділет министрлігі кепілдік берілген заң көмегі туралы заңнамаға "
            "өзгерістер енгізу туралы заң жобасын жариялады. Ескертпелер талқылау мерзімі "
            "аяқталғанға дейін әр тармаққа қабылданады.",
            "body": [
                (
                    "paragraph",
                    "<p>Жоба кепілдік берілген тегін заң көмегін тұрмыстық зорлық-зомбылықтан "
                    "зардап шеккендерге және бірінші топтағы мүгедектігі бар адамдарға "
                    "кеңейтеді әрі оған онлайн өтінім беруге мүмкіндік береді.</p>",
                ),
                ("heading", "Қалай қатысуға болады"),
                (
                    "paragraph",
                    "<p>Жобаны ашып, бапты таңдаңыз да, оның жанына ескертпе қалдырыңыз "
                    "немесе жобаға тұтастай пікір жазыңыз. Министрлік әрбір ескертпеге "
                    "шешіммен — қабылданды, ішінара қабылданды, қабылданбады немесе назарға "
                    "алынды — және оның негіздемесімен жауап беруге, содан кейін талқылау "
                    "қорытындысы туралы есепті жариялауға міндетті.</p>",
                ),
            ],
        },
        "ru": {
            "title": "Проект закона о юридической помощи вынесен на публичное обсуждение",
            "summary": "Министерство юстиции опубликовало проект закона о внесении "
            "изменений в законодательство о гарантированной юридической помощи. Замечания "
            "принимаются к каждому пункту до окончания срока обсуждения.",
            "body": [
                (
                    "paragraph",
                    "<p>Проект распространяет гарантированную бесплатную юридическую помощь "
                    "на пострадавших от бытового насилия и лиц с инвалидностью первой группы "
                    "и позволяет подать заявку на неё онлайн.</p>",
                ),
                ("heading", "Как принять участие"),
                (
                    "paragraph",
                    "<p>Откройте проект, выберите статью и оставьте замечание рядом с ней "
                    "или прокомментируйте проект целиком. Министерство обязано ответить на "
                    "каждое замечание — принято, принято частично, не принято или принято к "
                    "сведению — с обоснованием, а затем опубликовать отчёт о публичном "
                    "обсуждении.</p>",
                ),
            ],
        },
        "en": {
            "title": "Draft law on legal aid opens for public discussion",
            "summary": "The Ministry of Justice has published a draft law amending the "
            "legislation on guaranteed legal aid. Comments on each provision are accepted "
            "until the discussion closes.",
            "body": [
                (
                    "paragraph",
                    "<p>The draft extends guaranteed free legal aid to victims of domestic "
                    "violence and to people with first-group disabilities, and lets them "
                    "apply for it online.</p>",
                ),
                ("heading", "How to take part"),
                (
                    "paragraph",
                    "<p>Open the draft, choose an article and leave your comment next to it, "
                    "or comment on the draft as a whole. The ministry must answer every "
                    "comment with a decision — accepted, partially accepted, not accepted or "
                    "noted — and its reason, and then publish the discussion report.</p>",
                ),
            ],
        },
    },
    {
        "slug": "internet-conference-primary-health-care",
        "days_ago": 6,
        "agency": "ministry-of-health",
        "kk": {
            "title": "Алғашқы медициналық-санитариялық көмек туралы интернет-конференция",
            "summary": "Денсаулық сақтау министрі азаматтардың алғашқы медициналық-"
            "санитариялық көмек туралы сұрақтарына тікелей эфирде жауап береді. "
            "Сұрақтарыңызды алдын ала жіберіп, басқалардың сұрақтарына дауыс беріңіз.",
            "body": [
                (
                    "paragraph",
                    "<p>Конференция платформада келесі бейсенбіде Астана уақытымен сағат "
                    "15:00-де өтеді. Министр алдымен ең көп дауыс жинаған сұрақтарға жауап "
                    "береді; жауаптар бетті жаңартпай-ақ пайда болады, ал толық стенограмма "
                    "конференциядан кейін де қолжетімді болады.</p>",
                ),
                ("heading", "Тақырыптар"),
                (
                    "paragraph",
                    "<ul><li>Емханаға тіркелу және дәрігерді таңдау</li>"
                    "<li>Бейінді мамандардың қабылдауын күту мерзімі</li>"
                    "<li>Тегін медициналық көмектің кепілдік берілген көлемі</li></ul>",
                ),
            ],
        },
        "ru": {
            "title": "Интернет-конференция о первичной медико-санитарной помощи",
            "summary": "Министр здравоохранения в прямом эфире ответит на вопросы граждан о "
            "первичной медико-санитарной помощи. Присылайте вопросы заранее и голосуйте за "
            "вопросы других участников.",
            "body": [
                (
                    "paragraph",
                    "<p>Конференция пройдёт на платформе в следующий четверг в 15:00 по "
                    "времени Астаны. Сначала министр ответит на вопросы, набравшие больше "
                    "всего голосов; ответы появляются на странице без перезагрузки, а полная "
                    "стенограмма останется доступной после конференции.</p>",
                ),
                ("heading", "Темы"),
                (
                    "paragraph",
                    "<ul><li>Прикрепление к поликлинике и выбор врача</li>"
                    "<li>Сроки ожидания приёма профильных специалистов</li>"
                    "<li>Гарантированный объём бесплатной медицинской помощи</li></ul>",
                ),
            ],
        },
        "en": {
            "title": "Internet conference on primary health care",
            "summary": "The Minister of Health will answer citizens' questions on primary "
            "health care live. Send your questions in advance and vote for other people's.",
            "body": [
                (
                    "paragraph",
                    "<p>The conference takes place on the platform next Thursday at 15:00 "
                    "Astana time. The questions with the most votes are answered first; "
                    "answers appear on the page without reloading it, and the full "
                    "transcript stays available afterwards.</p>",
                ),
                ("heading", "Topics"),
                (
                    "paragraph",
                    "<ul><li>Registering with a polyclinic and choosing a doctor</li>"
                    "<li>Waiting times for specialists</li>"
                    "<li>The guaranteed scope of free medical care</li></ul>",
                ),
            ],
        },
    },
    {
        "slug": "open-data-api",
        "days_ago": 11,
        "agency": "ministry-of-digital-development",
        "kk": {
            "title": "Ашық деректер API: жауаптар мен мерзімдер машинамен оқылатын түрде",
            "summary": "Сұрақтар, жауаптар, мерзімдер және мемлекеттік органдар бойынша "
            "статистика енді ашық API арқылы, сондай-ақ CSV және JSON форматтарында "
            "қолжетімді.",
            "body": [
                (
                    "paragraph",
                    "<p>API тек оқуға арналған және тіркелуді қажет етпейді. Дербес деректер "
                    "берілмейді: азаматтар тек жария есімдерімен көрсетіледі.</p>",
                ),
                ("heading", "Неден бастау керек"),
                (
                    "paragraph",
                    '<p>Интерактивті құжаттама <a href="/api/docs/">/api/docs/</a> '
                    "мекенжайында орналасқан. Тізімдер беттерге бөлінген, ал "
                    "хабарландыруларды тіл және мемлекеттік орган бойынша сүзуге болады.</p>",
                ),
            ],
        },
        "ru": {
            "title": "API открытых данных: ответы и сроки в машиночитаемом виде",
            "summary": "Вопросы, ответы, сроки и статистика по государственным органам "
            "теперь доступны через открытый API и для скачивания в форматах CSV и JSON.",
            "body": [
                (
                    "paragraph",
                    "<p>API работает только на чтение и не требует регистрации. Персональные "
                    "данные не передаются: граждане видны только под публичными именами.</p>",
                ),
                ("heading", "С чего начать"),
                (
                    "paragraph",
                    '<p>Интерактивная документация находится по адресу <a href="/api/docs/">'
                    "/api/docs/</a>. Списки разбиты на страницы, объявления можно фильтровать "
                    "по языку и государственному органу.</p>",
                ),
            ],
        },
        "en": {
            "title": "Open data API: answers and deadlines in machine-readable form",
            "summary": "Questions, answers, deadlines and statistics on government bodies are "
            "now available through a public API and as CSV and JSON downloads.",
            "body": [
                (
                    "paragraph",
                    "<p>The API is read-only and needs no registration. It returns no "
                    "personal data: citizens appear only under their public names.</p>",
                ),
                ("heading", "Where to start"),
                (
                    "paragraph",
                    '<p>The interactive documentation is at <a href="/api/docs/">/api/docs/'
                    "</a>. Lists are paginated, and announcements can be filtered by "
                    "language and by government body.</p>",
                ),
            ],
        },
    },
    {
        "slug": "almaty-bus-network-poll",
        "days_ago": 17,
        "agency": "akimat-almaty",
        "kk": {
            "title": "Алматы: тұрғындардан жаңа маршрут желісі туралы пікір сұралады",
            "summary": "Алматы қаласының әкімдігі автобус маршруттарының жаңа желісінің "
            "жобасы бойынша сауалнама ашты. Расталған тіркелгісі бар әрбір тұрғын бір рет "
            "дауыс бере алады.",
            "body": [
                (
                    "paragraph",
                    "<p>Желі жобасы негізгі даңғылдардағы қозғалыс аралығын қысқартып, метро "
                    "бекеттеріне апаратын қосымша маршруттар қосады. Сауалнама аяқталғаннан "
                    "кейін оның қорытындысы әкімдіктің шешімімен бірге платформада "
                    "жарияланады.</p>",
                ),
            ],
        },
        "ru": {
            "title": "Алматы: жителей спрашивают о новой маршрутной сети",
            "summary": "Акимат города Алматы открыл опрос о проекте новой сети автобусных "
            "маршрутов. Каждый житель с подтверждённой учётной записью может проголосовать "
            "один раз.",
            "body": [
                (
                    "paragraph",
                    "<p>Проект сети сокращает интервалы движения на главных проспектах и "
                    "добавляет подвозящие маршруты к станциям метро. Итоги опроса вместе с "
                    "решением акимата будут опубликованы на платформе после его "
                    "завершения.</p>",
                ),
            ],
        },
        "en": {
            "title": "Almaty asks residents about the new bus network",
            "summary": "The Akimat of Almaty has opened a poll on the draft new bus route "
            "network. Every resident with a verified account can vote once.",
            "body": [
                (
                    "paragraph",
                    "<p>The draft network shortens intervals on the main avenues and adds "
                    "feeder routes to the metro stations. The results will be published on "
                    "the platform when the poll closes, together with the akimat's "
                    "decision.</p>",
                ),
            ],
        },
    },
    {
        "slug": "response-tracking",
        "days_ago": 24,
        "agency": "",
        "kk": {
            "title": "Мемлекеттік органдардың қаншалықты жылдам жауап беретінін көріңіз",
            "summary": "Әр мемлекеттік органның бетінде енді оның қанша сұрақ пен ескертпе "
            "алғаны, олардың қаншасына мерзімінде жауап бергені және адамдардың жауаптарға "
            "қаншалықты риза екені көрсетіледі.",
            "body": [
                (
                    "paragraph",
                    "<p>Мерзімдер заңға сәйкес есептеледі: өтінішке жауап беруге 15 жұмыс "
                    "күні, ресми жұмыс күнтізбесі бойынша мерекелер мен ауыстырылған демалыс "
                    "күндері ескеріледі. Мерзімі өткен жауаптар автоматты түрде "
                    "белгіленеді.</p>",
                ),
                ("heading", "Бағалауға деректер аз болса"),
                (
                    "paragraph",
                    "<p>Егер мемлекеттік орган бірнеше ғана сұрақ алса, платформа "
                    "жаңылыстыратын пайызды көрсетудің орнына дәл осыны хабарлайды.</p>",
                ),
            ],
        },
        "ru": {
            "title": "Смотрите, как быстро отвечают государственные органы",
            "summary": "На странице каждого государственного органа теперь видно, сколько "
            "вопросов и замечаний он получил, на сколько из них ответил в срок и насколько "
            "люди довольны ответами.",
            "body": [
                (
                    "paragraph",
                    "<p>Сроки считаются по закону: 15 рабочих дней на ответ на обращение, с "
                    "учётом официального производственного календаря, праздников и "
                    "перенесённых выходных. Просроченные ответы выделяются "
                    "автоматически.</p>",
                ),
                ("heading", "Когда данных слишком мало"),
                (
                    "paragraph",
                    "<p>Если государственный орган получил всего несколько вопросов, "
                    "платформа так и сообщает, а не показывает вводящий в заблуждение "
                    "процент.</p>",
                ),
            ],
        },
        "en": {
            "title": "See how quickly government bodies answer",
            "summary": "Each government body's page now shows how many questions and "
            "comments it received, how many it answered on time and how satisfied people "
            "were with the answers.",
            "body": [
                (
                    "paragraph",
                    "<p>Deadlines follow the law: 15 working days to answer an appeal, counted "
                    "on the official working-day calendar with its public holidays and "
                    "transferred days off. Overdue answers are flagged automatically.</p>",
                ),
                ("heading", "Too few to judge"),
                (
                    "paragraph",
                    "<p>Where a body has received only a handful of questions, the platform "
                    "says so instead of showing a percentage that would mislead.</p>",
                ),
            ],
        },
    },
]

FOOTER = {
    "kk": "<p>Ashyq — ашық диалог алаңының демо-нұсқасы. Барлық материалдар ойдан шығарылған.</p>",
    "ru": "<p>Ashyq — демонстрационная версия платформы открытого диалога. Все материалы "
    "вымышлены.</p>",
    "en": "<p>Ashyq — a demo of the open dialogue platform. All content is fictional.</p>",
}


def seed(*, stdout: TextIOBase) -> list[tuple[str, str]]:
    ensure_locales()
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site is not None else None
    if not isinstance(home, HomePage):
        stdout.write("  the default site has no home page at its root: pages skipped\n")
        return []
    source_lang = home.locale.language_code
    languages = [code for code, _name in settings.LANGUAGES if code in HOME]
    locales = {
        locale.language_code: locale
        for locale in Locale.objects.filter(language_code__in=languages)
    }
    targets = [locales[code] for code in languages if code != source_lang]

    counter = PageSeeder()
    if home.intro:
        counter.found += 1
    else:  # still the placeholder from migration 0002
        publish_page(home, HOME[source_lang])
        counter.created += 1
    for locale in targets:
        counter.translation(home, locale, HOME[locale.language_code])

    index = counter.child(
        home,
        AnnouncementIndexPage,
        "announcements",
        {"show_in_menus": True, **ANNOUNCEMENT_INDEX[source_lang]},
    )
    if index is not None:
        for locale in targets:
            counter.translation(index, locale, ANNOUNCEMENT_INDEX[locale.language_code])
        for item in ANNOUNCEMENTS:
            _seed_announcement(counter, index, item, source_lang, targets)

    about = counter.child(
        home, StandardPage, "about", {"show_in_menus": True, **_stream(ABOUT[source_lang])}
    )
    if about is not None:
        for locale in targets:
            counter.translation(about, locale, _stream(ABOUT[locale.language_code]))
    stdout.write(f"  pages: {counter.created} new, {counter.found} already there\n")

    footers = _seed_footer(locales, source_lang)
    stdout.write(f"  footer texts: {footers} new\n")
    filled = _seed_site_settings(site)
    stdout.write(f"  site settings: {', '.join(filled) or 'nothing'} filled in\n")
    if index is not None:
        added = _seed_discussion(index)
        stdout.write(f"  demo discussion: {added} comments\n")
    return []


# A short discussion under the legal-aid announcement, so the comment thread, an official
# answer and the moderation queue (one reported comment) have something to show.
DISCUSSION = [
    (
        "aruzhan",
        None,
        False,
        "Заң жобасы студенттерге де тегін заң көмегін қарастыруы керек деп "
        "ойлаймын. Стипендиямен адвокатқа ақша төлеу мүмкін емес.",
    ),
    (
        "justice.responder",
        0,
        True,
        "Ұсынысыңызға рахмет. Студенттерді кепілдік берілген заң "
        "көмегін алушылар санатына қосу мәселесі талқылау қорытындысы бойынша қаралады.",
    ),
    (
        "olga",
        None,
        False,
        "Предлагаю добавить возможность подать заявку на юридическую помощь "
        "через eGov mobile, а не только лично в центре обслуживания.",
    ),
    ("dauren", None, False, "Бұл заң жобасы ешкімге керек емес, бәрі бос сөз!"),
]
FLAGGED = ("dauren", "gulmira")  # gulmira reports dauren's comment


def _seed_discussion(index: AnnouncementIndexPage) -> int:
    from accounts.demo import DEMO_EMAIL_DOMAIN
    from accounts.models import User
    from dialogue.models import Comment
    from dialogue.services import comment_post
    from moderation.models import FlagReason
    from moderation.services import flag_create

    # child_of filters by tree path; `index.get_children()` would trust a stale numchild.
    target = AnnouncementPage.objects.child_of(index).filter(slug="draft-law-on-legal-aid").first()
    if target is None or Comment.objects.filter(target_pk=str(target.pk)).exists():
        return 0
    people = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    }
    if any(handle not in people for handle, *_rest in DISCUSSION):
        return 0

    def demo_user(handle: str) -> User:
        return people[handle]

    posted: list = []
    for handle, parent_index, official, text in DISCUSSION:
        parent = posted[parent_index] if parent_index is not None else None
        posted.append(
            comment_post(
                target=target,
                author=demo_user(handle),
                text=text,
                parent=parent,
                as_official=official,
            )
        )
    author, reporter = FLAGGED
    flagged = next(c for c, (h, *_rest) in zip(posted, DISCUSSION, strict=True) if h == author)
    flag_create(
        target=flagged,
        reporter=demo_user(reporter),
        reason=FlagReason.ABUSE,
        note="Пікір талқылауға ештеңе қоспайды.",
    )
    return len(posted)


class PageSeeder:
    """Finds or makes pages, counting which, so the command can say what it did. Other
    modules' demos build their pages with it too."""

    def __init__(self) -> None:
        self.created = 0
        self.found = 0

    def child(self, parent: Page, model: type[Page], slug: str, fields: dict[str, Any]):
        """The page `slug` under `parent`, created and published if missing."""
        existing = Page.objects.child_of(parent).filter(slug=slug).first()
        if existing is not None:
            self.found += 1
            existing = existing.specific
            return existing if isinstance(existing, model) else None
        page = model(slug=slug, locale=parent.locale, **fields)
        # A fresh parent: treebeard computes the new path from the parent's child count.
        Page.objects.get(pk=parent.pk).add_child(instance=page)
        publish_page(page, {})
        self.created += 1
        return page

    def translation(self, source: Page, locale: Locale, fields: dict[str, Any]) -> Page:
        """`source` in `locale`, copied with Wagtail's translation action if missing."""
        existing = source.get_translations().filter(locale=locale).first()
        if existing is not None:
            self.found += 1
            return existing.specific
        page = source.copy_for_translation(locale)
        publish_page(page, fields, first_published_at=source.first_published_at)
        self.created += 1
        return page


def _seed_announcement(
    counter: PageSeeder,
    index: AnnouncementIndexPage,
    item: dict[str, Any],
    source_lang: str,
    targets: list[Locale],
) -> None:
    date = timezone.localdate() - datetime.timedelta(days=item["days_ago"])
    agency = Agency.objects.filter(slug=item["agency"]).first() if item["agency"] else None
    published_at = timezone.make_aware(datetime.datetime.combine(date, datetime.time(10)))
    fields = {
        "date": date,
        "agency": agency,
        "first_published_at": published_at,
        **_stream(item[source_lang]),
    }
    page = counter.child(index, AnnouncementPage, item["slug"], fields)
    if page is None:
        return
    for locale in targets:
        counter.translation(page, locale, _stream(item[locale.language_code]))


def _seed_footer(locales: dict[str, Locale], source_lang: str) -> int:
    created = 0
    source = FooterText.objects.filter(locale=locales[source_lang]).first()
    if source is None:
        source = FooterText.objects.create(locale=locales[source_lang], body=FOOTER[source_lang])
        created += 1
    for lang, locale in locales.items():
        if lang == source_lang or FooterText.objects.filter(locale=locale).exists():
            continue
        footer = source.copy_for_translation(locale)
        footer.body = FOOTER[lang]
        footer.save()
        created += 1
    return created


def _seed_site_settings(site: Site) -> list[str]:
    """Fill the contacts only where an editor has not."""
    site_settings = SiteSettings.for_site(site)
    changed = []
    if not site_settings.contact_email:
        site_settings.contact_email = CONTACT_EMAIL
        changed.append("contact_email")
    if not site_settings.contact_phone:
        site_settings.contact_phone = CONTACT_PHONE
        changed.append("contact_phone")
    if changed:
        site_settings.save(update_fields=changed)
    return changed


def _stream(content: dict[str, Any]) -> dict[str, Any]:
    """Page fields from one language's content, with rich-text paragraphs as `RichText`."""
    fields = {key: value for key, value in content.items() if key != "body"}
    if "body" in content:
        fields["body"] = [
            (kind, RichText(value) if kind == "paragraph" else value)
            for kind, value in content["body"]
        ]
    return fields


def publish_page(
    page: Page, fields: dict[str, Any], *, first_published_at: datetime.datetime | None = None
) -> None:
    for name, value in fields.items():
        setattr(page, name, value)
    if first_published_at is not None:
        page.first_published_at = first_published_at
    page.save_revision().publish()
