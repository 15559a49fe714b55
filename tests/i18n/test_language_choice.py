"""Which language a page is in: `?lang=`, then Accept-Language, then English; names and
writing direction of the six languages."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from graph_service import i18n


def accept(header: str) -> LanguageAccept:
    return parse_accept_header(header, LanguageAccept)


def test_the_parameter_wins_and_is_explicit():
    assert i18n.choose_language("ru", accept("fr")) == ("ru", True)
    assert i18n.choose_language("ZH-Hans", None) == ("zh", True)
    assert i18n.choose_language(" ar ", accept("")) == ("ar", True)


def test_accept_language_then_english():
    assert i18n.choose_language(None, accept("fr-CH, fr;q=0.9, en;q=0.8")) == ("fr", False)
    assert i18n.choose_language(None, accept("ru-RU")) == ("ru", False)  # a region too
    assert i18n.choose_language(None, accept("de, es;q=0.5")) == ("es", False)
    assert i18n.choose_language("xx", accept("de")) == ("en", False)
    assert i18n.choose_language(None, None) == ("en", False)
    assert i18n.choose_language("", accept("")) == ("en", False)


def test_names_of_the_languages_in_themselves_from_cldr():
    names = {code: i18n.language_name(code) for code in i18n.LANGUAGES}
    assert names == {
        "en": "English",
        "fr": "Français",
        "es": "Español",
        "ru": "Русский",
        "ar": "العربية",
        "zh": "中文",
    }


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_only_arabic_is_right_to_left(lang):
    assert i18n.direction(lang) == ("rtl" if lang == "ar" else "ltr")
