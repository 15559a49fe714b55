"""UN document symbols: Cyrillic look-alike letters to Latin, link markup, the symbol pattern."""

from __future__ import annotations

import re
import unicodedata

# Cyrillic letters that are routinely typed instead of the Latin letters they look like.
LOOKALIKES = str.maketrans(
    {
        "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "Ј": "J", "К": "K",
        "М": "M", "О": "O", "Р": "P", "Ѕ": "S", "Т": "T", "Х": "X", "У": "Y",
        "а": "a", "е": "e", "і": "i", "ј": "j", "о": "o", "р": "p", "с": "c", "ѕ": "s",
        "х": "x", "у": "y",
    }
)  # fmt: skip

# Official symbols: upper-case series, slash-separated parts of Latin letters, digits, dots
# and hyphens, e.g. CTOC/COP/WG.4/2023/5, A/RES/55/25, CTOC/COP/2024/1.
SYMBOL = re.compile(r"^[A-Z]+(?:/[A-Za-z0-9.\-]+)+$")
# A candidate in running text: an upper-case first part (any script) and at least one slash.
CANDIDATE = re.compile(r"(?<![\w/])[^\W\d_]+(?:/[\w.\-]*\w)+")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


class SymbolError(ValueError):
    """A symbol that cannot be written in Latin letters."""


def strip_links(text: str) -> str:
    """`[CTOC/COP/WG.7/2023/5](#)` -> `CTOC/COP/WG.7/2023/5`."""
    return LINK.sub(r"\1", text)


def normalise_symbol(raw: str) -> str:
    """Latin form of a symbol typed with look-alike letters; SymbolError if impossible."""
    text = strip_links(raw).strip().rstrip(".,;")
    latin = text.translate(LOOKALIKES)
    strange = [c for c in latin if not c.isascii()]
    if strange:
        unique = dict.fromkeys(strange)
        names = ", ".join(f"{c!r} ({unicodedata.name(c, 'unknown')})" for c in unique)
        raise SymbolError(f"symbol {text!r} has letters that are not Latin look-alikes: {names}")
    if not SYMBOL.match(latin):
        raise SymbolError(f"{text!r} is not a UN document symbol (e.g. CTOC/COP/WG.4/2023/5)")
    return latin


def find_symbol_candidates(text: str) -> list[str]:
    """Symbol-like tokens in running text, as printed (upper-case first part, a slash)."""
    found = []
    for match in CANDIDATE.finditer(strip_links(text)):
        token = match.group(0)
        first = token.split("/", 1)[0]
        if first.isupper() and len(first) >= 1 and any(ch.isdigit() for ch in token):
            found.append(token)
    return found


def symbol_key(symbol: str) -> str:
    """CTOC/COP/WG.4/2023/5 -> ctoc-cop-wg.4-2023-5 (the document key of DESIGN.md)."""
    return symbol.lower().replace("/", "-")
