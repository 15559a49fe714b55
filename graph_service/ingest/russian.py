"""Russian: ordinals in every gender and case, month names, date phrases, instruments, bodies."""

from __future__ import annotations

import re

from graph_service.ingest.language import Language, date_pattern

ORDINAL_STEMS = {
    "перв": 1, "втор": 2, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
    "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13,
    "четырнадцат": 14, "пятнадцат": 15, "шестнадцат": 16, "семнадцат": 17,
    "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20, "тридцат": 30, "сороков": 40,
    "пятидесят": 50, "шестидесят": 60, "семидесят": 70, "восьмидесят": 80, "девяност": 90,
}  # fmt: skip
# Adjective endings of both declensions (первый/второй) in all genders, numbers and cases.
ENDINGS = ("ый", "ой", "ая", "ое", "ые", "ого", "ому", "ым", "ом", "ую", "ых", "ыми")
THIRD = ("ий", "ья", "ье", "ьи", "ьего", "ьему", "ьим", "ьем", "ьей", "ью", "ьих", "ьими")
TENS = {"двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60,
        "семьдесят": 70, "восемьдесят": 80, "девяносто": 90}  # fmt: skip

FORMS: dict[str, int] = {}
for _stem, _value in ORDINAL_STEMS.items():
    for _ending in ENDINGS:
        FORMS[_stem + _ending] = _value
for _ending in THIRD:
    FORMS["трет" + _ending] = 3


def ordinal(words: str) -> int | None:
    """'тринадцатое' -> 13, 'двадцать первой' -> 21, 'тринадцатье' -> None."""
    parts = words.lower().replace("ё", "е").split()
    if len(parts) == 2 and parts[0] in TENS:
        unit = FORMS.get(parts[1])
        return TENS[parts[0]] + unit if unit is not None and unit < 10 else None
    if len(parts) == 1:
        return FORMS.get(parts[0])
    return None


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("января", "январь"), ("февраля", "февраль"), ("марта", "март"),
            ("апреля", "апрель"), ("мая", "май"), ("июня", "июнь"), ("июля", "июль"),
            ("августа", "август"), ("сентября", "сентябрь"), ("октября", "октябрь"),
            ("ноября", "ноябрь"), ("декабря", "декабрь"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip

# Noun endings stripped before comparing names, so that "Рабочей группе по вопросам
# международного сотрудничества" matches "Рабочая группа по вопросам ...".
NOUN_ENDINGS = sorted(
    "ами ями ого его ому ему ыми ими ьми ой ей ий ый ая яя ое ее ые ие ую юю ов ев ам ям ах ях "
    "ом ем ым им ых их а я о е и ы у ю ь й".split(),
    key=len,
    reverse=True,
)


def stem(word: str) -> str:
    word = word.lower().replace("ё", "е")
    if len(word) <= 3:
        return word
    for ending in NOUN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def instrument_kind(word: str) -> str:
    return "decision" if word.lower().startswith("решени") else "resolution"


TENS_WORDS = "|".join(TENS)

RUSSIAN = Language(
    code="ru",
    ordinal=ordinal,
    months=MONTHS,
    date=date_pattern(MONTHS, "и|–|—|-", r"(?:\s+(?:года|г\.))?"),
    instrument=re.compile(r"(?P<kind>решени|резолюци)[а-я]*\s+(?P<s>\d+)/(?P<k>\d+)", re.I),
    instrument_kind=instrument_kind,
    title=re.compile(r"\s*(?:«(?P<t1>[^»]+)»|\"(?P<t2>[^\"]+)\"|“(?P<t3>[^”]+)”)"),
    meeting=re.compile(
        rf"(?:(?P<tens>{TENS_WORDS})\s+)?(?P<ord>[^\W\d_][\w-]*)\s+совещани(?:е|я|и|ю|ем)\b"
        r"(?P<gap>\s*(?:[—–-]\s*)?)",
        re.I,
    ),
    session=re.compile(
        rf"(?:(?P<tens>{TENS_WORDS})\s+)?(?P<ord>[^\W\d_][\w-]*)\s+сесси(?:я|и|ю|ей)\b", re.I
    ),
    agenda_items=re.compile(
        r"^Пункт(?:ы)?\s+(?P<items>\d+(?:\s*(?:,|и)\s*\d+)*)\s+(?:предварительной\s+)?повестки"
        r"\s+дня(?P<marker>\**)",
        re.I,
    ),
    respectively=re.compile(r"\bсоответственно\b", re.I),
    provision_cues={
        "establishes": [re.compile(r"\bучре(?:жд|ди)", re.I)],
        "makes-permanent": [re.compile(r"постоянн\w+\s+элемент", re.I)],
        "requests-reports": [
            re.compile(r"доклад", re.I),
            re.compile(r"препровожда\w*|будут\s+представлены", re.I),
        ],
        "recommends-annual-consecutive-meetings": [
            re.compile(r"ежегодной\s+основе", re.I),
            re.compile(r"последовательном\s+порядке", re.I),
        ],
    },
    interim=re.compile(r"\bвременн", re.I),
    places={"vienna": re.compile(r"\bВен(?:а|е|ы|у|ой)\b")},
    treaties={
        "tip-protocol": re.compile(r"Протокол\w*\s+о\s+предупреждении\s+и\s+пресечении\s+торговли"),
        "som-protocol": re.compile(
            r"Протокол\w*\s+(?:против|о)\s+незаконно\w*\s+ввоз\w*\s+мигрант"
        ),
        "firearms-protocol": re.compile(r"Протокол\w*\s+против\s+незаконного\s+изготовления"),
        "untoc": re.compile(r"Конвенци"),
    },
    bodies={
        "cop": [
            "Конференция участников Конвенции Организации Объединенных Наций против "
            "транснациональной организованной преступности"
        ],
        "wg-tip": ["Рабочая группа по торговле людьми"],
        "wg-som": ["Рабочая группа по незаконному ввозу мигрантов"],
        "wg-firearms": ["Рабочая группа по огнестрельному оружию"],
        "wg-ic": ["Рабочая группа по вопросам международного сотрудничества"],
        "wg-ta": ["Рабочая группа правительственных экспертов по технической помощи"],
    },  # fmt: skip
    working_group=re.compile(r"(?P<name>Рабоч\w+\s+групп\w+\s[^,.;]+?)(?:,|\.|;|$)"),
    conference=re.compile(r"^Конференция\s+участников", re.I),
    stem=stem,
    part_labels={
        "header": "шапка",
        "para": "пункт {n}",
        "section": "раздел {n}",
        "footnote": "сноска {n}",
    },  # fmt: skip
)

TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
        "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
        "я": "ia",
    }
)  # fmt: skip


def translit(text: str) -> str:
    """Latin letters for keys of proposed new bodies."""
    return text.lower().translate(TRANSLIT)
