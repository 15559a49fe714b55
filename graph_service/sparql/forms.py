"""What the tokenizer can tell of a query or update before the engine sees it: a misspelt
keyword (`SELEC`) named as such instead of the parser's guess ("expected CONSTRUCT"), and
texts nested or chained so deeply that the engine's recursive parser would overflow its
stack and take the process with it (measured with pyoxigraph 0.5: 5,000 nested groups,
8,000 chained `+`, 16,000 `!` crash it)."""

from __future__ import annotations

import difflib

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
