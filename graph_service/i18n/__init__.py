"""The six UN languages: which one a page is in, its chrome, dates and labels.

- `languages`: the languages, the choice of one per request, names and direction.
- `catalogues`: gettext catalogues in `translations/` (page chrome in `messages`, labels of
  RDF terms in `terms`); the web pages use them through Flask-Babel.
- `dates`: dates and ranges from CLDR, through Babel.
- `labels`: the best label in a language, and those made when the data has none.

How to add a language or a string: docs/decisions/0005-i18n-babel-gettext.md.
"""

from graph_service.i18n.catalogues import (
    N_,
    TRANSLATIONS_DIR,
    gettext,
    ngettext,
    pgettext,
    require_compiled,
)
from graph_service.i18n.dates import format_date, format_date_range
from graph_service.i18n.labels import (
    capitalize,
    has_language,
    part_label,
    pick_label,
    property_label,
    term_label,
)
from graph_service.i18n.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    RTL_LANGUAGES,
    choose_language,
    direction,
    language_name,
)

__all__ = [
    "N_",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "RTL_LANGUAGES",
    "TRANSLATIONS_DIR",
    "capitalize",
    "choose_language",
    "direction",
    "format_date",
    "format_date_range",
    "gettext",
    "has_language",
    "language_name",
    "ngettext",
    "part_label",
    "pgettext",
    "pick_label",
    "property_label",
    "require_compiled",
    "term_label",
]
