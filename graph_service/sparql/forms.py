"""The form of a query or update, read with the tokenizer before the engine sees it, so that
a misspelt keyword (`SELEC`) is named as such instead of the parser's guess ("expected
CONSTRUCT")."""

from __future__ import annotations

import difflib

from graph_service.sparql.errors import QuerySyntaxError
from graph_service.sparql.tokens import Token, tokenize

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
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
