"""What the tokenizer can tell of a query or update before the engine sees it: a misspelt
keyword (`SELEC`) named as such instead of the parser's guess ("expected CONSTRUCT"), and
texts nested or chained so deeply that the engine's recursive parser would overflow its
stack and take the process with it (measured with pyoxigraph 0.5: 5,000 nested groups,
8,000 chained `+`, 16,000 `!` crash it)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from graph_service.sparql.errors import QuerySyntaxError
from graph_service.sparql.tokens import Token, tokenize

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
MAX_NESTING = 128  # brackets of any kind, one inside the other
MAX_OPERATORS = 2000  # operators and path steps in the whole text
_OPENING, _CLOSING = set("{(["), set("})]")
_OPERATORS = {"||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "!", "^", "|", "?"}
UPDATE_FORMS = (
    "INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
)  # fmt: skip


def first_keyword(text: str) -> Token | None:
    """The first token after the PREFIX and BASE declarations (None for an empty text)."""
    tokens = tokenize(text)
    for token in tokens:
        if token.kind == "NAME" and token.value == "BASE":
            next(tokens, None)  # <iri>
        elif token.kind == "NAME" and token.value == "PREFIX":
            next(tokens, None)  # p:
            next(tokens, None)  # <iri>
        else:
            return token
    return None


def diagnose(text: str, kind: str, error: Exception) -> QuerySyntaxError:
    """For a text the engine could not parse: the misspelt keyword where the form should be,
    when that is what is wrong, else the engine's own message."""
    try:
        check_form(text, kind)
    except QuerySyntaxError as better:
        return better
    message = str(error).removeprefix(f"malformed {kind}: ")
    return QuerySyntaxError(f"malformed {kind}: {message}")


def check_form(text: str, kind: str) -> None:
    """QuerySyntaxError naming the word where a query (or update) form should be."""
    forms = QUERY_FORMS if kind == "query" else UPDATE_FORMS
    token = first_keyword(text)
    if token is None:
        if kind == "query":
            raise QuerySyntaxError("malformed query: the query is empty")
        return  # an empty update is a valid one that does nothing
    # pyoxigraph reads keywords without a word boundary: `ASKWHERE {}` is an ASK. Only a word
    # close to a form is named; anything else is left to the engine's message.
    if token.kind != "NAME" or token.value.startswith(forms):
        return
    guesses = difflib.get_close_matches(token.value, forms, n=1, cutoff=0.6)
    if not guesses:
        return
    line = text.count("\n", 0, token.start) + 1
    column = token.start - (text.rfind("\n", 0, token.start) + 1) + 1
    raise QuerySyntaxError(
        f"malformed {kind}: at line {line}, column {column}, {token.text[:40]!r} is not "
        f"{'a query form' if kind == 'query' else 'an update operation'} (did you mean "
        f"{guesses[0]}?); after the PREFIX and BASE declarations comes one of {', '.join(forms)}"
    )


def check_complexity(text: str, kind: str) -> None:
    """QuerySyntaxError for a text nested or chained past what the engine parses safely."""
    depth = deepest = operators = 0
    for token in tokenize(text):
        if token.kind == "NUMBER" and token.text[0] in "+-":
            operators += 1  # `1 +1`: a signed number after an operand is an addition
        if token.kind not in ("PUNCT", "NUMBER"):
            continue
        if token.text in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif token.text in _CLOSING:
            depth -= 1
        elif token.text in _OPERATORS:
            operators += 1
        if deepest > MAX_NESTING:
            raise QuerySyntaxError(
                f"the {kind} nests brackets more than {MAX_NESTING} deep, the limit of this "
                "endpoint; flatten it"
            )
        if operators > MAX_OPERATORS:
            raise QuerySyntaxError(
                f"the {kind} has more than {MAX_OPERATORS} operators or path steps, the limit "
                "of this endpoint; use VALUES or IN for long lists"
            )


@dataclass(frozen=True)
class LoadOperation:
    source: str
    graph: str | None  # INTO GRAPH <g>; None: the default graph
    silent: bool


class MixedLoad(QuerySyntaxError):
    """LOAD beside other operations in one update (this endpoint runs LOAD itself)."""


def load_operations(text: str) -> list[LoadOperation]:
    """The LOAD operations of an update (none: []). The endpoint runs them itself, under
    its limits, so an update holding LOAD must hold nothing else, and name its IRIs in full."""
    tokens = [t for t in tokenize(text)]
    if not any(t.kind == "NAME" and t.value == "LOAD" for t in tokens):
        return []
    found: list[LoadOperation] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token.kind == "NAME" and token.value in ("PREFIX", "BASE"):
            position += 3 if token.value == "PREFIX" else 2
            continue
        if token.text == ";":
            position += 1
            continue
        if not (token.kind == "NAME" and token.value == "LOAD"):
            raise MixedLoad(
                "an update with LOAD may hold only LOAD operations on this endpoint; send "
                f"the other operations ({token.text[:20]!r} ...) as an update of their own"
            )
        position += 1
        silent = position < len(tokens) and tokens[position].value == "SILENT"
        position += silent
        source = _full_iri(tokens, position)
        position += 1
        graph = None
        if position < len(tokens) and tokens[position].value == "INTO":
            if position + 1 >= len(tokens) or tokens[position + 1].value != "GRAPH":
                raise QuerySyntaxError("malformed update: INTO must be followed by GRAPH <iri>")
            graph = _full_iri(tokens, position + 2)
            position += 3
        found.append(LoadOperation(source, graph, silent))
    return found


def _full_iri(tokens: list[Token], position: int) -> str:
    if position >= len(tokens) or tokens[position].kind != "IRI":
        raise QuerySyntaxError(
            "malformed update: LOAD takes a full IRI in angle brackets (<http://...>) here"
        )
    return tokens[position].value
