"""Ordinals, dates and symbols, one case at a time."""

from __future__ import annotations

import datetime as dt

import pytest

from graph_service.ingest import labels
from graph_service.ingest.english import ENGLISH
from graph_service.ingest.russian import RUSSIAN
from graph_service.ingest.symbols import (
    SymbolError,
    find_symbol_candidates,
    normalise_symbol,
    strip_links,
    symbol_key,
)


@pytest.mark.parametrize(
    ("word", "number"),
    [
        ("тринадцатое", 13), ("четырнадцатое", 14), ("десятое", 10), ("одиннадцатое", 11),
        ("пятнадцатое", 15), ("Двенадцатая", 12), ("двенадцатой", 12), ("первого", 1),
        ("второму", 2), ("третьей", 3), ("третье", 3), ("шестым", 6), ("седьмую", 7),
        ("восьмых", 8), ("четвертой", 4), ("двадцать первое", 21), ("тридцатой", 30),
        ("сороковое", 40), ("девятнадцатыми", 19),
    ],
)  # fmt: skip
def test_russian_ordinals(word, number):
    assert RUSSIAN.ordinal(word) == number


@pytest.mark.parametrize(
    "word", ["тринадцатье", "13-е", "тринадцать", "двадцать", "двадцать тринадцатое", "свое"]
)
def test_russian_ordinals_in_unknown_forms(word):
    assert RUSSIAN.ordinal(word) is None


@pytest.mark.parametrize(
    ("word", "number"),
    [("first", 1), ("Twelfth", 12), ("thirteenth", 13), ("twentieth", 20),
     ("twenty-first", 21), ("thirty-third", 33), ("13th", 13), ("22nd", 22), ("11th", 11)],
)  # fmt: skip
def test_english_ordinals(word, number):
    assert ENGLISH.ordinal(word) == number


@pytest.mark.parametrize("word", ["thirteenthh", "11st", "twenty", "twenty-tenth", "its"])
def test_english_ordinals_in_unknown_forms(word):
    assert ENGLISH.ordinal(word) is None


@pytest.mark.parametrize("number", [1, 2, 3, 7, 12, 15, 21, 40])
def test_generated_ordinals_read_back(number):
    assert ENGLISH.ordinal(labels.en_ordinal(number)) == number
    for case in ("n", "f", "ng", "fg"):
        assert RUSSIAN.ordinal(labels.ru_ordinal(number, case)) == number


D = dt.date


@pytest.mark.parametrize(
    ("language", "text", "start", "end"),
    [
        (RUSSIAN, "2 и 3 октября 2023 года", D(2023, 10, 2), D(2023, 10, 3)),
        (RUSSIAN, "29 и 30 мая 2023 года", D(2023, 5, 29), D(2023, 5, 30)),
        (RUSSIAN, "14–18 октября 2024 года", D(2024, 10, 14), D(2024, 10, 18)),
        (RUSSIAN, "30 сентября – 1 октября 2024 года", D(2024, 9, 30), D(2024, 10, 1)),
        (RUSSIAN, "5 июня 2024 г.", D(2024, 6, 5), D(2024, 6, 5)),
        (ENGLISH, "5 and 6 June 2024", D(2024, 6, 5), D(2024, 6, 6)),
        (ENGLISH, "14–18 October 2024", D(2024, 10, 14), D(2024, 10, 18)),
        (ENGLISH, "30 September to 1 October 2024", D(2024, 9, 30), D(2024, 10, 1)),
        (ENGLISH, "4 July 2024", D(2024, 7, 4), D(2024, 7, 4)),
    ],
)
def test_date_phrases(language, text, start, end):
    match = language.date.fullmatch(text)
    assert match is not None
    assert language.parse_date_range(match) == (start, end)


@pytest.mark.parametrize(
    ("language", "text"), [(RUSSIAN, "31 и 32 июня 2024 года"), (ENGLISH, "30 and 31 June 2024")]
)
def test_impossible_dates_are_refused(language, text):
    with pytest.raises(ValueError):
        language.parse_date_range(language.date.fullmatch(text))


@pytest.mark.parametrize(
    ("printed", "latin"),
    [
        ("СТОС/СОР/WG.3/2023/4", "CTOC/COP/WG.3/2023/4"),  # Cyrillic С, Т, О, Р
        ("СТОС/COP/WG.4/2024/5", "CTOC/COP/WG.4/2024/5"),
        ("[СТОС/COP/WG.7/2023/5](#)", "CTOC/COP/WG.7/2023/5"),
        ("CTOC/COP/2024/1.", "CTOC/COP/2024/1"),
        ("А/RЕS/55/25", "A/RES/55/25"),
    ],
)
def test_symbol_normalisation(printed, latin):
    assert normalise_symbol(printed) == latin


@pytest.mark.parametrize(
    ("printed", "complaint"),
    [
        ("CΤOC/COP/WG.3/2023/4", "GREEK CAPITAL LETTER TAU"),
        ("СТОС/СОР/WG.3/2023/Д", "CYRILLIC CAPITAL LETTER DE"),
        ("ctoc/cop/2024", "not a UN document symbol"),
    ],
)
def test_symbols_that_cannot_be_normalised(printed, complaint):
    with pytest.raises(SymbolError, match=complaint):
        normalise_symbol(printed)


def test_symbol_candidates_and_keys():
    text = "доклады ([СТОС/COP/WG.7/2023/5](#) и СТОС/СОР/WG.3/2024/5, соответственно) 7/1 и/или"
    assert find_symbol_candidates(text) == ["СТОС/COP/WG.7/2023/5", "СТОС/СОР/WG.3/2024/5"]
    assert strip_links("[X](#) и [Y](http://a)") == "X и Y"
    assert symbol_key("CTOC/COP/WG.4/2023/5") == "ctoc-cop-wg.4-2023-5"
