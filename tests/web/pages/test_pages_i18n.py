"""Pages in the reader's language: dates as each UN language writes them (CLDR), generated
labels for document parts and ontology terms, right-to-left pages with left-to-right
quotations, chrome from the gettext catalogues. The functions themselves: tests/i18n/."""

from __future__ import annotations

import json
import re

import pytest
from pages_data import tricky_store
from test_pages import parse_html

from graph_service.web.app import create_app

WG_TIP = "/id/body/wg-tip"


@pytest.fixture(scope="module")
def tricky_client(sources, test_config):
    return create_app(test_config, store=tricky_store(sources)).test_client()


# ---------------------------------------------------------------- dates on pages
# (the formats themselves: tests/i18n/test_dates.py)


def test_meeting_dates_on_pages_with_iso_kept_for_machines(client):
    expected = {  # CLDR's interval formats
        "en": "2–3 October 2023",
        "ru": "2—3 октября 2023\u202fг.",
        "fr": "2–3 octobre 2023",
        "es": "2–3 de octubre de 2023",
        "ar": "2–3 أكتوبر 2023",
        "zh": "2023年10月2日\u2009–\u20093日",
    }
    for lang, text in expected.items():
        html = client.get(f"{WG_TIP}?lang={lang}").data.decode()
        table = html.split('id="meetings"')[1].split("</section>")[0]
        assert f'<time datetime="2023-10-02">{text}</time>' in table, lang
        timeline = table.split("<svg")[1].split("</svg>")[0]
        assert text in timeline, lang
        assert "2023-10-02 –" not in html, lang
    meeting = client.get("/id/meeting/wg-tip-13?lang=ru").data.decode()
    assert '<time datetime="2023-10-02">2 октября 2023\u202fг.</time>' in meeting
    assert "xsd:date" not in meeting
    data = json.loads("".join(parse_html(meeting.encode()).jsonld))
    assert (data["startDate"], data["endDate"]) == ("2023-10-02", "2023-10-03")


def test_report_page_dates_in_russian(client):
    html = client.get("/id/document/ctoc-cop-wg.4-2023-5?lang=ru").data.decode()
    summary = html.split('id="document"')[1].split("</section>")[0]
    assert '<time class="nowrap" datetime="2023-10-02">2—3 октября 2023\u202fг.</time>' in summary


# ---------------------------------------------------------------- generated labels


def test_a_part_with_only_an_english_label_is_named_in_russian(tricky_client):
    html = tricky_client.get("/id/document/evil-report?lang=ru").data.decode()
    sources = html.split('id="sources"')[1].split("</section>")[0]
    assert ">пункт 3</a>" in sources
    assert "paragraph 3" not in html.split('id="incoming"')[0]


@pytest.mark.parametrize(
    "lang, paragraph, established_by",
    [
        ("fr", "paragraphe 1", "créé par"),
        ("es", "párrafo 1", "establecido por"),
        ("ar", "الفقرة 1", "أُنشئ بموجب"),
        ("zh", "第1段", "设立依据"),
    ],
)
def test_parts_and_properties_in_languages_the_data_lacks(client, lang, paragraph, established_by):
    html = client.get(f"{WG_TIP}?lang={lang}").data.decode()
    sources = html.split('id="sources"')[1].split("</section>")[0]
    assert f">{paragraph}</a>" in sources
    properties = html.split('id="properties"')[1].split("</section>")[0]
    assert f">{established_by}</a>" in properties
    assert ">established by<" not in properties and ">paragraph 1<" not in html


def test_ontology_labels_win_over_the_fallback_table(client):
    html = client.get(f"{WG_TIP}?lang=ru").data.decode()
    assert ">учрежден</a>" in html  # rdfs:label "учрежден"@ru of untoc:establishedBy
    assert ">пункт 1</a>" in html


# ---------------------------------------------------------------- direction and case


def test_quotations_keep_their_direction_on_arabic_pages(client):
    html = client.get(f"{WG_TIP}?lang=ar").data.decode()
    assert '<html lang="ar" dir="rtl">' in html
    quotes = re.findall(r"<blockquote[^>]*>", html)
    assert quotes and all('lang="ru" dir="ltr"' in q for q in quotes)
    literals = re.findall(r'<bdi lang="(\w+)" dir="(\w+)">', html)
    assert ("en", "ltr") in literals and ("ru", "ltr") in literals
    timeline = html.split('class="timeline"')[1].split("</svg>")[0]
    assert 'direction="rtl"' in timeline
    note = client.get("/id/document/cop12-subsidiary-bodies-note?lang=ar").data.decode()
    assert '<p class="part-text" lang="ru" dir="ltr">' in note


def test_titles_and_listings_start_with_a_capital(client):
    html = client.get("/id/meeting/wg-tip-13?lang=ru").data.decode()
    assert "<title>Тринадцатое совещание Рабочей группы по торговле людьми ·" in html
    listing = client.get("/list?class=untoc:Decision&lang=ru").data.decode()
    assert "><bdi>Решение 4/4</bdi></a>" in listing
    home = client.get("/?lang=ru").data.decode()
    structure = home.split('class="structure"')[1].split("</svg>")[0]
    assert ">Рабочая группа</tspan>" in structure and ">Договор</tspan>" in structure


def test_sessions_without_dates_fall_in_place_by_number(client):
    html = client.get("/id/body/cop?lang=ru").data.decode()
    timeline = html.split('class="timeline"')[1].split("</svg>")[0]
    titles = re.findall(r'class="meeting-title"><tspan[^>]*>([^<]+)<', timeline)
    assert titles[:4] == [
        "Первая сессия Конференции участников",
        "Вторая сессия Конференции участников",  # no dates recorded: in place by its number
        "Третья сессия Конференции участников",
        "Четвертая сессия Конференции участников",
    ]
    assert ">?<" not in timeline


# ---------------------------------------------------------------- chrome from the catalogues


@pytest.mark.parametrize(
    "lang, search, home",
    [
        ("en", "Search", "Home"),
        ("fr", "Rechercher", "Accueil"),
        ("es", "Buscar", "Inicio"),
        ("ru", "Поиск", "Главная"),
        ("ar", "بحث", "الصفحة الرئيسية"),
        ("zh", "搜索", "首页"),
    ],
)
def test_chrome_in_each_language(client, lang, search, home):
    html = client.get(f"/?lang={lang}").data.decode()
    assert f'<html lang="{lang}"' in html
    assert f'<button type="submit">{search}</button>' in html
    assert f'<a href="/?lang={lang}">{home}</a>' in html


def test_home_page_links_to_the_dataset_and_tools_in_the_page_language(client):
    html = client.get("/?lang=es").data.decode()
    footer = html.split('<footer class="site">')[1]
    for path, text in [
        ("/void", "Descripción del conjunto de datos"),
        ("/dumps/", "Volcados"),
        ("/shapes", "Formas SHACL"),
        ("/validate", "Validar RDF"),
    ]:
        assert f'<a href="{path}?lang=es">{text}</a>' in footer, path
        assert client.get(path, headers={"Accept": "text/html"}).status_code == 200, path
    english = client.get("/").data.decode().split('<footer class="site">')[1]
    assert '<a href="/void">Dataset description</a>' in english
    assert '<a href="/validate">Validate RDF</a>' in english


def test_counts_of_triples_take_the_plural_form_of_the_language(client):
    russian = client.get("/graph/?lang=ru").data.decode()
    counts = re.findall(r'<span class="muted"> \((\d+) (\w+)\)</span>', russian)
    assert counts
    for number, word in counts:
        n = int(number)
        one, few = n % 10 == 1 and n % 100 != 11, 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14
        assert word == ("триплет" if one else "триплета" if few else "триплетов"), number
    english = client.get("/graph/").data.decode()
    assert re.search(r'<span class="muted"> \(\d+ triples\)</span>', english)


def test_error_pages_for_browsers_speak_the_chosen_language(client):
    response = client.get("/list?lang=ar", headers={"Accept": "text/html"})
    assert response.status_code == 400
    html = response.data.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<a href="/?lang=ar">رسم المعارف الخاص باتفاقية الجريمة المنظمة</a>' in html
    assert '<p class="error-message" lang="en" dir="ltr">' in html  # the message is English
    by_header = client.get(
        "/list", headers={"Accept": "text/html", "Accept-Language": "zh"}
    ).data.decode()
    assert '<html lang="zh" dir="ltr">' in by_header and '<a href="/">' in by_header
