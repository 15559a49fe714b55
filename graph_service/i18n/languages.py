"""The six UN languages: which one a page is in, its name and its writing direction."""

from __future__ import annotations

from functools import cache

from babel import Locale

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
DEFAULT_LANGUAGE = "en"
RTL_LANGUAGES = frozenset({"ar"})


def choose_language(lang_param: str | None, accept_language) -> tuple[str, bool]:
    """The page language: the `lang` parameter, then Accept-Language, then English.

    Returns (language, explicit) where explicit says it came from the parameter, so that
    links carry it on.
    """
    if lang_param:
        code = lang_param.strip().lower().split("-")[0]
        if code in LANGUAGES:
            return code, True
    if accept_language is not None:
        best = accept_language.best_match(LANGUAGES)
        if best:
            return best, False
        # Accept-Language: ru-RU also means Russian.
        for value, _quality in accept_language:
            code = value.lower().split("-")[0]
            if code in LANGUAGES:
                return code, False
    return DEFAULT_LANGUAGE, False


def direction(lang: str) -> str:
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


@cache
def language_name(code: str) -> str:
    """The language's name in itself, from CLDR: "Français", "Русский", "العربية", "中文"."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]
