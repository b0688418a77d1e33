"""Benchmark: search latency of the database backend on PostgreSQL, with a large index.

    .venv/bin/python benchmarks/search_latency.py
    .venv/bin/python benchmarks/search_latency.py --entries 200000 --runs 200 --json out.json

What it does (docs/performance.md, "Search", has the results):

1. Production settings (`ashyq.settings.production`, DEBUG off) with a throwaway secret and
   no Elasticsearch (`ELASTICSEARCH_URL` empty: the database backend answers, as it does
   whenever the cluster is down). The database is `--database-url`, by default
   `postgres://postgres@127.0.0.1:5432/ashyq_bench_search`: it is dropped and created
   again (its name must contain "bench"), migrated, and dropped at the end (`--keep`
   keeps it; `--reuse` searches an index a previous `--keep` run left instead of seeding
   again).
2. Seeds `--entries` rows of `search.Entry` (200,000) of every registered kind in realistic
   shares (comments, provisions of draft acts and questions first; agencies in kk/ru/en,
   drafts and their provisions in kk and ru, pages as translations sharing a result
   group), spread over 200 agencies (a few busy ministries, many quiet offices), the
   kinds' statuses and five years of dates. The texts are generated from Kazakh, Russian
   and English word lists of legal and civic vocabulary (Russian nouns and adjectives in
   their case forms, Kazakh words with their plural, possessive and case endings, the
   letters ә ғ қ ң ө ұ ү һ і), drawn with Zipf-like frequencies, plus a few set phrases
   ("бесплатная юридическая помощь") and rare words. Rows are written through
   `search.indexing.write`, the function every index update goes through (checksums,
   folded columns, the PostgreSQL tsvector), with `SearchDoc`s built here instead of read
   from feature models: creating 200,000 questions, comments and drafts through their
   services would take hours and measure nothing more.
3. `VACUUM ANALYZE search_entry` (what autovacuum does after a bulk load), then a warm-up.
4. Times `search.services.search(...)`, the whole service as the search page calls it
   (query validation, both SQL queries, facets, highlighting of the page's hits), for
   each query class: a common word, two words, a rare word, three words of a set phrase,
   a Kazakh word, Kazakh typed in Latin letters, a word prefix and browsing (no words);
   each with no filter, a kind filter, an agency filter, and kind + status + a date
   range; and each without filter on page 5. `--runs` timed calls per class (200),
   round-robin over the classes so a burst of load on the shared machine spreads over
   all of them.
5. Prints a markdown table (results, p50, p95, max per class, in ms), the 1-minute load
   average before, during (max) and after the timing, and the machine. `--json PATH`
   writes it all as JSON; `--explain` prints `EXPLAIN (ANALYZE, BUFFERS)` of the SQL each
   class runs (once, after the timing); `--only REGEX` times only matching classes.

The time is wall-clock time in this process around the service call: the database runs
on the same 2 cores, and other work on the machine shows in it (hence the load average).
It does not include the HTTP request, template rendering, or the agency names the page
looks up for the agency facet.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import itertools
import json
import math
import os
import random
import re
import secrets
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from pg_bench import (  # noqa: E402  (benchmarks/ is on sys.path when run as a script)
    database_exists,
    database_name,
    django_setup,
    drop_database,
    fmt_load,
    machine_info,
    migrate,
    percentile,
    recreate_database,
    summarise,
    vacuum_analyze,
    wait_for_load,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ashyq_bench_search"
TABLES = ("search_entry",)  # analysed after seeding
TARGET_P95_MS = 50.0
AGENCIES = 200
YEARS = 5
BATCH = 2000


# --- arguments and environment -------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Latency of search.services.search on PostgreSQL with a large index."
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"PostgreSQL database to (re)create and fill ({DEFAULT_DATABASE_URL}); "
        "its name must contain 'bench': it is dropped",
    )
    parser.add_argument("--entries", type=int, default=200_000, help="index rows (200000)")
    parser.add_argument("--runs", type=int, default=200, help="timed calls per class (200)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed calls per class (5)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the texts")
    parser.add_argument("--only", default="", help="time only the classes matching this regex")
    parser.add_argument(
        "--max-load",
        type=float,
        default=0.0,
        help="before timing, wait (up to 10 minutes) until the 1-minute load average is "
        "below this (0: do not wait)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of each class's SQL"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the index already in the database (left by --keep) if it has --entries rows",
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)
    if args.entries < 1000 or args.runs < 1:
        parser.error("--entries must be at least 1000 and --runs at least 1")
    name = urlsplit(args.database_url).path.lstrip("/")
    if urlsplit(args.database_url).scheme not in ("postgres", "postgresql", "pgsql"):
        parser.error("--database-url must be a PostgreSQL URL")
    if "bench" not in name:
        parser.error(f"refusing to drop database {name!r}: its name must contain 'bench'")
    return args


def configure_environment(args: argparse.Namespace) -> None:
    """Production settings with what they insist on; no Elasticsearch, no Redis."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "ashyq.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": args.database_url,
            "ELASTICSEARCH_URL": "",
            "REDIS_URL": "",
            "SECURE_SSL_REDIRECT": "False",
            "LOG_LEVEL": "WARNING",
        }
    )


# --- the database ----------------------------------------------------------------------------


def index_sizes() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size('search_entry')), "
            "pg_size_pretty(pg_indexes_size('search_entry')), "
            "pg_size_pretty(pg_relation_size('search_entry_vector_gin'))"
        )
        table, indexes, gin = cursor.fetchone()
    return {"table": table, "indexes": indexes, "gin": gin}


# --- the texts -------------------------------------------------------------------------------
#
# Word lists, most frequent first: a word's weight is 1 / (rank + 3). Function words come
# first (the search drops them from queries, but they are most of any real text).


def _split(text: str) -> list[str]:
    return text.split()


def _pairs(text: str) -> list[tuple[str, str]]:
    return [tuple(item.split(":")) for item in text.split()]


RU_FUNCTION = _split(
    "в на и по с не что для о к из за от до как или а но это также все уже при так есть "
    "нет год года нам нас мы вы они его их этот эти который которые если только очень"
)
# (stem, declension): a feminine -а, -я/-ия, neuter -о, -ие, masculine hard and soft stems.
RU_NOUNS = _pairs(
    "закон:m район:m школ:a дорог:a больниц:a заявлени:ie вопрос:m город:m проект:m вод:a "
    "бюджет:m жител:ms обращени:ie услуг:a решени:ie акимат:m улиц:a программ:a "
    "строительств:o помощ:fs министерств:o качеств:o налог:m суд:m ответ:m систем:a "
    "квартир:a пенси:ia работ:a прав:o договор:m ремонт:m предложени:ie поликлиник:a "
    "организаци:ia транспорт:m тариф:m отоплени:ie населени:ie государств:o постановлени:ie "
    "территори:ia кодекс:m порядок:mf срок:m учреждени:ie пособи:ie образовани:ie "
    "здравоохранени:ie водоснабжени:ie комисси:ia регистраци:ia лицензи:ia субсиди:ia "
    "категори:ia информаци:ia коррупци:ia консультаци:ia канализаци:ia остановк:a площадк:a "
    "проверк:a поддержк:a жалоб:a справк:a выплат:a льгот:a инфраструктур:a экологи:ia "
    "полици:ia освещени:ie благоустройств:o имуществ:o обществ:o документ:m приказ:m штраф:m "
    "автобус:m парк:m двор:m мост:m лифт:m газ:m учител:ms земл:ya медицин:a зарплат:a "
    "плат:a норм:a мер:a участок:mf отдел:m доступ:m сбор:m контрол:ms депутат:m "
    "гражданин:citizen"
)
RU_ADJECTIVES = _pairs(
    "государственн:ый бесплатн:ый юридическ:ий социальн:ый местн:ый городск:ой сельск:ий "
    "общественн:ый жилищн:ый коммунальн:ый земельн:ый налогов:ый медицинск:ий нов:ый "
    "правов:ой питьев:ой образовательн:ый экологическ:ий транспортн:ый районн:ый областн:ый "
    "бюджетн:ый дополнительн:ый многодетн:ый"
)
RU_OTHER = _split(
    "просим прошу предлагаю необходимо нужно требуется рассмотреть принять решить обеспечить "
    "установить является было будет может должны сегодня почему когда где сколько уважаемые "
    "спасибо пожалуйста более менее каждый один два три рассмотрено принято направлено "
    "исполнено согласно статьи пункта"
)

KK_FUNCTION = _split(
    "және мен бен үшін туралы бойынша да де бұл осы ол біз сіз біздің сіздің жыл жылы "
    "бар жоқ керек қажет емес әр барлық"
)
KK_NOUNS = _split(
    "әкімдік аудан облыс қала ауыл мектеп аурухана емхана жол су жер заң құқық азамат "
    "тұрғын өтініш шағым жұмыс жалақы зейнетақы жәрдемақы бала мұғалім дәрігер ақпарат "
    "қызмет сот полиция құрылыс жылу электр көлік көше аялдама балабақша мүгедек жастар "
    "спорт мәдениет тіл бюджет салық денсаулық білім ғылым қоғам мемлекет министрлік "
    "үкімет депутат халық үй пәтер несие тариф экология орман ауа қоқыс жарық газ "
    "интернет байланыс жемқорлық кедергі мәселе шешім жоба бағдарлама талап ұсыныс жауап "
    "сұрақ өңір аумақ тәртіп қауіпсіздік төлем көмек"
)
KK_OTHER = _split(
    "болады жасау беру алу шешу қарау сақтау сұраймын өтінемін ұсынамын неге қашан қалай "
    "өте көп жаңа үлкен жергілікті мемлекеттік әлеуметтік ауылдық қалалық тегін заңгерлік "
    "Қазақстан Астана Алматы Шымкент Қарағанды Ақтөбе"
)

EN_FUNCTION = _split(
    "the of and to in for a on is with that this be are by as at from it not or we our "
    "was has have been which will"
)
EN_NOUNS = _split(
    "law district budget court tax city question answer hospital school road water street "
    "service program system land housing pension work family payment benefit police "
    "commission organisation registration licence subsidy information corruption health "
    "care education ministry state property quality right citizen resident akimat transport "
    "repair tariff heating lighting construction playground bus stop draft regulation "
    "procedure application complaint decision proposal official agency office"
)
EN_VERBS = _split("request propose consider adopt provide improve repair register fund approve")
EN_OTHER = _split(
    "free legal public local social municipal drinking environmental new additional "
    "regional central please thank why when where how many every"
)

# Set phrases (inserted whole into a share of the texts) and rare words.
PHRASES = {
    "ru": [
        ("бесплатная юридическая помощь", 0.006),
        ("качество питьевой воды", 0.006),
        ("строительство новой школы", 0.004),
        ("ремонт дорог", 0.01),
    ],
    "kk": [
        ("тегін заң көмегі", 0.006),
        ("денсаулық сақтау", 0.02),
        ("ауыз су сапасы", 0.006),
    ],
    "en": [("free legal aid", 0.006), ("drinking water quality", 0.006)],
}
RARE = {"ru": [("водоотведение", 0.0004)], "kk": [("Жаңаөзен", 0.0005)], "en": []}

_HARD = "гкхжшщч"
_BACK_VOWELS = set("аоұыуяё")
_FRONT_VOWELS = set("әөүеіиэю")
_VOWELS = _BACK_VOWELS | _FRONT_VOWELS
_VOICELESS = set("кқпстфхцчшщ")
_VOICING = {"к": "г", "қ": "ғ", "п": "б"}


def _ru_noun_forms(stem: str, declension: str) -> list[str]:
    y = "и" if stem[-1] in _HARD else "ы"
    if declension == "citizen":
        return ["гражданин", "гражданина", "гражданину", "граждане", "граждан", "гражданам"]
    if declension in ("m", "mf"):  # mf: a fleeting vowel (порядок, порядка)
        fleeting = stem[:-2] + stem[-1] if declension == "mf" else stem
        return [stem] + [fleeting + e for e in ("а", "у", "ом", "е", y, "ов", "ам", "ами", "ах")]
    if declension == "ms":
        return [stem + e for e in ("ь", "я", "ю", "ем", "е", "и", "ей", "ям", "ями", "ях")]
    if declension == "fs":
        return [stem + e for e in ("ь", "и", "ью")]
    if declension == "a":
        return [stem + e for e in ("а", y, "е", "у", "ой", "ам", "ами", "ах")] + [stem]
    if declension == "ya":
        return [stem + e for e in ("я", "и", "е", "ю", "ей", "ям", "ями", "ях")]
    if declension == "ia":
        return [stem + e for e in ("я", "и", "ю", "ей", "й", "ям", "ями", "ях")]
    if declension == "ie":
        return [stem + e for e in ("е", "я", "ю", "ем", "и", "й", "ям", "ями", "ях")]
    if declension == "o":
        return [stem + e for e in ("о", "а", "у", "ом", "е", "ам", "ами", "ах")]
    raise ValueError(declension)


def _ru_adjective_forms(stem: str, masculine: str) -> list[str]:
    y = "и" if stem[-1] in _HARD else "ы"
    endings = ["ая", "ое", y + "е", "ого", "ой", "ому", y + "х", y + "м", y + "ми", "ую"]
    return [stem + masculine] + [stem + e for e in endings]


def _kk_forms(word: str) -> list[str]:
    """The word with common plural, possessive and case endings, by vowel harmony and the
    last sound (an approximation of Kazakh morphology, enough for realistic word forms)."""
    last_vowel = next((c for c in reversed(word) if c in _VOWELS), "а")
    back = last_vowel in _BACK_VOWELS
    last = word[-1]

    def pick(back_form: str, front_form: str) -> str:
        return back_form if back else front_form

    vowel_end = last in _VOWELS and last != "у"  # у after a vowel sounds as a consonant
    voiceless = last in _VOICELESS
    nasal = last in "мнң"
    plural = (
        pick("лар", "лер")
        if vowel_end or last in "рйу"
        else (pick("тар", "тер") if voiceless else pick("дар", "дер"))
    )
    genitive = (
        pick("ның", "нің")
        if vowel_end or nasal
        else (pick("тың", "тің") if voiceless else pick("дың", "дің"))
    )
    dative = pick("қа", "ке") if voiceless else pick("ға", "ге")
    locative = pick("та", "те") if voiceless else pick("да", "де")
    ablative = (
        pick("нан", "нен") if nasal else (pick("тан", "тен") if voiceless else pick("дан", "ден"))
    )
    voiced = word[:-1] + _VOICING[last] if last in _VOICING else word
    possessive = voiced + (pick("сы", "сі") if vowel_end else pick("ы", "і"))
    forms = [word, word + plural, word + genitive, word + dative, word + locative]
    forms += [word + ablative, possessive, word + plural + pick("ы", "і")]
    forms += [possessive + "н", possessive + "нда" if back else possessive + "нде"]
    return forms


def _en_forms(word: str, *, verb: bool = False) -> list[str]:
    plural = word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")
    if word.endswith("y") and word[-2] not in "aeiou":
        plural = word[:-1] + "ies"
    forms = [word, plural]
    if verb:
        base = word[:-1] if word.endswith("e") else word
        forms += [base + "ed", base + "ing"]
    return forms


class Vocabulary:
    """The lemmas of one language, each with its word forms, and the function words.

    Texts are bursty, as real ones are: a text picks a handful of lemmas (more for a
    longer text), with Zipf-like weights over the list (the first lemmas are the most
    frequent: a common word ends up in about a quarter of the texts of its language, the
    last ones in a few per cent), and repeats them in their various forms between
    function words."""

    FUNCTION_SHARE = 0.4

    def __init__(self, function: list[str], lemmas: list[list[str]]) -> None:
        self.function = function
        self.function_cumulative = list(
            itertools.accumulate(1.0 / (rank + 2) for rank in range(len(function)))
        )
        self.lemmas = lemmas
        self.lemma_cumulative = list(
            itertools.accumulate(1.0 / (rank + 20) for rank in range(len(lemmas)))
        )
        # The first forms of a lemma (nominative, genitive) are its most frequent.
        self.form_weights = [[1.0 / (i + 1) for i in range(len(f))] for f in lemmas]

    def pick(self, rng: random.Random, count: int) -> list[int]:
        return rng.choices(range(len(self.lemmas)), cum_weights=self.lemma_cumulative, k=count)

    def words(self, rng: random.Random, lemmas: list[int], count: int) -> list[str]:
        """`count` word forms of these lemmas, the first lemmas more often."""
        forms, weights = [], []
        for position, lemma in enumerate(lemmas):
            for form, weight in zip(self.lemmas[lemma], self.form_weights[lemma], strict=True):
                forms.append(form)
                weights.append(weight / math.sqrt(position + 1))
        return rng.choices(forms, weights=weights, k=count)

    def text_words(self, rng: random.Random, count: int) -> tuple[list[int], list[str]]:
        content = max(1, round(count * (1 - self.FUNCTION_SHARE)))
        lemmas = list(dict.fromkeys(self.pick(rng, 3 + int(1.6 * math.sqrt(content)))))
        tokens = self.words(rng, lemmas, content)
        tokens += rng.choices(
            self.function, cum_weights=self.function_cumulative, k=count - content
        )
        rng.shuffle(tokens)
        return lemmas, tokens


def build_vocabularies(rng: random.Random) -> dict[str, Vocabulary]:
    ru = [_ru_noun_forms(stem, d) for stem, d in RU_NOUNS]
    ru += [_ru_adjective_forms(stem, m) for stem, m in RU_ADJECTIVES]
    ru += [[word] for word in RU_OTHER]
    kk = [_kk_forms(word) for word in KK_NOUNS] + [[word] for word in KK_OTHER]
    en = [_en_forms(word) for word in EN_NOUNS]
    en += [_en_forms(word, verb=True) for word in EN_VERBS] + [[w] for w in EN_OTHER]
    vocabularies = {}
    for language, function, lemmas in (
        ("ru", RU_FUNCTION, ru),
        ("kk", KK_FUNCTION, kk),
        ("en", EN_FUNCTION, en),
    ):
        # The first lemma stays first (the common word of the queries: закон, әкімдік,
        # law); the rest are shuffled so nouns, adjectives and verbs mix in frequency.
        head, tail = lemmas[:1], lemmas[1:]
        rng.shuffle(tail)
        vocabularies[language] = Vocabulary(function, head + tail)
    return vocabularies


class TextMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocabularies = build_vocabularies(rng)

    def title(self, language: str, low: int = 3, high: int = 8) -> str:
        """A title on its own (the commented object's, in a comment's display data)."""
        vocabulary = self.vocabularies[language]
        lemmas = list(dict.fromkeys(vocabulary.pick(self.rng, 4)))
        return self._title(language, lemmas, low, high)

    def _title(self, language: str, lemmas: list[int], low: int, high: int) -> str:
        words = self.vocabularies[language].words(self.rng, lemmas, self.rng.randint(low, high))
        return " ".join(words).capitalize()

    def title_and_body(
        self, language: str, words: int, *, title_words: tuple[int, int] = (3, 8)
    ) -> tuple[str, str]:
        """A text of about `words` words and a title on the same lemmas."""
        rng = self.rng
        lemmas, sample = self.vocabularies[language].text_words(rng, words)
        for phrase, share in PHRASES[language]:
            if rng.random() < share:
                sample.insert(rng.randrange(len(sample) + 1), phrase)
        for word, share in RARE[language]:
            if rng.random() < share:
                sample.insert(rng.randrange(len(sample) + 1), word)
        sentences, start = [], 0
        while start < len(sample):
            end = start + rng.randint(7, 15)
            sentences.append(" ".join(sample[start:end]).capitalize() + ".")
            start = end
        # Paragraphs of a few sentences, as the texts are stored.
        paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        return self._title(language, lemmas[:4], *title_words), "\n\n".join(paragraphs)


# --- the index -------------------------------------------------------------------------------

# kind: share of the entries, languages ("all": kk+ru+en of one object; "pair": kk and ru
# of one object; "translations": kk and ru pages (en for a third) sharing a result group;
# "one": a citizen's text, one guessed language), body words (low, high), status weights.
KIND_PLAN = {
    "announcement": (0.030, "translations", (120, 600), {"": 1}),
    "page": (0.002, "translations", (200, 900), {"": 1}),
    "blog_post": (0.020, "one", (250, 1200), {"": 1}),
    "blog_question": (0.150, "one", (30, 250), {"answered": 6, "awaiting_answer": 4}),
    "legal_draft": (0.020, "pair", (150, 700), {
        "scheduled": 1, "open": 3, "awaiting_report": 2, "report_published": 3,
        "adopted": 8, "withdrawn": 1,
    }),
    "legal_draft_paragraph": (0.300, "pair", (20, 140), {
        "scheduled": 1, "open": 3, "awaiting_report": 2, "report_published": 3,
        "adopted": 8, "withdrawn": 1,
    }),
    "legal_draft_response": (0.040, "one", (10, 80), {
        "accepted": 3, "partially": 2, "not_accepted": 4, "noted": 3,
    }),
    "petition": (0.040, "one", (60, 400), {"public": 5, "threshold_reached": 1, "closed": 4}),
    "petition_response": (0.005, "one", (60, 300), {
        "accepted": 2, "partially": 2, "rejected": 3, "under_consideration": 1,
    }),
    "thread": (0.050, "one", (40, 300), {"open": 4, "due": 1, "overdue": 1, "answered": 4}),
    "agency_response": (0.030, "one", (20, 150), {"": 1}),
    "comment": (None, "one", (8, 120), {"": 1}),  # the rest
}  # fmt: skip
GUESSED_LANGUAGES = (("ru", 0.6), ("kk", 0.3), ("en", 0.1))


def _weighted(rng: random.Random, choices: dict | tuple):
    items = list(choices.items()) if isinstance(choices, dict) else list(choices)
    values, weights = zip(*items, strict=True)
    return rng.choices(values, weights=weights)[0]


def plan_entries(total: int) -> dict[str, int]:
    plan = {"agency": AGENCIES * 3}
    for kind, (share, *_rest) in KIND_PLAN.items():
        if share is not None:
            plan[kind] = round(total * share)
    plan["comment"] = total - sum(plan.values())
    return plan


class Seeder:
    def __init__(self, seed: int, today: datetime.date) -> None:
        self.rng = random.Random(seed)
        self.text = TextMaker(self.rng)
        self.today = today
        # A few ministries get most of the traffic, many local offices a little.
        agency_weights = [1 / (rank + 1) ** 0.9 for rank in range(AGENCIES)]
        self.agency_cumulative = list(itertools.accumulate(agency_weights))
        self.agency_ids = list(range(1, AGENCIES + 1))
        self.counts: Counter = Counter()

    def agency(self) -> int:
        return self.rng.choices(self.agency_ids, cum_weights=self.agency_cumulative)[0]

    def date(self) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randrange(YEARS * 365 + 1))

    def docs(self, kind_key: str, object_pk: int, languages: list[str]):
        """The SearchDocs of one object, as a kind's `documents()` would give them."""
        from search import registry
        from search.registry import SearchDoc

        rng = self.rng
        kind = registry.get(kind_key)
        if kind_key == "agency":
            status = "central" if object_pk <= 40 else "local"
            agency_id, date, words, statuses = object_pk, None, (20, 80), None
        else:
            _share, _mode, words, statuses = KIND_PLAN[kind_key]
            status = _weighted(rng, statuses)
            agency_id, date = self.agency(), self.date()
        length = rng.randint(*words)
        translations = kind_key in ("announcement", "page")
        for index, language in enumerate(languages):
            # Translated pages are separate objects sharing the page's translation key.
            pk = str(object_pk * 3 + index if translations else object_pk)
            key = f"{kind.key_prefix}:{pk}"
            group = f"wagtailcore.page:{kind_key}-{object_pk}" if translations else key
            paragraph = kind_key == "legal_draft_paragraph"
            title, body = self.text.title_and_body(
                language, length, title_words=(2, 5) if paragraph else (3, 8)
            )
            parent, extra = "", {}
            if paragraph:
                article, point = rng.randint(1, 80), rng.randint(1, 9)
                label = {
                    "kk": f"{article}-бап, {point}-тармақ",
                    "ru": f"Статья {article}, пункт {point}",
                    "en": f"Article {article}, paragraph {point}",
                }[language]
                title = f"{label} — {title}"
                parent, extra = (
                    f"legal_drafts.draft:{object_pk // 15 + 1}",
                    {"context": self.text.title(language)},
                )
            elif kind_key == "legal_draft_response":
                parent = f"legal_drafts.draft:{rng.randint(1, 2000)}"
                title, extra = "", {"context": self.text.title(language)}
            elif kind_key in ("comment", "agency_response"):
                parent = f"blogs.question:{rng.randint(1, 30000)}"
                title, extra = (
                    "",
                    {"context": self.text.title(language), "reply": rng.random() < 0.3},
                )
            elif kind_key == "blog_question":
                extra = {"author": rng.choice(["", "Айгерим С.", "Ерлан Б.", "Ivan P."])}
            yield SearchDoc(
                title=title,
                body=body,
                language=language,
                url=f"/{language}/{kind_key.replace('_', '-')}/{pk}/",
                date=date,
                agency_id=agency_id,
                status=status,
                group=group,
                parent=parent,
                extra=extra,
                kind=kind_key,
                key=key,
                object_pk=pk,
            )

    def languages(self, mode: str) -> list[str]:
        if mode == "all":
            return ["kk", "ru", "en"]
        if mode == "pair":
            return ["kk", "ru"]
        if mode == "translations":
            return ["kk", "ru", "en"] if self.rng.random() < 0.3 else ["kk", "ru"]
        return [_weighted(self.rng, GUESSED_LANGUAGES)]

    def seed(self, total: int) -> dict[str, int]:
        """Write `total` entries through `search.indexing.write`, kind by kind, in batches."""
        from search import indexing

        plan = plan_entries(total)
        for kind_key, wanted in plan.items():
            mode = "all" if kind_key == "agency" else KIND_PLAN[kind_key][1]
            written, object_pk = 0, 0
            started = time.perf_counter()
            while written < wanted:
                batch, pks = [], []
                while written + len(batch) < wanted and len(batch) < BATCH:
                    object_pk += 1
                    languages = self.languages(mode)[: wanted - written - len(batch)]
                    docs = list(self.docs(kind_key, object_pk, languages))
                    batch.extend(docs)
                    pks.extend({doc.object_pk for doc in docs})
                indexing.write(kind_key, pks, batch)
                written += len(batch)
                progress(kind_key, written, wanted, time.perf_counter() - started)
            self.counts[kind_key] = written
        return dict(self.counts)


def progress(kind: str, done: int, total: int, seconds: float) -> None:
    """One line per kind, redrawn per batch on a terminal (as `search_rebuild` prints)."""
    finished = done >= total
    if not finished and not sys.stderr.isatty():
        return
    width = 30
    filled = width * done // max(total, 1)
    print(
        f"\r{kind:<24} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} ({seconds:.0f} s)",
        end="\n" if finished else "",
        file=sys.stderr,
        flush=True,
    )


# --- the queries -----------------------------------------------------------------------------

QUERIES = [
    ("common word", "закон"),
    ("two words", "качество воды"),
    ("rare word", "водоотведение"),
    ("phrase, 3 words", "бесплатная юридическая помощь"),
    ("Kazakh word", "әкімдігі"),
    ("Kazakh in Latin", "densaulyq saqtau"),
    ("prefix", "строит"),
    ("browse", ""),
]


def filters(today: datetime.date, busy_agency: int) -> list[tuple[str, dict]]:
    return [
        ("none", {}),
        ("kind", {"kinds": ["blog_question"]}),
        ("agency", {"agency": busy_agency}),
        (
            "kind+status+dates",
            {
                "kinds": ["blog_question"],
                "status": "answered",
                "date_from": today - datetime.timedelta(days=365),
                "date_to": today,
            },
        ),
    ]


def classes(today: datetime.date, only: str) -> list[dict]:
    # Agency 5: a busy ministry (agency ids are ranked by activity in the seed).
    result = []
    for (label, q), (filter_label, kwargs) in itertools.product(QUERIES, filters(today, 5)):
        result.append({"query": label, "q": q, "filter": filter_label, "kwargs": kwargs})
    for label, q in QUERIES:
        result.append({"query": label, "q": q, "filter": "page 5", "kwargs": {"page": 5}})
    if only:
        pattern = re.compile(only, re.IGNORECASE)
        result = [c for c in result if pattern.search(f"{c['query']} / {c['filter']}")]
    return result


def run_search(case: dict):
    from search import services

    return services.search(q=case["q"], language="ru", **case["kwargs"])


def time_classes(cases: list[dict], runs: int, warmup: int) -> dict:
    """Times each call; also the part of it spent in the database (executing the SQL and
    receiving the rows), the rest being Python: building the query, the facets, and the
    highlighting of the page's titles and snippets."""
    from django.db import connection

    for case in cases:
        results = run_search(case)
        case["results"] = results.total
        case["backend"] = results.backend
        case["seconds"], case["sql_seconds"] = [], []
        for _ in range(warmup - 1):
            run_search(case)
    in_sql = [0.0]

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_sql[0] += time.perf_counter() - started

    load_before = os.getloadavg()
    load_max = load_before[0]
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        for _ in range(runs):
            for case in cases:
                in_sql[0] = 0.0
                begin = time.perf_counter()
                run_search(case)
                case["seconds"].append(time.perf_counter() - begin)
                case["sql_seconds"].append(in_sql[0])
            load_max = max(load_max, os.getloadavg()[0])
    return {
        "timing_seconds": time.perf_counter() - started,
        "load_before": load_before,
        "load_max": load_max,
        "load_after": os.getloadavg(),
    }


def explain(cases: list[dict]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every statement a class's search runs."""
    from django.db import connection

    for case in cases:
        statements: list[tuple[str, list]] = []

        def capture(execute, sql, params, many, context, statements=statements):
            statements.append((sql, list(params or [])))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            run_search(case)
        print(f"\n## {case['query']} / {case['filter']} (q={case['q']!r})")
        for sql, params in statements:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                print("\n".join(row[0] for row in cursor.fetchall()))
            print()


# --- the machine -----------------------------------------------------------------------------


def report(cases: list[dict], timing: dict, machine: dict, setup: dict) -> None:
    lines = [
        "",
        "== Search latency: database backend on PostgreSQL ==",
        f"date:     {machine['date']}",
        f"machine:  {machine['cores']} cores, {machine['cpu']}, {machine['memory']}, "
        f"{machine['os']}",
        f"software: Python {machine['python']}, PostgreSQL {machine['postgresql']} ("
        + ", ".join(f"{k} {v}" for k, v in machine["postgresql_settings"].items())
        + "), "
        + ", ".join(f"{k} {v}" for k, v in machine["packages"].items()),
        f"index:    {setup['entries']} entries ({setup['groups']} results), table "
        f"{setup['sizes']['table']}, indexes {setup['sizes']['indexes']} (GIN "
        f"{setup['sizes']['gin']})",
        f"load:     1/5/15-minute load average before {fmt_load(timing['load_before'])}, "
        f"1-minute max {timing['load_max']:.2f}, after {fmt_load(timing['load_after'])}",
        f"timing:   {len(cases)} classes x {cases[0]['summary']['count']} calls in "
        f"{timing['timing_seconds']:.0f} s (round-robin)",
        "",
        "| query | q | filter | results | p50 ms | p95 ms | max ms | SQL p50 ms |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        s = case["summary"]
        flag = " **" if s["p95"] > TARGET_P95_MS else ""
        lines.append(
            f"| {case['query']} | {case['q'] or '—'} | {case['filter']} | {case['results']} | "
            f"{s['p50']:.1f} | {s['p95']:.1f}{flag} | {s['max']:.1f} | "
            f"{case['sql_summary']['p50']:.1f} |"
        )
    over = [c for c in cases if c["summary"]["p95"] > TARGET_P95_MS]
    everything = sorted(value for case in cases for value in case["seconds"])
    lines += [
        "",
        f"all calls: p50 {percentile(everything, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(everything, 0.95) * 1000:.1f} ms, max {everything[-1] * 1000:.1f} ms; "
        f"classes with p95 over {TARGET_P95_MS:.0f} ms: {len(over)} of {len(cases)}"
        + (" (marked **)" if over else ""),
    ]
    print("\n".join(lines), flush=True)


# --- main ------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    configure_environment(args)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    created = False
    try:
        reuse = args.reuse and database_exists(args.database_url)
        if not reuse:
            recreate_database(args.database_url)
        created = True
        django_setup()
        print(f"database {database_name(args.database_url)}: migrated in {migrate():.1f} s")
        from django.db import connection
        from django.db.models import Max
        from django.utils import timezone

        from search.models import Entry

        today = timezone.localdate()
        if reuse and Entry.objects.count() == args.entries:
            print(f"reusing the {args.entries} entries already there", flush=True)
            today = Entry.objects.aggregate(last=Max("date"))["last"]
        else:
            Entry.objects.all().delete()
            started = time.perf_counter()
            counts = Seeder(args.seed, today).seed(args.entries)
            seconds = time.perf_counter() - started
            print(f"seeded {sum(counts.values())} entries in {seconds:.0f} s: {counts}")
        print(f"VACUUM ANALYZE in {vacuum_analyze(*TABLES):.1f} s", flush=True)
        setup = {
            "entries": Entry.objects.count(),
            "groups": Entry.objects.values("group_key").distinct().count(),
            "languages": dict(Counter(Entry.objects.values_list("language", flat=True))),
            "sizes": index_sizes(),
        }
        cases = classes(today, args.only)
        if not cases:
            print("no class matches --only", file=sys.stderr)
            return 2
        wait_for_load(args.max_load)
        timing = time_classes(cases, args.runs, args.warmup)
        for case in cases:
            case["summary"] = summarise(case["seconds"])
            case["sql_summary"] = summarise(case["sql_seconds"])
            if case["backend"] != "database":
                raise SystemExit(f"searched with {case['backend']}, not the database")
        machine = machine_info()
        report(cases, timing, machine, setup)
        if args.explain:
            explain(cases)
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
                        "machine": machine,
                        "setup": setup,
                        **timing,
                        "classes": [
                            {
                                k: v
                                for k, v in case.items()
                                if k not in ("seconds", "sql_seconds", "kwargs")
                            }
                            | {"kwargs": {k: str(v) for k, v in case["kwargs"].items()}}
                            for case in cases
                        ],
                    },
                    indent=2,
                    default=str,
                )
            )
        connection.close()
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        if created and not args.keep:
            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()
            drop_database(args.database_url)


if __name__ == "__main__":
    sys.exit(main())
