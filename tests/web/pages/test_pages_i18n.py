"""Pages in the reader's language: dates as each UN language writes them, generated labels
for document parts and ontology terms, right-to-left pages with left-to-right quotations."""

from __future__ import annotations

import json
import re

import pytest
from pages_data import tricky_store
from test_pages import parse_html

from graph_service import i18n
from graph_service.web.app import create_app

WG_TIP = "/id/body/wg-tip"


@pytest.fixture(scope="module")
def tricky_client(sources, test_config):
    return create_app(test_config, store=tricky_store(sources)).test_client()


# ---------------------------------------------------------------- date formats


@pytest.mark.parametrize(
    "lang, single, same_month, across_months, across_years",
    [
        (
            "en",
            "2 October 2023",
            "2–3 October 2023",
            "30 September – 3 October 2023",
            "30 December 2023 – 2 January 2024",
        ),
        (
            "fr",
            "2 octobre 2023",
            "2–3 octobre 2023",
            "30 septembre – 3 octobre 2023",
            "30 décembre 2023 – 2 janvier 2024",
        ),
        (
            "es",
            "2 de octubre de 2023",
            "2–3 de octubre de 2023",
            "30 de septiembre – 3 de octubre de 2023",
            "30 de diciembre de 2023 – 2 de enero de 2024",
        ),
        (
            "ru",
            "2 октября 2023 г.",
            "2–3 октября 2023 г.",
            "30 сентября – 3 октября 2023 г.",
            "30 декабря 2023 г. – 2 января 2024 г.",
        ),
        (
            "ar",
            "2 تشرين الأول/أكتوبر 2023",
            "2-3 تشرين الأول/أكتوبر 2023",
            "من 30 أيلول/سبتمبر إلى 3 تشرين الأول/أكتوبر 2023",
            "من 30 كانون الأول/ديسمبر 2023 إلى 2 كانون الثاني/يناير 2024",
        ),
        (
            "zh",
            "2023年10月2日",
            "2023年10月2日至3日",
            "2023年9月30日至10月3日",
            "2023年12月30日至2024年1月2日",
        ),
    ],
)
def test_dates_in_each_language(lang, single, same_month, across_months, across_years):
    assert i18n.format_date("2023-10-02", lang) == single
    assert i18n.format_date_range("2023-10-02", "2023-10-02", lang) == single
    assert i18n.format_date_range("2023-10-02", "2023-10-03", lang) == same_month
    assert i18n.format_date_range("2023-09-30", "2023-10-03", lang) == across_months
    assert i18n.format_date_range("2023-12-30", "2024-01-02", lang) == across_years


def test_dates_edge_cases():
    assert i18n.format_date("2023-10-01", "fr") == "1er octobre 2023"
    assert i18n.format_date_range("2023-10-01", "2023-10-04", "fr") == "1er–4 octobre 2023"
    assert i18n.format_date("2023-10-02Z", "en") == "2 October 2023"  # xsd:date with a zone
    for raw in ("2023", "2023-10", "2023-13-01", "yesterday", ""):
        assert i18n.format_date(raw, "ru") == raw
    assert i18n.format_date_range("2023-10-02", "", "en") == "2 October 2023"
    assert i18n.format_date_range("", "", "en") == ""
    assert i18n.format_date("2023-10-02", "xx") == "2 October 2023"


def test_meeting_dates_on_pages_with_iso_kept_for_machines(client):
    expected = {
        "en": "2–3 October 2023",
        "ru": "2–3 октября 2023 г.",
        "fr": "2–3 octobre 2023",
        "es": "2–3 de octubre de 2023",
        "ar": "2-3 تشرين الأول/أكتوبر 2023",
        "zh": "2023年10月2日至3日",
    }
    for lang, text in expected.items():
        html = client.get(f"{WG_TIP}?lang={lang}").data.decode()
        table = html.split('id="meetings"')[1].split("</section>")[0]
        assert f'<time datetime="2023-10-02">{text}</time>' in table, lang
        timeline = table.split("<svg")[1].split("</svg>")[0]
        assert text in timeline, lang
        assert "2023-10-02 –" not in html, lang
    meeting = client.get("/id/meeting/wg-tip-13?lang=ru").data.decode()
    assert '<time datetime="2023-10-02">2 октября 2023 г.</time>' in meeting
    assert "xsd:date" not in meeting
    data = json.loads("".join(parse_html(meeting.encode()).jsonld))
    assert (data["startDate"], data["endDate"]) == ("2023-10-02", "2023-10-03")


def test_report_page_dates_in_russian(client):
    html = client.get("/id/document/ctoc-cop-wg.4-2023-5?lang=ru").data.decode()
    summary = html.split('id="document"')[1].split("</section>")[0]
    assert '<time class="nowrap" datetime="2023-10-02">2–3 октября 2023 г.</time>' in summary


# ---------------------------------------------------------------- generated labels


def test_part_labels():
    assert i18n.part_label("para-3", "ru") == "пункт 3"
    assert i18n.part_label("para-3", "ar") == "الفقرة 3"
    assert i18n.part_label("para-3", "zh") == "第3段"
    assert i18n.part_label("footnote-1", "fr") == "note de bas de page 1"
    assert i18n.part_label("section-2", "es") == "título de sección 2"
    assert i18n.part_label("header", "ru") == "шапка документа"
    for odd in ("para-x", "header-2", "para", "clause-1", ""):
        assert i18n.part_label(odd, "ru") is None


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


def test_every_term_label_has_the_four_languages_the_ontology_lacks():
    for key, names in i18n.TERM_LABELS.items():
        assert set(names) >= {"fr", "es", "ar", "zh"}, key


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
    literals = re.findall(r'<span lang="(\w+)" dir="(\w+)">', html)
    assert ("en", "ltr") in literals and ("ru", "ltr") in literals
    timeline = html.split('class="timeline"')[1].split("</svg>")[0]
    assert 'direction="rtl"' in timeline
    note = client.get("/id/document/cop12-subsidiary-bodies-note?lang=ar").data.decode()
    assert '<p class="part-text" lang="ru" dir="ltr">' in note


def test_titles_and_listings_start_with_a_capital(client):
    html = client.get("/id/meeting/wg-tip-13?lang=ru").data.decode()
    assert "<title>Тринадцатое совещание Рабочей группы по торговле людьми ·" in html
    listing = client.get("/list?class=untoc:Decision&lang=ru").data.decode()
    assert ">Решение 4/4</a>" in listing
    home = client.get("/?lang=ru").data.decode()
    structure = home.split('class="structure"')[1].split("</svg>")[0]
    assert ">Рабочая группа</tspan>" in structure and ">Договор</tspan>" in structure


def test_sessions_without_dates_fall_in_place_by_number(client):
    html = client.get("/id/body/cop?lang=ru").data.decode()
    timeline = html.split('class="timeline"')[1].split("</svg>")[0]
    titles = re.findall(r'class="meeting-title"><tspan[^>]*>([^<]+)<', timeline)
    assert titles[:3] == [
        "Вторая сессия Конференции участников",
        "Третья сессия Конференции участников",
        "Четвертая сессия Конференции участников",
    ]
    assert ">?<" not in timeline
