"""Labels in the reader's language: the best one the data has, and those made when it has
none (document parts from their anchor, terms from the `terms` catalogues)."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from graph_service import i18n
from graph_service.i18n import catalogues


def test_label_fallback_order():
    labels = {"en": ["Vienna"], "ru": ["Вена"], "de": ["Wien"]}
    assert i18n.pick_label(labels, "ru") == "Вена"
    assert i18n.pick_label(labels, "fr") == "Vienna"
    assert i18n.pick_label({"de": ["Wien"]}, "fr") == "Wien"
    assert i18n.pick_label({"": ["Wien"], "de": ["Wien (de)"]}, "fr") == "Wien"
    assert i18n.pick_label({"ru-RU": ["Вена"]}, "ru") == "Вена"
    assert i18n.pick_label({}, "fr") is None
    assert i18n.has_language({"ru-RU": ["Вена"]}, "ru")
    assert not i18n.has_language({"en": ["Vienna"]}, "ru")


def test_capitalize():
    assert i18n.capitalize("решение 4/4") == "Решение 4/4"
    assert i18n.capitalize("") == ""


def test_part_labels():
    assert i18n.part_label("para-3", "en") == "paragraph 3"
    assert i18n.part_label("para-3", "ru") == "пункт 3"
    assert i18n.part_label("para-3", "ar") == "الفقرة 3"
    assert i18n.part_label("para-3", "zh") == "第3段"
    assert i18n.part_label("footnote-1", "fr") == "note de bas de page 1"
    assert i18n.part_label("section-2", "es") == "título de sección 2"
    assert i18n.part_label("header", "ru") == "шапка документа"
    assert i18n.part_label("header", "en") == "header"
    for odd in ("para-x", "header-2", "para", "clause-1", ""):
        assert i18n.part_label(odd, "ru") is None


def test_term_labels_for_languages_the_ontology_lacks():
    assert i18n.term_label("untoc:establishedBy", "fr") == "créé par"
    assert i18n.term_label("id/provision-type/establishes", "zh") == "设立"
    # English and Russian labels of ontology terms are the ontology's own
    assert i18n.term_label("untoc:establishedBy", "en") is None
    assert i18n.term_label("untoc:establishedBy", "ru") is None
    assert i18n.term_label("untoc:noSuchTerm", "fr") is None


def test_labels_of_other_vocabularies_fall_back_to_english():
    assert i18n.property_label("rdfs:label", "ru") == "название"
    assert i18n.property_label("rdfs:label", "xx") == "label"
    # one English word, two terms that Arabic tells apart: keys, not English msgids
    assert i18n.property_label("schema:location", "ar") == "المكان"
    assert i18n.property_label("schema:Place", "ar") == "مكان"
    assert i18n.property_label("untoc:establishedBy", "fr") is None  # not another vocabulary
    assert i18n.property_label("ex:unknown", "fr") is None


@pytest.mark.parametrize("lang", ["fr", "es", "ar", "zh"])
def test_every_term_has_the_four_languages_the_ontology_lacks(lang):
    keys = {m.id for m in catalogues_template("terms") if m.id}
    missing = [key for key in keys if i18n.term_label(key, lang) is None]
    assert not missing, missing


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_term_of_another_vocabulary_is_named_in_english_and_russian(lang):
    keys = {m.id for m in catalogues_template("terms") if m.id and not is_local(m.id)}
    assert keys and all(i18n.term_label(key, lang) for key in keys)


def is_local(key: str) -> bool:
    return key.startswith(("untoc:", "id/"))


def catalogues_template(domain: str):
    with (catalogues.TRANSLATIONS_DIR / f"{domain}.pot").open("rb") as f:
        return read_po(f)
