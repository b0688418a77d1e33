"""Demo draft acts for `manage.py seed_demo`: one in each public status, of four types,
from three agencies, with Kazakh and Russian texts, comments, votes, dispositions and a
published report.

- scheduled: a public-service standard on access to digital documents (Ministry of
  Digital Development);
- open: an order on guaranteed legal aid, with comments on paragraphs and on the whole
  draft, a reply, an official answer, an NGO's comment and votes (Ministry of Justice);
- awaiting report: rules on keeping pets in Almaty, two comments answered and two not
  (their duties overdue) (Akimat of Almaty);
- report published: the concept of a law on open data, with a second version whose
  changed paragraphs are linked to accepted comments, every disposition value, a hidden
  comment and the report with its summary (Ministry of Digital Development);
- adopted: an order on electronic notarial acts, with its report and a link to
  adilet.zan.kz (Ministry of Justice);
- withdrawn: an Almaty resolution on street trading, with the reason (Akimat of Almaty).

Everything goes through `legal_drafts.services` and `dialogue.services`, each step under
`_clock(moment)` as in blogs/demo.py: the obligations' histories, the audit events and
the derived status agree with the dates because every check ran "then". Moments are
counted in calendar days back from today (the duties' deadlines in working days follow
from them), so the statuses hold whatever day the demo is seeded.

The drafting officials are accounts/demo.py's drafters (`justice.drafter`,
`digital.drafter`); the Akimat of Almaty has no drafter there, so its head drafts (a head
may). The adilet.zan.kz link of the adopted act is illustrative.

Idempotent: a draft is found again by its agency and Russian title; what exists is left
alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import TextIOBase
from types import SimpleNamespace
from unittest import mock

from django.conf import settings
from django.utils import timezone
from wagtail.models import Locale, Site

from accounts.demo import DEMO_EMAIL_DOMAIN
from accounts.models import Agency, Organisation, User
from cms.demo import PageSeeder
from dialogue import services as dialogue
from moderation import services as moderation_services
from tracking import calendar

from . import services
from .models import Draft, DraftIndexPage, DraftType, Paragraph
from .text_import import import_markdown


@contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """Run the services as at `moment` (see blogs/demo.py), posting limits included: the
    moderation rate windows count in the demo's own past minutes, not in the seconds the
    command runs."""
    clock = SimpleNamespace(time=moment.timestamp)
    with (
        mock.patch.object(timezone, "now", lambda: moment),
        mock.patch.object(moderation_services, "time", clock),
    ):
        yield


def _ago(days: int, hour: int = 10, today: datetime.date | None = None) -> datetime.datetime:
    """`days` calendar days before today (negative: after), at `hour` Astana time."""
    day = (today or calendar.local_date()) - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=calendar.tz())


@dataclass(frozen=True)
class DemoComment:
    author: str  # login (accounts/demo.py)
    days_ago: int
    text: str
    anchor: str = ""  # "" for the draft as a whole
    version: int = 1
    organisation: str = ""  # slug: posted on behalf of the organisation
    reply_to: int | None = None  # index of the comment answered
    official: bool = False  # the agency's responder answers officially
    disposition: tuple[str, str] | None = None  # value, reason
    changed_anchor: str = ""  # the paragraph of version 2 the disposition led to
    hidden: bool = False


@dataclass(frozen=True)
class DemoDraft:
    key: str  # what it demonstrates (the tests use it)
    agency: str
    drafter: str
    type: str
    title_kk: str
    title_ru: str
    summary_kk: str
    summary_ru: str
    text_kk: str
    text_ru: str
    created_days_ago: int
    opens_days_ago: int
    closes_days_ago: int  # negative: closes in the future
    comments: tuple[DemoComment, ...] = ()
    votes: tuple[tuple[str, str], ...] = ()  # login, for/against
    second_version: tuple[int, str, str, str, str] | None = None  # days ago, kk, ru, notes
    answered_days_ago: int = 0
    report: tuple[int, str, str] | None = None  # days ago, summary kk, ru
    adopted: tuple[int, str] | None = None  # days ago, adilet URL
    withdrawn: tuple[int, str] | None = None  # days ago, reason
    responder: str = ""
    explanatory_note: tuple[str, str] = ("", "")
    tags: tuple[str, ...] = field(default=())


# --- texts ------------------------------------------------------------------------------

STANDARD_KK = """# 1-бап. Жалпы ережелер

1. Мемлекеттік көрсетілетін қызметті Қазақстан Республикасының Цифрлық даму, инновациялар және
   аэроғарыш өнеркәсібі министрлігі (бұдан әрі – көрсетілетін қызметті беруші) көрсетеді.
2. Мемлекеттік қызмет «электрондық үкімет» веб-порталы және eGov Mobile мобильді қосымшасы
   арқылы көрсетіледі.

# 2-бап. Мемлекеттік қызметті көрсету тәртібі

1. Көрсетілетін қызметті алушы цифрлық құжаттар сервисіне кіру үшін биометриялық
   сәйкестендіруден өтеді.
2. Мемлекеттік қызметті көрсету мерзімі – сұрау салу тіркелген сәттен бастап бес минут.
3. Мемлекеттік қызмет тегін көрсетіледі.

# 3-бап. Шағымдану тәртібі

1. Көрсетілетін қызметті берушінің шешіміне шағым ол алынған күннен бастап он жұмыс күні ішінде
   қаралады.
"""

STANDARD_RU = """# Статья 1. Общие положения

1. Государственная услуга оказывается Министерством цифрового развития, инноваций и
   аэрокосмической промышленности Республики Казахстан (далее – услугодатель).
2. Государственная услуга оказывается через веб-портал «электронного правительства» и мобильное
   приложение eGov Mobile.

# Статья 2. Порядок оказания государственной услуги

1. Для доступа к сервису цифровых документов услугополучатель проходит биометрическую идентификацию.
2. Срок оказания государственной услуги – пять минут с момента регистрации запроса.
3. Государственная услуга оказывается бесплатно.

# Статья 3. Порядок обжалования

1. Жалоба на решение услугодателя рассматривается в течение десяти рабочих дней со дня ее
   поступления.
"""

LEGAL_AID_KK = """# 1-бап. Жалпы ережелер

1. Осы Қағидалар кепілдік берілген заң көмегін көрсету тәртібін айқындайды.
2. Кепілдік берілген заң көмегі тегін көрсетіледі.

# 2-бап. Заң көмегін алуға құқығы бар адамдар

1. Кепілдік берілген заң көмегін алуға бірінші және екінші топтағы мүгедектігі бар адамдар құқылы.
2. Тұрмыстық зорлық-зомбылықтан жәбірленушілер заң көмегін өтініш берген күні алады.
3. Жан басына шаққандағы табысы ең төмен күнкөріс деңгейінен аспайтын отбасылар заң көмегін
   алуға құқылы.

# 3-бап. Өтінішті қарау

1. Адвокаттар алқасы өтінішті үш жұмыс күні ішінде қарайды.
2. Өтініш «электрондық үкімет» веб-порталы арқылы берілуі мүмкін.
"""

LEGAL_AID_RU = """# Статья 1. Общие положения

1. Настоящие Правила определяют порядок оказания гарантированной юридической помощи.
2. Гарантированная юридическая помощь оказывается бесплатно.

# Статья 2. Лица, имеющие право на юридическую помощь

1. Право на гарантированную юридическую помощь имеют лица с инвалидностью первой и второй групп.
2. Потерпевшие от бытового насилия получают юридическую помощь в день обращения.
3. Право на юридическую помощь имеют семьи, среднедушевой доход которых не превышает
   прожиточного минимума.

# Статья 3. Рассмотрение заявления

1. Коллегия адвокатов рассматривает заявление в течение трех рабочих дней.
2. Заявление может быть подано через веб-портал «электронного правительства».
"""

PETS_KK = """# 1-бап. Жалпы ережелер

1. Осы Қағидалар Алматы қаласында үй жануарларын ұстау және серуендету тәртібін белгілейді.
2. Қағидалар қала аумағындағы барлық үй жануарларының иелеріне қолданылады.

# 2-бап. Үй жануарларын тіркеу

1. Иттер мен мысықтар үш айлық жасқа толғаннан кейін бір ай ішінде тіркелуге жатады.
2. Тіркеу кезінде жануарға микрочип орнатылады.

# 3-бап. Серуендету

1. Иттерді қоғамдық орындарда қарғыбаумен серуендетуге рұқсат етіледі.
2. Ірі тұқымды иттерді тұмылдырықпен серуендету міндетті.
3. Балалар алаңдарында үй жануарларын серуендетуге тыйым салынады.
"""

PETS_RU = """# Статья 1. Общие положения

1. Настоящие Правила устанавливают порядок содержания и выгула домашних животных в городе Алматы.
2. Правила распространяются на всех владельцев домашних животных на территории города.

# Статья 2. Регистрация домашних животных

1. Собаки и кошки подлежат регистрации в течение одного месяца после достижения ими
   трехмесячного возраста.
2. При регистрации животному устанавливается микрочип.

# Статья 3. Выгул

1. Выгул собак в общественных местах допускается на поводке.
2. Выгул собак крупных пород обязателен в наморднике.
3. Выгул домашних животных на детских площадках запрещается.
"""

OPEN_DATA_KK = """# 1-бап. Заң жобасын әзірлеудің қажеттілігі

1. Мемлекеттік органдар ашық деректерді бірыңғай талаптарсыз жариялайды, бұл оларды қайта
   пайдалануды қиындатады.
2. Ашық деректер порталында жарияланған деректер жиынтықтарының жартысынан көбі бір жылдан астам
   жаңартылмаған.

# 2-бап. Заң жобасының мақсаты

1. Заң жобасының мақсаты – мемлекеттік органдардың деректерін машинамен оқылатын форматта ашық
   жариялау.
2. Ашық деректер тегін және тіркеусіз қолжетімді болады.

# 3-бап. Күтілетін нәтижелер

1. Мемлекеттік органдар деректер жиынтықтарын жылына кемінде бір рет жаңартады.
2. Ашық деректерді жарияламағаны үшін лауазымды тұлғалардың жауапкершілігі белгіленеді.
"""

OPEN_DATA_RU = """# Статья 1. Необходимость разработки проекта закона

1. Государственные органы публикуют открытые данные без единых требований, что затрудняет их
   повторное использование.
2. Более половины наборов данных на портале открытых данных не обновлялись более года.

# Статья 2. Цель проекта закона

1. Целью проекта закона является открытая публикация данных государственных органов в
   машиночитаемом формате.
2. Открытые данные будут доступны бесплатно и без регистрации.

# Статья 3. Ожидаемые результаты

1. Государственные органы обновляют наборы данных не реже одного раза в год.
2. Устанавливается ответственность должностных лиц за непубликацию открытых данных.
"""

OPEN_DATA_V2_KK = OPEN_DATA_KK.replace(
    "жылына кемінде бір рет жаңартады.",
    "әр тоқсан сайын жаңартады, ал жедел деректерді – ай сайын.",
).replace(
    "тегін және тіркеусіз қолжетімді болады.",
    "тегін, тіркеусіз және ашық лицензия бойынша қолжетімді болады.",
)
OPEN_DATA_V2_RU = OPEN_DATA_RU.replace(
    "не реже одного раза в год.",
    "ежеквартально, а оперативные данные – ежемесячно.",
).replace(
    "бесплатно и без регистрации.",
    "бесплатно, без регистрации и по открытой лицензии.",
)

NOTARY_KK = """# 1-бап. Жалпы ережелер

1. Осы бұйрық нотариаттық әрекеттерді электрондық нысанда жасау тәртібін айқындайды.

# 2-бап. Электрондық нотариаттық әрекеттер

1. Сенімхат электрондық цифрлық қолтаңбамен куәландырылған электрондық құжат нысанында жасалуы
   мүмкін.
2. Нотариус өтініш берушінің жеке басын бейнебайланыс арқылы сәйкестендіреді.
"""

NOTARY_RU = """# Статья 1. Общие положения

1. Настоящий приказ определяет порядок совершения нотариальных действий в электронной форме.

# Статья 2. Электронные нотариальные действия

1. Доверенность может быть совершена в форме электронного документа, удостоверенного электронной
   цифровой подписью.
2. Нотариус идентифицирует личность заявителя посредством видеосвязи.
"""

TRADE_KK = """# 1-бап. Жалпы ережелер

1. Осы қаулы Алматы қаласында көшелерде сауда жасау орындарын айқындайды.

# 2-бап. Сауда орындары

1. Көшелерде сауда жасау тек әкімдік бекіткен орындарда жүзеге асырылады.
2. Метро бекеттерінен елу метрден жақын жерде сауда жасауға тыйым салынады.
"""

TRADE_RU = """# Статья 1. Общие положения

1. Настоящее постановление определяет места уличной торговли в городе Алматы.

# Статья 2. Места торговли

1. Уличная торговля осуществляется только в местах, утвержденных акиматом.
2. Торговля ближе пятидесяти метров от станций метро запрещается.
"""

ACCEPTED, PARTIALLY, NOT_ACCEPTED, NOTED = "accepted", "partially", "not_accepted", "noted"

DRAFTS: tuple[DemoDraft, ...] = (
    DemoDraft(
        key="scheduled",
        agency="ministry-of-digital-development",
        drafter="digital.drafter",
        type="public-service-standard",
        title_kk="«Цифрлық құжаттарға қол жеткізу» мемлекеттік көрсетілетін қызмет стандарты",
        title_ru="Стандарт государственной услуги «Предоставление доступа к цифровым документам»",
        summary_kk="Цифрлық құжаттар сервисіне қол жеткізу тәртібі мен мерзімдері.",
        summary_ru="Порядок и сроки доступа к сервису цифровых документов.",
        text_kk=STANDARD_KK,
        text_ru=STANDARD_RU,
        created_days_ago=2,
        opens_days_ago=-3,
        closes_days_ago=-30,
        tags=("scheduled",),
    ),
    DemoDraft(
        key="open",
        agency="ministry-of-justice",
        drafter="justice.drafter",
        responder="justice.responder",
        type="order",
        title_kk="Кепілдік берілген заң көмегін көрсету қағидаларын бекіту туралы бұйрық",
        title_ru="Приказ об утверждении Правил оказания гарантированной юридической помощи",
        summary_kk="Тегін заң көмегін алушылар аясын кеңейту және өтінішті онлайн беру.",
        summary_ru="Расширение круга получателей бесплатной юридической помощи и подача "
        "заявления онлайн.",
        explanatory_note=(
            "Жоба тұрмыстық зорлық-зомбылықтан жәбірленушілерге заң көмегін жеделдетеді.",
            "Проект ускоряет юридическую помощь потерпевшим от бытового насилия.",
        ),
        text_kk=LEGAL_AID_KK,
        text_ru=LEGAL_AID_RU,
        created_days_ago=8,
        opens_days_ago=6,
        closes_days_ago=-10,
        comments=(
            DemoComment(
                "aruzhan",
                5,
                "Үшінші топтағы мүгедектігі бар адамдарды да қосуды ұсынамын: олардың "
                "көбі адвокатқа ақы төлей алмайды.",
                anchor="art-2-p-1",
            ),
            DemoComment(
                "olga",
                4,
                "Три рабочих дня – слишком долго для потерпевших от насилия. Предлагаю "
                "рассматривать такие заявления в течение суток.",
                anchor="art-3-p-1",
            ),
            DemoComment(
                "ngo",
                3,
                "Прожиточный минимум – слишком низкий порог. Предлагаем ориентироваться на "
                "полуторный размер прожиточного минимума, как в большинстве стран ОЭСР.",
                anchor="art-2-p-3",
                organisation="baqylau",
            ),
            DemoComment(
                "gulmira",
                3,
                "Жоба жалпы дұрыс, бірақ ауылдық жерлерде адвокаттар жетіспейді. Онлайн "
                "кеңес беру мүмкіндігін де қарастыру керек.",
            ),
            DemoComment(
                "bekzat",
                2,
                "Согласен, в Мангистауской области адвоката приходится ждать неделями.",
                reply_to=3,
            ),
            DemoComment(
                "justice.responder",
                1,
                "Рахмет! Онлайн кеңес беру жобаның 3-бабының 2-тармағында қарастырылған: "
                "өтінішті eGov арқылы беруге болады.",
                reply_to=3,
                official=True,
            ),
        ),
        votes=(("aruzhan", "for"), ("dauren", "for"), ("olga", "for"), ("yerassyl", "against")),
        tags=("open", "organisation", "reply"),
    ),
    DemoDraft(
        key="awaiting_report",
        agency="akimat-almaty",
        drafter="almaty.drafter",
        type="rules",
        title_kk="Алматы қаласында үй жануарларын ұстау және серуендету қағидалары",
        title_ru="Правила содержания и выгула домашних животных в городе Алматы",
        summary_kk="Үй жануарларын тіркеу, микрочиптеу және серуендету талаптары.",
        summary_ru="Требования к регистрации, чипированию и выгулу домашних животных.",
        text_kk=PETS_KK,
        text_ru=PETS_RU,
        created_days_ago=48,
        opens_days_ago=45,
        closes_days_ago=25,
        answered_days_ago=20,
        comments=(
            DemoComment(
                "dauren",
                40,
                "Микрочипті тегін орнату керек, әйтпесе иелердің көбі жануарын тіркемейді.",
                anchor="art-2-p-2",
                disposition=(
                    PARTIALLY,
                    "Әлеуметтік осал топтар үшін чиптеу тегін болады; қалғандары үшін баға "
                    "2 000 теңгеден аспайды.",
                ),
            ),
            DemoComment(
                "aruzhan",
                38,
                "Нужно определить специальные площадки для выгула в каждом районе, иначе "
                "запрет на детских площадках невыполним.",
                anchor="art-3-p-3",
                disposition=(
                    ACCEPTED,
                    "В каждом районе будет не менее трех площадок для выгула собак; перечень "
                    "утвердит акимат района.",
                ),
            ),
            DemoComment(
                "olga",
                33,
                "Кто будет контролировать соблюдение правил выгула? В проекте нет ни слова о "
                "контроле.",
            ),
            DemoComment(
                "gulmira",
                30,
                "Намордник для крупных пород – правильно, но нужен перечень пород.",
                anchor="art-3-p-2",
            ),
        ),
        votes=(("dauren", "for"), ("aruzhan", "for"), ("olga", "against")),
        tags=("awaiting_report", "overdue"),
    ),
    DemoDraft(
        key="report_published",
        agency="ministry-of-digital-development",
        drafter="digital.drafter",
        type="law-concept",
        title_kk="«Ашық деректер туралы» Қазақстан Республикасы Заңы жобасының тұжырымдамасы",
        title_ru="Концепция проекта Закона Республики Казахстан «Об открытых данных»",
        summary_kk="Мемлекеттік органдардың ашық деректерін жариялауға бірыңғай талаптар.",
        summary_ru="Единые требования к публикации открытых данных государственными органами.",
        text_kk=OPEN_DATA_KK,
        text_ru=OPEN_DATA_RU,
        created_days_ago=64,
        opens_days_ago=60,
        closes_days_ago=40,
        second_version=(
            50,
            OPEN_DATA_V2_KK,
            OPEN_DATA_V2_RU,
            "Жаңарту жиілігі мен ашық лицензия талқылау нәтижесінде нақтыланды.",
            "По итогам обсуждения уточнены периодичность обновления и открытая лицензия.",
        ),
        answered_days_ago=36,
        comments=(
            DemoComment(
                "ngo",
                58,
                "Раз в год – слишком редко. Бюджетные и закупочные данные нужно обновлять "
                "хотя бы ежеквартально.",
                anchor="art-3-p-1",
                organisation="baqylau",
                disposition=(
                    ACCEPTED,
                    "Принято: наборы данных обновляются ежеквартально, оперативные – ежемесячно "
                    "(статья 3 пункт 1 версии 2).",
                ),
                changed_anchor="art-3-p-1",
            ),
            DemoComment(
                "dauren",
                56,
                "Деректерді қандай лицензиямен қайта пайдалануға болатыны көрсетілмеген.",
                anchor="art-2-p-2",
                disposition=(
                    PARTIALLY,
                    "Ашық лицензия талабы енгізілді (2-баптың 2-тармағы, 2-нұсқа); нақты "
                    "лицензияны Үкімет бекітеді.",
                ),
                changed_anchor="art-2-p-2",
            ),
            DemoComment(
                "olga",
                47,
                "Предлагаю штрафовать ведомства, а не должностных лиц.",
                anchor="art-3-p-2",
                version=2,
                disposition=(
                    NOT_ACCEPTED,
                    "Кодекс об административных правонарушениях не предусматривает "
                    "ответственности государственных органов как юридических лиц.",
                ),
            ),
            DemoComment(
                "gulmira",
                45,
                "Тұжырымдама өте қажет, әсіресе білім беру деректері үшін.",
                disposition=(
                    NOTED,
                    "Рахмет. Білім беру деректері бірінші кезекте жарияланатын жиынтықтар "
                    "тізіміне енгізіледі.",
                ),
            ),
            DemoComment(
                "yerassyl",
                44,
                "Бәрі бос сөз, министрліктегілер ештеңе істемейді!!!",
                hidden=True,
            ),
        ),
        votes=(("aruzhan", "for"), ("dauren", "for"), ("gulmira", "for"), ("olga", "for")),
        report=(
            33,
            "Талқылауға 5 пікір түсті. Екі ұсыныс ескеріліп, тұжырымдаманың 2-нұсқасына "
            "енгізілді: деректерді жаңарту жиілігі және ашық лицензия. Бір ұсыныс "
            "қолданыстағы заңнамаға қайшы болғандықтан қабылданбады.",
            "В обсуждении поступило 5 комментариев. Два предложения учтены во второй "
            "редакции концепции: периодичность обновления данных и открытая лицензия. Одно "
            "предложение не принято как противоречащее действующему законодательству.",
        ),
        tags=("report_published", "second_version", "hidden"),
    ),
    DemoDraft(
        key="adopted",
        agency="ministry-of-justice",
        drafter="justice.drafter",
        type="order",
        title_kk="Нотариаттық әрекеттерді электрондық нысанда жасау қағидаларына өзгерістер "
        "енгізу туралы бұйрық",
        title_ru="Приказ о внесении изменений в Правила совершения нотариальных действий в "
        "электронной форме",
        summary_kk="Сенімхаттарды электрондық нысанда және бейнебайланыс арқылы жасау.",
        summary_ru="Оформление доверенностей в электронной форме и по видеосвязи.",
        text_kk=NOTARY_KK,
        text_ru=NOTARY_RU,
        created_days_ago=95,
        opens_days_ago=90,
        closes_days_ago=75,
        answered_days_ago=72,
        comments=(
            DemoComment(
                "bekzat",
                85,
                "Видеосвязь должна записываться и храниться у нотариуса не менее пяти лет.",
                anchor="art-2-p-2",
                disposition=(
                    ACCEPTED,
                    "Принято: требование о хранении записи пять лет включено в приказ.",
                ),
            ),
            DemoComment(
                "aruzhan",
                80,
                "Егде жастағы адамдар үшін нотариусқа келу мүмкіндігі сақталуы керек.",
                disposition=(
                    NOTED,
                    "Нотариусқа келіп жүгіну тәсілі сақталады; электрондық нысан – қосымша "
                    "мүмкіндік.",
                ),
            ),
        ),
        votes=(("bekzat", "for"), ("aruzhan", "for")),
        report=(
            70,
            "Екі пікір қаралды; бейнежазбаны сақтау туралы ұсыныс қабылданды.",
            "Рассмотрены два комментария; предложение о хранении видеозаписи принято.",
        ),
        adopted=(50, "https://adilet.zan.kz/rus/docs/V2500035871"),
        tags=("adopted",),
    ),
    DemoDraft(
        key="withdrawn",
        agency="akimat-almaty",
        drafter="almaty.drafter",
        type="resolution",
        title_kk="Алматы қаласында көшелерде сауда жасау орындарын айқындау туралы қаулы",
        title_ru="Постановление об определении мест уличной торговли в городе Алматы",
        summary_kk="Көшедегі сауда орындары және метро маңындағы шектеулер.",
        summary_ru="Места уличной торговли и ограничения у станций метро.",
        text_kk=TRADE_KK,
        text_ru=TRADE_RU,
        created_days_ago=22,
        opens_days_ago=20,
        closes_days_ago=-5,
        comments=(
            DemoComment(
                "dauren",
                15,
                "Метро маңындағы сауданы толық тыйым салу шағын кәсіпкерлерге зиян.",
                anchor="art-2-p-2",
            ),
        ),
        withdrawn=(
            5,
            "Жоба «Сауда қызметін реттеу туралы» Заңға енгізілетін өзгерістер қабылданғаннан "
            "кейін қайта әзірленеді. / Проект будет переработан после принятия изменений в "
            "Закон «О регулировании торговой деятельности».",
        ),
        tags=("withdrawn",),
    ),
)


def seed(*, stdout: TextIOBase) -> list[tuple[str, str]]:
    people = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    }
    agencies = {agency.slug: agency for agency in Agency.objects.all()}
    organisations = {org.slug: org for org in Organisation.objects.all()}
    types = {draft_type.code: draft_type for draft_type in DraftType.objects.all()}
    logins = {spec.drafter for spec in DRAFTS} | {"moderator"}
    logins |= {c.author for spec in DRAFTS for c in spec.comments}
    logins |= {login for spec in DRAFTS for login, _value in spec.votes}
    needed = {spec.agency for spec in DRAFTS} | {spec.type for spec in DRAFTS}
    missing = (logins - set(people)) | (needed - set(agencies) - set(types))
    if missing:
        stdout.write(f"  missing demo people, agencies or types ({', '.join(sorted(missing))})\n")
        return []

    created = found = 0
    for spec in DRAFTS:
        agency = agencies[spec.agency]
        if Draft.objects.filter(agency=agency, title_ru=spec.title_ru).exists():
            found += 1
            continue
        _seed_draft(spec, agency, types[spec.type], people, organisations)
        created += 1
    stdout.write(f"  draft acts: {created} new, {found} already there\n")
    seed_index(stdout=stdout)
    return [
        (people["justice.drafter"].email, "Drafter of legal acts, Ministry of Justice"),
        (people["digital.drafter"].email, "Drafter of legal acts, Ministry of Digital Development"),
        (people["almaty.drafter"].email, "Drafter of legal acts, Akimat of Almaty"),
    ]


def _seed_draft(
    spec: DemoDraft,
    agency: Agency,
    draft_type: DraftType,
    people: dict[str, User],
    organisations: dict[str, Organisation],
) -> Draft:
    today = calendar.local_date()
    drafter = people[spec.drafter]

    def fresh() -> Draft:
        return Draft.objects.select_related("report", "agency").get(pk=pk)

    with _clock(_ago(spec.created_days_ago, 11, today)):
        draft = services.draft_create(
            actor=drafter,
            agency=agency,
            type=draft_type,
            title_kk=spec.title_kk,
            title_ru=spec.title_ru,
            summary_kk=spec.summary_kk,
            summary_ru=spec.summary_ru,
            explanatory_note_kk=spec.explanatory_note[0],
            explanatory_note_ru=spec.explanatory_note[1],
            opens_at=_ago(spec.opens_days_ago, 9, today),
            closes_at=_ago(spec.closes_days_ago, 18, today),
            responsible_officials=[drafter],
        )
        pk = draft.pk
        version = services.version_create(
            draft=draft, actor=drafter, text=import_markdown(kk=spec.text_kk, ru=spec.text_ru)
        )
        services.version_publish(version=version, actor=drafter)

    posted: list = []
    v2_days = spec.second_version[0] if spec.second_version else None
    events = sorted(
        [(c.days_ago, 0, index) for index, c in enumerate(spec.comments)]
        + ([(v2_days, 1, -1)] if v2_days is not None else []),
        key=lambda event: (-event[0], event[1]),
    )
    comments_by_index: dict[int, object] = {}
    for days_ago, kind, index in events:
        if kind == 1:
            _, text_kk, text_ru, note_kk, note_ru = spec.second_version
            with _clock(_ago(days_ago, 12, today)):
                version = services.version_create(
                    draft=fresh(),
                    actor=drafter,
                    text=import_markdown(kk=text_kk, ru=text_ru),
                    note_kk=note_kk,
                    note_ru=note_ru,
                )
                services.version_publish(version=version, actor=drafter)
            continue
        comment_spec = spec.comments[index]
        draft = fresh()
        parent = comments_by_index.get(comment_spec.reply_to)
        # A reply goes on its comment's target.
        place = spec.comments[comment_spec.reply_to] if parent is not None else comment_spec
        if place.anchor:
            target = Paragraph.objects.get(
                version__draft=draft, version__number=place.version, anchor=place.anchor
            )
        else:
            target = draft
        # Minutes apart, as people post: the posting limits hold for the demo too.
        with _clock(_ago(days_ago, 14, today) + datetime.timedelta(minutes=index * 3)):
            comment = dialogue.comment_post(
                target=target,
                author=people[comment_spec.author],
                text=comment_spec.text,
                parent=parent,
                as_official=comment_spec.official,
                organisation=organisations.get(comment_spec.organisation),
            )
        comments_by_index[index] = comment
        posted.append((comment_spec, comment))
        if comment_spec.hidden:
            with _clock(_ago(days_ago - 1, 9, today)):
                dialogue.comment_hide(
                    comment=comment,
                    reason="abuse",
                    note="Оскорбительный тон без предложения по существу.",
                    actor=people["moderator"],
                )

    with _clock(_ago(max(spec.opens_days_ago - 1, 0), 19, today)):
        draft = fresh()
        for login, value in spec.votes:
            if draft.is_open():
                services.vote_cast(draft=draft, user=people[login], value=value)

    for comment_spec, comment in posted:
        if comment_spec.disposition is None:
            continue
        value, reason = comment_spec.disposition
        changed = None
        if comment_spec.changed_anchor:
            changed = Paragraph.objects.get(
                version__draft_id=pk, version__number=2, anchor=comment_spec.changed_anchor
            )
        with _clock(_ago(spec.answered_days_ago, 15, today)):
            services.disposition_give(
                comment=comment,
                actor=drafter,
                value=value,
                reason=reason,
                changed_paragraph=changed,
            )
    if spec.report is not None:
        days_ago, summary_kk, summary_ru = spec.report
        with _clock(_ago(days_ago, 16, today)):
            services.report_publish(
                draft=fresh(), actor=drafter, summary_kk=summary_kk, summary_ru=summary_ru
            )
    if spec.adopted is not None:
        days_ago, url = spec.adopted
        with _clock(_ago(days_ago, 12, today)):
            services.draft_record_outcome(
                draft=fresh(),
                actor=drafter,
                outcome="adopted",
                adopted_url=url,
                adopted_on=calendar.local_date(_ago(days_ago + 2, 12, today)),
            )
    if spec.withdrawn is not None:
        days_ago, reason = spec.withdrawn
        with _clock(_ago(days_ago, 12, today)):
            services.draft_withdraw(draft=fresh(), actor=drafter, reason=reason)
    return fresh()


# --- The menu entry: a DraftIndexPage with the slug "drafts" in each language -------------

INDEX = {
    "kk": {
        "title": "Нормативтік құқықтық актілердің жобалары",
        "intro": "Мемлекеттік органдар әзірлеген жобаларды талқылаңыз: әр тармаққа пікір "
        "қалдырыңыз, жобаны қолдаңыз немесе қарсы дауыс беріңіз. Әр пікірге жауап беріледі.",
    },
    "ru": {
        "title": "Проекты нормативных правовых актов",
        "intro": "Обсуждайте проекты, которые готовят государственные органы: комментируйте "
        "каждый пункт, голосуйте за или против. На каждый комментарий дают ответ.",
    },
    "en": {
        "title": "Draft legal acts",
        "intro": "Discuss the drafts that government agencies prepare: comment on each "
        "paragraph, vote for or against. Every comment gets an answer.",
    },
}


def seed_index(*, stdout: TextIOBase) -> DraftIndexPage | None:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site is not None else None
    if home is None:
        stdout.write("  the default site has no home page: the drafts index skipped\n")
        return None
    source_lang = home.locale.language_code
    pages = PageSeeder()
    index = pages.child(
        home, DraftIndexPage, "drafts", {"show_in_menus": True, **INDEX[source_lang]}
    )
    if index is None:
        stdout.write("  a page with the slug 'drafts' is in the way: the index skipped\n")
        return None
    codes = [code for code, _name in settings.LANGUAGES if code != source_lang]
    for locale in Locale.objects.filter(language_code__in=codes):
        if home.get_translation_or_none(locale) is not None:  # the cms demo translates it
            pages.translation(index, locale, INDEX[locale.language_code])
    return index
