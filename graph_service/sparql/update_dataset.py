"""The SPARQL Protocol's `using-graph-uri` / `using-named-graph-uri` for updates.

pyoxigraph's update API takes no dataset, so the protocol parameters are written into the
update text as USING / USING NAMED clauses before the WHERE of each DELETE/INSERT operation
(SPARQL 1.1 Update 3.1.3: the parameters act exactly like USING clauses). An update that
already has USING or WITH is refused, as the protocol requires.
"""

from __future__ import annotations

import re

IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
STRING = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"", re.DOTALL
)
COMMENT = re.compile(r"#[^\n]*")
WORD = re.compile(r"[^\s{}<>\"'#;]+")


class DatasetConflict(ValueError):
    """using-graph-uri given for an update that has its own USING or WITH."""


def add_using_clauses(update: str, using: tuple[str, ...], using_named: tuple[str, ...]) -> str:
    clauses = "".join(f"USING <{g}> " for g in using)
    clauses += "".join(f"USING NAMED <{g}> " for g in using_named)
    out: list[str] = []
    depth, position, last = 0, 0, ""
    while position < len(update):
        char = update[position]
        match = None
        for pattern in (STRING, IRI, COMMENT):
            match = pattern.match(update, position)
            if match:
                break
        if match:
            out.append(match.group())
            position = match.end()
            continue
        if char in "{}":
            depth += 1 if char == "{" else -1
            last = "}" if depth == 0 else last
        elif depth == 0 and (word := WORD.match(update, position)):
            token = word.group().upper()
            if token in ("USING", "WITH"):
                raise DatasetConflict(
                    f"the update has its own {token} clause; it cannot be combined with "
                    "using-graph-uri / using-named-graph-uri"
                )
            if token == "WHERE" and last != "DELETE":
                out.append(clauses)
            out.append(word.group())
            position, last = word.end(), token
            continue
        out.append(char)
        position += 1
    return "".join(out)
