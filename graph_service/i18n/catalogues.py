"""The gettext catalogues under `translations/`, for code that names its language.

Two domains, compiled to `.mo` by `make catalogues` (`pybabel compile`):

- `messages`: page chrome. English text is the msgid (`_("Search")` in templates and code);
  `messages.pot` is extracted from the sources by `pybabel extract -F babel.cfg`, and each of
  fr, es, ru, ar, zh has a `messages.po`. English needs no catalogue.
- `terms`: labels of RDF terms that the data does not label in a language, keyed by CURIE
  (`untoc:establishedBy`, `rdfs:label`) or by a path under the base IRI
  (`id/provision-type/establishes`). These keys are identifiers, not English text: the English
  label of an ontology term lives in the ontology, and one English word may stand for two
  terms that other languages tell apart. So every language, English too, has a `terms.po`,
  and `terms.pot` lists the keys.

The web pages reach the same catalogues through Flask-Babel (graph_service.web.translation).
"""

from __future__ import annotations

from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel.support import Translations

from graph_service.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DOMAINS = ("messages", "terms")


class CataloguesNotCompiled(RuntimeError):
    pass


def catalogue_path(lang: str, domain: str, suffix: str = ".mo") -> Path:
    return TRANSLATIONS_DIR / lang / "LC_MESSAGES" / (domain + suffix)


def missing_compiled() -> list[Path]:
    """The `.mo` files that should be there (one per `.po`) and are not."""
    return [
        po.with_suffix(".mo")
        for po in sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/*.po"))
        if not po.with_suffix(".mo").is_file()
    ]


def require_compiled() -> None:
    """Fail loudly, rather than show every page in English, when `.mo` files are missing."""
    missing = missing_compiled()
    if missing:
        names = ", ".join(str(p.relative_to(TRANSLATIONS_DIR)) for p in missing)
        raise CataloguesNotCompiled(
            f"gettext catalogues are not compiled ({names}); run `make catalogues` "
            "(pybabel compile on each .po under graph_service/i18n/translations)"
        )


@cache
def translations(lang: str, domain: str = "messages") -> NullTranslations:
    """The compiled catalogue of `lang` (English, or a language without one: no translation,
    so the msgid itself is shown)."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    if catalogue_path(lang, domain, ".po").is_file():
        require_compiled()
    return Translations.load(str(TRANSLATIONS_DIR), [lang], domain)


def N_(message: str) -> str:
    """Marks `message` for `pybabel extract` where it is written; it is translated later,
    where it is shown (gettext_noop)."""
    return message


def gettext(message: str, lang: str, **variables) -> str:
    """`message` (English) in `lang`, English if the catalogue lacks it."""
    text = translations(lang).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, lang: str, **variables) -> str:
    """The plural form for `num` in `lang` (one, few, many...), `%(num)d` filled in."""
    return translations(lang).ngettext(singular, plural, num) % {"num": num, **variables}


def pgettext(context: str, message: str, lang: str, **variables) -> str:
    text = translations(lang).pgettext(context, message)
    return text % variables if variables else text


def term(key: str, lang: str) -> str | None:
    """The label of `key` (a CURIE or a path under the base) in `lang`'s `terms` catalogue;
    None when that language has no label for it."""
    text = translations(lang, "terms").gettext(key)
    return None if text == key else text
