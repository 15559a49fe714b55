"""The SPARQL Protocol's `using-graph-uri` / `using-named-graph-uri` for updates.

pyoxigraph's update API takes no dataset, so the protocol parameters are written into the
update text as USING / USING NAMED clauses before the WHERE of each DELETE/INSERT operation
(SPARQL 1.1 Update 3.1.3: the parameters act exactly like USING clauses). An update that
already has USING or WITH is refused, as the protocol requires. The text is read with the
same tokenizer as the SERVICE allow-list (tokens.py), so strings, IRIs and comments that
contain these words are left alone.
"""

from __future__ import annotations

from graph_service.sparql.tokens import tokenize


class DatasetConflict(ValueError):
    """using-graph-uri given for an update that has its own USING or WITH."""


def add_using_clauses(update: str, using: tuple[str, ...], using_named: tuple[str, ...]) -> str:
    clauses = "".join(f"USING <{g}> " for g in using)
    clauses += "".join(f"USING NAMED <{g}> " for g in using_named)
    out: list[str] = []
    copied, depth, previous = 0, 0, ""
    for token in tokenize(update):
        if token.text == "{":
            depth += 1
            continue
        if token.text == "}":
            depth -= 1
            previous = "}"
            continue
        if depth != 0:
            continue
        word = token.value if token.kind == "NAME" else token.text
        if word in ("USING", "WITH"):
            raise DatasetConflict(
                f"the update has its own {word} clause; it cannot be combined with "
                "using-graph-uri / using-named-graph-uri"
            )
        if word == "WHERE" and previous != "DELETE":  # not the DELETE WHERE shorthand
            out += [update[copied : token.start], clauses]
            copied = token.start
        previous = word
    out.append(update[copied:])
    return "".join(out)
