"""English: ordinals as words, month names, date phrases, instruments, bodies."""

from __future__ import annotations

import re

from graph_service.ingest.language import Language, date_pattern

UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19,
}  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}  # fmt: skip
TENTHS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
          "seventieth": 70, "eightieth": 80, "ninetieth": 90}  # fmt: skip
NUMERIC = re.compile(r"^(\d+)(st|nd|rd|th)$")


def ordinal(words: str) -> int | None:
    """'thirteenth' -> 13, 'twenty-first' -> 21, '13th' -> 13, 'thirteenthh' -> None."""
    word = words.lower().strip()
    if word in UNITS:
        return UNITS[word]
    if word in TENTHS:
        return TENTHS[word]
    tens, _, unit = word.replace(" ", "-").partition("-")
    if tens in TENS and UNITS.get(unit, 10) < 10:
        return TENS[tens] + UNITS[unit]
    if match := NUMERIC.match(word):
        number = int(match.group(1))
        last = number % 10 if number % 100 not in (11, 12, 13) else 0
        if match.group(2) == {1: "st", 2: "nd", 3: "rd"}.get(last, "th"):
            return number
    return None


MONTHS = {
    name: number
    for number, name in enumerate(
        "january february march april may june july august september october november "
        "december".split(),
        start=1,
    )
}


def stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def instrument_kind(word: str) -> str:
    return word.lower()


ENGLISH = Language(
    code="en",
    ordinal=ordinal,
    months=MONTHS,
    date=date_pattern(MONTHS, "and|to|–|—|-"),
    instrument=re.compile(r"\b(?P<kind>decision|resolution)s?\s+(?P<s>\d+)/(?P<k>\d+)", re.I),
    instrument_kind=instrument_kind,
    title=re.compile(
        r",?\s*(?:entitled\s+)?(?:\"(?P<t1>[^\"]+)\"|“(?P<t2>[^”]+)”|«(?P<t3>[^»]+)»)", re.I
    ),
    meeting=re.compile(
        r"(?P<tens>)(?P<ord>[^\W\d_][\w-]*|\d+(?:st|nd|rd|th))\s+meeting\b"
        r"(?P<gap>\s*(?:[—–-]\s*|,\s*)?(?:on\s+|from\s+)?)",
        re.I,
    ),
    session=re.compile(r"(?P<tens>)(?P<ord>[^\W\d_][\w-]*|\d+(?:st|nd|rd|th))\s+session\b", re.I),
    agenda_items=re.compile(
        r"^Items?\s+(?P<items>\d+(?:\s*(?:,|and)\s*\d+)*)\s+of\s+the\s+(?:provisional\s+)?"
        r"agenda(?P<marker>\**)",
        re.I,
    ),
    respectively=re.compile(r"\brespectively\b", re.I),
    provision_cues={
        "establishes": [re.compile(r"\bestablish(?:ed|es|ing)?\b", re.I)],
        "makes-permanent": [re.compile(r"(?:permanent|constant)\s+(?:element|feature)", re.I)],
        "requests-reports": [
            re.compile(r"\breports?\b", re.I),
            re.compile(r"\bforward\w*|will\s+be\s+(?:submitted|before)", re.I),
        ],
        "recommends-annual-consecutive-meetings": [
            re.compile(r"annual\s+basis", re.I),
            re.compile(r"\bconsecutive(?:ly)?\b", re.I),
        ],
    },
    interim=re.compile(r"\binterim\b|\bad hoc\b", re.I),
    places={"vienna": re.compile(r"\bVienna\b")},
    treaties={
        "tip-protocol": re.compile(r"Protocol\s+to\s+Prevent,\s+Suppress\s+and\s+Punish\s+Traff"),
        "som-protocol": re.compile(r"Protocol\s+against\s+the\s+Smuggling\s+of\s+Migrants"),
        "firearms-protocol": re.compile(r"Protocol\s+against\s+the\s+Illicit\s+Manufacturing"),
        "untoc": re.compile(r"Convention"),
    },
    bodies={
        "cop": [
            "Conference of the Parties to the United Nations Convention against "
            "Transnational Organized Crime"
        ],
        "wg-tip": ["Working Group on Trafficking in Persons"],
        "wg-som": ["Working Group on the Smuggling of Migrants"],
        "wg-firearms": ["Working Group on Firearms"],
        "wg-ic": ["Working Group on International Cooperation"],
        "wg-ta": ["Working Group of Government Experts on Technical Assistance"],
    },  # fmt: skip
    working_group=re.compile(r"(?P<name>Working\s+Group\s[^,.;]+?)(?:,|\.|;|$)"),
    conference=re.compile(r"^Conference\s+of\s+the\s+Parties", re.I),
    stem=stem,
    part_labels={
        "header": "header",
        "para": "paragraph {n}",
        "section": "section {n}",
        "footnote": "footnote {n}",
    },  # fmt: skip
)

LANGUAGE_NAMES = {
    "english": "en", "russian": "ru", "french": "fr", "spanish": "es", "arabic": "ar",
    "chinese": "zh", "английский": "en", "русский": "ru", "французский": "fr",
    "испанский": "es", "арабский": "ar", "китайский": "zh",
}  # fmt: skip
