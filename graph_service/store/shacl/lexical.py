"""Reading SPARQL text without parsing it: where comments, strings and IRIs end, and where
a bracket closes."""

from __future__ import annotations

import re

IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
CLOSING = {"{": "}", "(": ")"}


def skip_token(text: str, i: int) -> int:
    """The end of the comment, string or IRI starting at `i` (`i` if none starts there)."""
    c = text[i]
    if c == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if c in "\"'":
        quote = text[i : i + 3] if text[i : i + 3] in ('"""', "'''") else c
        j = i + len(quote)
        while j < len(text) and not text.startswith(quote, j):
            j += 2 if text[j] == "\\" else 1
        return j + len(quote)
    if c == "<":
        iri = IRI.match(text, i)
        if iri:
            return iri.end()
    return i


def strip_literals(text: str) -> str:
    """`text` with its comments, strings and IRIs blanked out (the same length)."""
    out, i = [], 0
    while i < len(text):
        skip = min(skip_token(text, i), len(text))
        out.append(" " * (skip - i) if skip > i else text[i])
        i = max(skip, i + 1)
    return "".join(out)


def closing(text: str, start: int) -> int:
    """The position of the bracket closing the `{` or `(` at `start`; -1 if none does."""
    opening = text[start]
    depth, i = 0, start
    while i < len(text):
        skip = skip_token(text, i)
        if skip > i:
            i = skip
            continue
        depth += 1 if text[i] == opening else -1 if text[i] == CLOSING[opening] else 0
        if depth == 0:
            return i
        i += 1
    return -1
