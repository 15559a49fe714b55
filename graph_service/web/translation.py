"""Page chrome in the reader's language: Flask-Babel over the catalogues of graph_service.i18n.

Templates write `{{ _('Search') }}` and `{{ ngettext('%(num)d triple', '%(num)d triples', n) }}`,
page code calls `flask_babel.gettext`; the locale is the one the page is in (`?lang=`, then
Accept-Language, then English: graph_service.web.pages.ui.request_language).
"""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel

from graph_service import i18n
from graph_service.web.pages.ui import request_language


def _locale() -> str:
    return request_language()[0]


def install(app: Flask) -> None:
    i18n.require_compiled()
    Babel(
        app,
        locale_selector=_locale,
        default_locale=i18n.DEFAULT_LANGUAGE,
        default_domain="messages",
        default_translation_directories=str(i18n.TRANSLATIONS_DIR),
    )
