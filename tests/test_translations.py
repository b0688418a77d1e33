"""The translation catalogues: nothing ships untranslated or fuzzy, translations keep their
placeholders, and the committed .mo files are compiled from the .po files beside them
(a fresh machine has no gettext to compile them). See docs/translations.md."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

PROJECT_DIR, VENDOR_DIR = (Path(path) for path in settings.LOCALE_PATHS)

PLURAL_FORMS = {
    "kk": "nplurals=2; plural=(n!=1);",
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
}

# The catalogues that must be complete: (directory, language).
TRANSLATED = [(PROJECT_DIR, "kk"), (PROJECT_DIR, "ru"), (VENDOR_DIR, "kk"), (VENDOR_DIR, "ru")]
# Every catalogue with a committed .mo (English needs no translations, only the file).
COMPILED = [*TRANSLATED, (PROJECT_DIR, "en")]

PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?"  # %(name)
    r"[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"  # flags, width, precision, length
    r"(?P<conv>[diouxXeEfFgGcrsa%])"
)
BRACE_FORMAT = re.compile(r"\{(\w*)\}")


def po_path(directory: Path, lang: str) -> Path:
    return directory / lang / "LC_MESSAGES" / "django.po"


def load(directory: Path, lang: str) -> polib.POFile:
    return polib.pofile(str(po_path(directory, lang)))


def catalogue_id(param: tuple[Path, str]) -> str:
    directory, lang = param
    return f"{directory.name}/{lang}"


def label(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def python_placeholders(text: str) -> tuple[set[tuple[str, str]], list[str]]:
    """Named placeholders (a translation may reorder or repeat them) and positional ones
    (order and number fixed)."""
    named: set[tuple[str, str]] = set()
    positional: list[str] = []
    for match in PYTHON_FORMAT.finditer(text):
        if match["conv"] == "%":
            continue
        if match["name"] is not None:
            named.add((match["name"], match["conv"]))
        else:
            positional.append(match["conv"])
    return named, positional


def translations(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs: every plural form is checked against the plural msgid,
    since a form other than the first also covers 21, 31… in Russian."""
    if entry.msgid_plural:
        return [(entry.msgid_plural, form) for _, form in sorted(entry.msgstr_plural.items())]
    return [(entry.msgid, entry.msgstr)]


@pytest.mark.parametrize("catalogue", TRANSLATED, ids=catalogue_id)
def test_every_entry_is_translated(catalogue):
    po = load(*catalogue)
    assert len(po) > 0
    untranslated = [label(entry) for entry in po.untranslated_entries()]
    assert not untranslated, f"untranslated in {catalogue_id(catalogue)}: {untranslated}"


@pytest.mark.parametrize("catalogue", TRANSLATED, ids=catalogue_id)
def test_no_entry_is_fuzzy(catalogue):
    po = load(*catalogue)
    assert not po.metadata_is_fuzzy, "the header is marked fuzzy"
    fuzzy = [label(entry) for entry in po.fuzzy_entries()]
    assert not fuzzy, f"fuzzy in {catalogue_id(catalogue)}: {fuzzy}"


@pytest.mark.parametrize("catalogue", TRANSLATED, ids=catalogue_id)
def test_plural_forms_are_declared_and_filled(catalogue):
    directory, lang = catalogue
    po = load(directory, lang)
    assert po.metadata["Language"] == lang
    assert po.metadata["Plural-Forms"] == PLURAL_FORMS[lang]
    nplurals = int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[lang]).group(1))
    for entry in po:
        if entry.msgid_plural and not entry.obsolete:
            assert sorted(entry.msgstr_plural) == list(range(nplurals)), label(entry)
            assert all(entry.msgstr_plural.values()), label(entry)


@pytest.mark.parametrize("catalogue", TRANSLATED, ids=catalogue_id)
def test_translations_keep_their_placeholders(catalogue):
    po = load(*catalogue)
    wrong = []
    for entry in po.translated_entries():
        for source, text in translations(entry):
            python = "python-format" in entry.flags
            brace = "python-brace-format" in entry.flags
            if python and python_placeholders(text) != python_placeholders(source):
                wrong.append(label(entry))
            if brace and set(BRACE_FORMAT.findall(text)) != set(BRACE_FORMAT.findall(source)):
                wrong.append(label(entry))
    assert not wrong, f"placeholders changed in {catalogue_id(catalogue)}: {wrong}"


def compiled_view(entries) -> dict:
    view = {}
    for entry in entries:
        if not entry.msgid:  # the header
            continue
        if entry.msgid_plural:
            value = tuple(form for _, form in sorted(entry.msgstr_plural.items()))
        else:
            value = entry.msgstr
        view[(entry.msgctxt, entry.msgid)] = value
    return view


@pytest.mark.parametrize("catalogue", COMPILED, ids=catalogue_id)
def test_mo_is_compiled_from_the_po(catalogue):
    """msgfmt leaves out untranslated and fuzzy entries, so the .mo must hold exactly the
    translated ones: a .po edited without `compilemessages` fails here."""
    path = po_path(*catalogue)
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run compilemessages"
    po = polib.pofile(str(path))
    mo = polib.mofile(str(mo_path))
    assert compiled_view(mo) == compiled_view(po.translated_entries()), (
        f"{mo_path} is out of date: run compilemessages"
    )
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")


def test_every_language_has_the_same_project_msgids():
    """All three catalogues come from one makemessages run (-l kk -l ru -l en)."""

    def keys(lang: str) -> set:
        return {(e.msgctxt, e.msgid) for e in load(PROJECT_DIR, lang) if not e.obsolete}

    assert keys("kk") == keys("ru") == keys("en")


def test_vendor_catalogue_holds_no_project_msgid():
    """A msgid the project's sources use belongs to locale/, where makemessages keeps it."""
    project = {(e.msgctxt, e.msgid) for e in load(PROJECT_DIR, "kk")}
    vendor = {(e.msgctxt, e.msgid) for e in load(VENDOR_DIR, "kk")}
    assert not project & vendor


def test_vendor_catalogue_says_where_its_msgids_come_from():
    header = load(VENDOR_DIR, "kk").header
    for source in ("allauth", "Wagtail", "Django", "makemessages"):
        assert source in header


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("kk", "Sign in", "Кіру"),
        ("kk", "Sign up", "Тіркелу"),
        ("kk", "Agencies", "Мемлекеттік органдар"),
        ("ru", "Sign in", "Войти"),
        ("ru", "Sign up", "Регистрация"),
        ("ru", "Agencies", "Государственные органы"),
        ("en", "Sign in", "Sign in"),
        # allauth ships no kk: these come from locale_vendor/kk.
        ("kk", "Sign In", "Кіру"),
        ("kk", "Forgot your password?", "Құпиясөзді ұмыттыңыз ба?"),
        # Wagtail ships no kk either.
        ("kk", "Password required", "Құпиясөз қажет"),
        # Django's own kk, corrected in locale_vendor/kk.
        ("kk", "This field is required.", "Бұл өрісті толтыру міндетті."),
        ("kk", "This password is too common.", "Бұл құпиясөз тым кең таралған."),
    ],
)
def test_django_serves_the_catalogues(lang, source, expected):
    with translation.override(lang):
        assert translation.gettext(source) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 государственный орган"),
        (3, "3 государственных органа"),
        (5, "5 государственных органов"),
        (21, "21 государственный орган"),
    ],
)
def test_russian_plurals(count, expected):
    with translation.override("ru"):
        text = translation.ngettext("%(counter)s agency", "%(counter)s agencies", count)
    assert text % {"counter": count} == expected


def test_allauth_sign_up_reads_as_the_official_portals_in_russian():
    with translation.override("ru"):
        assert translation.gettext("Sign Up") == "Регистрация"
