"""The gettext catalogues: complete in the five languages besides English, in step with the
sources, compiled, and English wherever a translation is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from graph_service import i18n
from graph_service.config import PROJECT_ROOT
from graph_service.i18n import catalogues

TRANSLATED = tuple(code for code in i18n.LANGUAGES if code != i18n.DEFAULT_LANGUAGE)
DIR = catalogues.TRANSLATIONS_DIR


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def keys(catalog: Catalog) -> set:
    return {(m.context, m.id) for m in catalog if m.id}


def test_the_template_is_in_step_with_the_sources(tmp_path):
    """`make messages` run now would give the same msgids as the committed messages.pot."""
    pybabel = Path(sys.executable).parent / "pybabel"
    out = tmp_path / "messages.pot"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "-o", str(out), "."],
        cwd=PROJECT_ROOT,
        check=True,
    )
    extracted, committed = keys(read(out)), keys(read(DIR / "messages.pot"))
    assert not extracted - committed, "new strings: run `make messages` and translate them"
    assert not committed - extracted, "strings gone from the sources: run `make messages`"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang):
    template = read(DIR / "messages.pot")
    catalog = read(DIR / lang / "LC_MESSAGES" / "messages.po", lang)
    assert keys(catalog) == keys(template), "run `make messages`"
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert forms and all(forms), (lang, message.id)
        assert len(forms) == (catalog.num_plurals if message.pluralizable else 1), message.id
        assert not message.fuzzy, (lang, message.id)
    # placeholders (%(n)s, %(num)d) agree between msgid and msgstr
    assert not [(m.id, errors) for m, errors in catalog.check()]


def test_terms_catalogues_use_the_keys_of_the_template():
    template = keys(read(DIR / "terms.pot"))
    for lang in i18n.LANGUAGES:
        catalog = read(DIR / lang / "LC_MESSAGES" / "terms.po", lang)
        assert keys(catalog) <= template, lang
        assert all(m.string for m in catalog if m.id), lang


def test_every_catalogue_is_compiled_and_current():
    """The .mo files (build products of `make catalogues`) say what the .po files say."""
    assert not catalogues.missing_compiled()
    for po in sorted(DIR.glob("*/LC_MESSAGES/*.po")):
        lang, domain = po.parent.parent.name, po.stem
        compiled = catalogues.translations(lang, domain)
        for message in read(po, lang):
            if message.id and not message.pluralizable:
                got = (
                    compiled.pgettext(message.context, message.id)
                    if message.context
                    else (compiled.gettext(message.id))
                )
                assert got == message.string, f"{po} is newer than its .mo: make catalogues"


def test_chrome_in_each_language():
    assert i18n.gettext("Search", "en") == "Search"
    assert i18n.gettext("Search", "ru") == "Поиск"
    assert i18n.gettext("Search", "ar") == "بحث"
    assert i18n.gettext("Search", "zh") == "搜索"
    assert i18n.pgettext("document part", "paragraph %(n)s", "fr", n=3) == "paragraphe 3"


@pytest.mark.parametrize(
    "lang, counts",
    [
        ("en", {1: "1 triple", 2: "2 triples"}),
        ("ru", {1: "1 триплет", 3: "3 триплета", 5: "5 триплетов", 21: "21 триплет"}),
        ("fr", {0: "0 triplet", 1: "1 triplet", 2: "2 triplets"}),
        ("ar", {1: "ثلاثية واحدة", 2: "ثلاثيتان", 3: "3 ثلاثيات", 11: "11 ثلاثية"}),
        ("zh", {1: "1 个三元组", 5: "5 个三元组"}),
    ],
)
def test_plurals(lang, counts):
    for num, text in counts.items():
        assert i18n.ngettext("%(num)d triple", "%(num)d triples", num, lang) == text


def test_a_missing_translation_falls_back_to_english(tmp_path, monkeypatch):
    catalog = Catalog(locale="ru", domain="messages")
    catalog.add("Home", "Главная")
    catalog.add("Search", "")  # not translated yet
    folder = tmp_path / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as f:
        write_mo(f, catalog)
    (folder / "messages.po").touch()
    monkeypatch.setattr(catalogues, "TRANSLATIONS_DIR", tmp_path)
    catalogues.translations.cache_clear()
    try:
        assert i18n.gettext("Home", "ru") == "Главная"
        assert i18n.gettext("Search", "ru") == "Search"
        assert i18n.gettext("Not in any catalogue", "ru") == "Not in any catalogue"
        assert i18n.gettext("Home", "fr") == "Home"  # no French catalogue at all here
    finally:
        catalogues.translations.cache_clear()


def test_missing_compiled_catalogues_are_an_error_not_english_pages(tmp_path, monkeypatch):
    folder = tmp_path / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text('msgid "Home"\nmsgstr "Accueil"\n')
    monkeypatch.setattr(catalogues, "TRANSLATIONS_DIR", tmp_path)
    catalogues.translations.cache_clear()
    try:
        with pytest.raises(catalogues.CataloguesNotCompiled, match="make catalogues"):
            i18n.gettext("Home", "fr")
    finally:
        catalogues.translations.cache_clear()
