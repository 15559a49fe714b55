"""Labels in English and Russian generated from numbers and body names, in the wording of
docs/data-model.md ("thirteenth meeting of the Working Group on Trafficking in Persons")."""

from __future__ import annotations

from graph_service.ingest import english, russian

EN_ORDINALS = {v: k for k, v in {**english.UNITS, **english.TENTHS}.items()}
EN_TENS = {v: k for k, v in english.TENS.items()}
RU_STEMS = {v: k for k, v in russian.ORDINAL_STEMS.items()}
RU_TENS = {v: k for k, v in russian.TENS.items()}
# neuter nominative, feminine nominative, neuter genitive, feminine genitive
RU_CASES = {"n": ("ое", "ье"), "f": ("ая", "ья"), "ng": ("ого", "ьего"), "fg": ("ой", "ьей")}


def en_ordinal(n: int) -> str:
    if n in EN_ORDINALS:
        return EN_ORDINALS[n]
    if n < 100 and n % 10:
        return f"{EN_TENS[n - n % 10]}-{EN_ORDINALS[n % 10]}"
    return f"{n}th"


def ru_ordinal(n: int, case: str) -> str:
    regular, third = RU_CASES[case]
    if n == 3:
        return "трет" + third
    if n in RU_STEMS:
        return RU_STEMS[n] + regular
    if n < 100 and n % 10:
        return f"{RU_TENS[n - n % 10]} {ru_ordinal(n % 10, case)}"
    return f"{n}-{regular}"


def ru_genitive(name: str) -> str:
    """'Рабочая группа по ...' -> 'Рабочей группы по ...' (the head noun phrase only)."""
    words = name.split(" ")
    for i, word in enumerate(words[:2]):
        if word.endswith("ая"):
            words[i] = word[:-2] + "ей"
        elif word.endswith("а"):
            words[i] = word[:-1] + "ы"
    return " ".join(words)


INSTRUMENT = {"en": {"decision": "decision", "resolution": "resolution"},
              "ru": {"decision": "решение", "resolution": "резолюция"}}  # fmt: skip
PROVISION = {
    "en": {
        "establishes": "establishes the {body}",
        "makes-permanent": "makes permanent the {body}",
        "requests-reports": "requests reports from the {body}",
        "recommends-annual-consecutive-meetings":
            "recommends annual consecutive meetings to the {body}",
    },
    "ru": {
        "establishes": "учреждает ({body})",
        "makes-permanent": "делает постоянным элементом ({body})",
        "requests-reports": "предписывает препровождать доклады ({body})",
        "recommends-annual-consecutive-meetings":
            "рекомендует проводить совещания ежегодно и в последовательном порядке ({body})",
    },
}  # fmt: skip
PARTS = {
    "en": {"header": "header", "para": "paragraph {n}", "section": "section heading {n}",
           "footnote": "footnote {n}"},
    "ru": {"header": "шапка документа", "para": "пункт {n}", "section": "заголовок раздела {n}",
           "footnote": "сноска {n}"},
}  # fmt: skip


def session(n: int) -> dict[str, str]:
    return {
        "en": f"{en_ordinal(n)} session of the Conference of the Parties",
        "ru": f"{ru_ordinal(n, 'f')} сессия Конференции участников",
    }


def meeting(n: int, body: dict[str, str]) -> dict[str, str]:
    labels = {}
    if "en" in body:
        labels["en"] = f"{en_ordinal(n)} meeting of the {body['en']}"
    if "ru" in body:
        labels["ru"] = f"{ru_ordinal(n, 'n')} совещание {ru_genitive(body['ru'])}"
    return labels


def report(n: int, body: dict[str, str]) -> dict[str, str]:
    labels = {}
    if "en" in body:
        labels["en"] = f"report on the {en_ordinal(n)} meeting of the {body['en']}"
    if "ru" in body:
        labels["ru"] = f"доклад о работе {ru_ordinal(n, 'ng')} совещания {ru_genitive(body['ru'])}"
    return labels


def instrument(kind: str, identifier: str) -> dict[str, str]:
    return {lang: f"{names[kind]} {identifier}" for lang, names in INSTRUMENT.items()}


def provision(kind: str, identifier: str, ptype: str, body: dict[str, str]) -> dict[str, str]:
    names = instrument(kind, identifier)
    return {
        lang: f"{names[lang]}: {PROVISION[lang][ptype].format(body=body[lang])}"
        for lang in PROVISION
        if lang in body
    }


DOCUMENT = {
    "en": {"Note": "note", "Report": "report", "by": " by the Secretariat",
           "to": "to the {n} session of the Conference of the Parties"},
    "ru": {"Note": "записка", "Report": "доклад", "by": " Секретариата",
           "to": "к {n} сессии Конференции участников"},
}  # fmt: skip


def document(doc_class: str, session_n: int, by_secretariat: bool) -> dict[str, str]:
    """'note by the Secretariat to the thirteenth session of the Conference of the Parties':
    a new document needs labels in English and Russian, and its title is in one language."""
    ordinals = {"en": en_ordinal(session_n), "ru": ru_ordinal(session_n, "fg")}
    return {
        lang: words[doc_class]
        + (words["by"] if by_secretariat else "")
        + " "
        + words["to"].format(n=ordinals[lang])
        for lang, words in DOCUMENT.items()
    }


def agenda_item(n: int, session_n: int) -> dict[str, str]:
    return {
        "en": f"item {n} of the provisional agenda of the {en_ordinal(session_n)} session",
        "ru": f"пункт {n} предварительной повестки дня {ru_ordinal(session_n, 'fg')} сессии",
    }


def agenda(session_n: int) -> dict[str, str]:
    return {
        "en": f"Provisional agenda of the {en_ordinal(session_n)} session of the Conference "
        "of the Parties",
        "ru": f"Предварительная повестка дня {ru_ordinal(session_n, 'fg')} сессии Конференции "
        "участников",
    }


def part(kind: str, n: int | None) -> dict[str, str]:
    return {lang: names[kind].format(n=n) for lang, names in PARTS.items()}
