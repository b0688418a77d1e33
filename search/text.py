"""Text handling shared by every backend: folding, light stemming, query terms, snippets.

One folding for the index and the query makes matching case-, accent- and script-
insensitive the same way on SQLite, PostgreSQL and Elasticsearch:

- case is folded and diacritics are stripped (`café` = `cafe`, `ё` = `е`, `й` = `и`);
- the Kazakh letters fall back to the nearest Russian ones, as people type them on a
  Russian keyboard (`ә→а ғ→г қ→к ң→н ө→о ұ→у ү→у һ→х і→и`);
- Cyrillic is then transliterated to Latin, and the common spellings of Kazakh Latin
  (2021 alphabet: `ä ğ q ñ ö ū ü ş ç ı`) and of Russian transliteration (`kh`, `zh`) are
  brought to the same letters, so `akimdik`, `Әкімдік` and `акимдик` are one word.

The folded text is what the database backends match against (`Entry.folded_title`,
`folded_body`) and what Elasticsearch indexes in its `*_folded` fields. Query words are
also "lightly stemmed" (a few common Russian, Kazakh and English endings are cut) and
matched as prefixes: `больница` finds `больницах`, `министрлік` finds `министрлігі`.
Russian and English are stemmed properly by PostgreSQL and Elasticsearch besides.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from html import escape

# Kazakh-specific letters (and ё, й) to the nearest Russian letter, lower case.
_CYRILLIC_FALLBACK = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ё": "е",
        "й": "и",
    }
)
# Letters of Kazakh Latin that NFKD would not reduce the way people read them.
_LATIN_FALLBACK = str.maketrans({"ş": "sh", "ç": "ch", "ı": "i", "'": "", "’": ""})

_TRANSLIT = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ж": "j",
        "з": "z",
        "и": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "h",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "sh",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
    }
)
# Spellings of the same sound in the Latin conventions people use.
_LATIN_DIGRAPHS = (("kh", "h"), ("zh", "j"), ("q", "k"), ("w", "v"), ("x", "h"))

_WORD = re.compile(r"[^\W_]+")

# Endings cut from query words before prefix matching: longest first. Written after
# folding (so Kazakh endings appear with Russian letters: -лердің → -лердин).
_ENDINGS = sorted(
    set(
        # Russian
        "иями ями ами иях ях ах ам ям ию ью ов ев ие ия ии еи ои ыи ая яя ое ее ую юю ом ем "  # noqa: SIM905
        "ым им ых их ого его ому ему а я ы и е о у ю ь "
        # Kazakh: plural, possessive and case endings
        "лар лер дар дер тар тер нын нин дын дин тын тин га ге ка ке на не да де та те нан "
        "нен дан ден тан тен мен бен пен ны ни ды ди ты ти лары лери ларды лерди лардын "
        "лердин ларга лерге ларда лерде дагы деги тагы теги сы си ын ин "
        # English
        "ing ed es s".split()
    ),
    key=len,
    reverse=True,
)
_MIN_STEM = 4
_MIN_PREFIX = 3

# Words that carry no meaning on their own, dropped from queries (not from the index);
# folded like the query words they are compared with (see `STOPWORDS` below).
_STOPWORDS = (  # noqa: SIM905
    # ru
    "в во на и по с со о об к ко за из у от до для не что как или а но же ли "
    # kk
    "және мен бен пен да де та те үшін туралы бойынша "
    # en
    "the a an of and or in on to for is are with"
).split()


def fold_cyrillic(text: str) -> str:
    """Case-folded, diacritics stripped, Kazakh letters to their Russian neighbours."""
    text = text.casefold().translate(_CYRILLIC_FALLBACK).translate(_LATIN_FALLBACK)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


STOPWORDS = frozenset(fold_cyrillic(word) for word in _STOPWORDS)


def _latinise(text: str) -> str:
    text = text.translate(_TRANSLIT)
    for spelling, canonical in _LATIN_DIGRAPHS:
        text = text.replace(spelling, canonical)
    return text


def fold(text: str) -> str:
    """The form both the index and the query are matched in (see the module docstring)."""
    return _latinise(fold_cyrillic(text or ""))


def fold_words(text: str) -> str:
    """`fold` with everything but words dropped: the text stored for matching."""
    return " ".join(_WORD.findall(fold(text)))


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def stem(word: str) -> str:
    """Cut one common ending off a case-folded Cyrillic or Latin word, keeping at least
    four letters: crude, but it only widens a prefix match."""
    if len(word) <= _MIN_STEM:
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            word = word[: -len(ending)]
            break
    # Kazakh voices a final к/п before a vowel ending (министрлік → министрлігі): a long
    # stem ending in one of them drops it, so both forms share the prefix.
    if len(word) >= 6 and word[-1] in "кгпб":
        word = word[:-1]
    return word


@dataclass(frozen=True)
class Term:
    """One query word: as typed, and as the prefix matched against folded text."""

    word: str
    prefix: str
    is_prefix: bool  # match words starting with `prefix` (False: the whole word)


def query_terms(q: str, *, limit: int = 12) -> list[Term]:
    """The meaningful words of a query, at most `limit`, in order, without repeats."""
    terms: list[Term] = []
    seen: set[str] = set()
    for word in words(q):
        cyrillic = fold_cyrillic(word)
        if cyrillic in STOPWORDS or (len(cyrillic) < 2 and not cyrillic.isdigit()):
            continue
        stemmed = _latinise(stem(cyrillic))
        if not stemmed or stemmed in seen:
            continue
        seen.add(stemmed)
        terms.append(Term(word=word, prefix=stemmed, is_prefix=len(stemmed) >= _MIN_PREFIX))
        if len(terms) >= limit:
            break
    return terms


def term_matches(term: Term, folded_word: str) -> bool:
    if term.is_prefix:
        return folded_word.startswith(term.prefix)
    return folded_word == term.prefix


# --- snippets --------------------------------------------------------------------------

MARK_OPEN = "\ue000"  # private-use characters: cannot come from the text itself
MARK_CLOSE = "\ue001"


def clean(text: str | None) -> str:
    """The text without the highlighters' marker characters (written into the index
    clean, so no text can bring its own marks)."""
    return (text or "").replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def marks_to_html(text: str) -> str:
    """Escape everything, then turn the private-use markers into <mark> tags: what a
    highlighter returns is safe to show whatever the indexed text contained."""
    text = text.replace("\ue000\ue001", "")
    return escape(text).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


@functools.lru_cache(maxsize=65536)
def _folded_word(word: str) -> str:
    """`fold` of one word, remembered: the words of texts repeat, and folding is most of
    what highlighting a page of results costs."""
    return fold(word)


def highlight(text: str, terms: list[Term], *, max_words: int | None = None) -> str:
    """HTML-safe `text` with the words matching `terms` in <mark>. With `max_words`, a
    window of that many words around the first match (the start when none matches),
    with an ellipsis where it is cut."""
    text = " ".join(clean(text).split())
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]

    def matches(i: int) -> bool:
        start, end = spans[i]
        folded = _folded_word(text[start:end])
        return any(term_matches(term, folded) for term in terms)

    first, last = 0, len(spans)
    if max_words is not None and len(spans) > max_words:
        # Only the words up to the first match, and the window's, are looked at.
        first_hit = next((i for i in range(len(spans)) if matches(i)), 0) if terms else 0
        first = max(0, first_hit - max_words // 4)
        last = min(len(spans), first + max_words)
        first = max(0, last - max_words)
    if not spans:
        return escape(text)
    hits = [i for i in range(first, last) if matches(i)] if terms else []
    start_at = 0 if first == 0 else spans[first][0]
    end_at = len(text) if last == len(spans) else spans[last - 1][1]
    pieces = []
    cursor = start_at
    for i in hits:
        start, end = spans[i]
        pieces.append(text[cursor:start] + MARK_OPEN + text[start:end] + MARK_CLOSE)
        cursor = end
    pieces.append(text[cursor:end_at])
    html = marks_to_html("".join(pieces))
    if start_at > 0:
        html = "… " + html
    if end_at < len(text):
        html += " …"
    return html


def excerpt(text: str, *, max_words: int = 40) -> str:
    return highlight(text, [], max_words=max_words)


# --- language ---------------------------------------------------------------------------

_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-zA-Z]")


def guess_language(text: str, *, default: str = "ru") -> str:
    """kk, ru or en, from the letters a citizen's text uses: for contributions that carry
    no language of their own (questions, comments). Any Kazakh-specific letter means
    Kazakh; otherwise the script with more letters decides."""
    if any(char in _KAZAKH_LETTERS for char in text or ""):
        return "kk"
    cyrillic = len(_CYRILLIC.findall(text or ""))
    latin = len(_LATIN.findall(text or ""))
    if cyrillic == 0 and latin == 0:
        return default
    return "ru" if cyrillic >= latin else "en"
