"""SPARQL 1.1 tokens, after the terminals of the grammar (SPARQL 1.1 Query, section 19.8),
and the SERVICE clauses of a query or update, found with them.

Escapes are read as pyoxigraph reads them: `\\u` / `\\U` only inside IRIs and strings
(as in Turtle), not anywhere in the text as section 19.2 says. `find_services` also looks
at the text with every escape replaced first, in case an engine follows 19.2.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

_BASE = (
    r"A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
    r"\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
    r"\U00010000-\U000EFFFF"
)
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"""\\[tbnrf\\"']"""
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = rf"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_PN_LOCAL = rf"(?:[{_CHARS_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_EXPONENT = r"[eE][+-]?[0-9]+"

# Tried in this order at each position; the order makes the first match the longest one.
_RULES = [
    (kind, re.compile(pattern))
    for kind, pattern in [
        ("IRI", rf"""<(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>"""),
        ("STRING", rf"'''(?:(?:''|')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*'''"),
        ("STRING", rf'"""(?:(?:""|")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*"""'),
        ("STRING", rf"'(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*'"),
        ("STRING", rf'"(?:[^"\\\n\r]|{_ECHAR}|{_UCHAR})*"'),
        ("VAR", rf"[?$][{_CHARS_U}0-9][{_CHARS_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*"),
        ("BNODE", rf"_:[{_CHARS_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?"),
        ("LANGTAG", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"),
        (
            "NUMBER",
            rf"[+-]?(?:[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+{_EXPONENT}|[0-9]+{_EXPONENT}"
            r"|[0-9]*\.[0-9]+|[0-9]+)",
        ),
        ("PNAME", rf"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
        ("NAME", r"[A-Za-z][A-Za-z0-9_]*"),  # keywords, function names, 'a', true, false
        ("NIL", r"\([ \t\r\n]*\)"),
        ("ANON", r"\[[ \t\r\n]*\]"),
        ("PUNCT", r"\^\^|<=|>=|!=|&&|\|\||[{}()\[\];,.*/|^!=<>+\-?]"),
    ]
]
_SKIP = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)+")  # WS and comments: '#' to the end of line
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_STRING_ESCAPE = re.compile(rf"{_UCHAR}|{_ECHAR}")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", "\\": "\\", '"': '"', "'": "'"}
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# pyoxigraph matches keywords ASCII-case-insensitively and without a word boundary.
_SERVICE = re.compile("service", re.IGNORECASE | re.ASCII)
_SILENT = re.compile("silent", re.IGNORECASE | re.ASCII)
_GLUED_PREFIX = re.compile("prefix", re.IGNORECASE | re.ASCII)


def _codepoint(match: re.Match) -> str:
    number = int(match.group(1) or match.group(2), 16)
    return chr(number) if number <= 0x10FFFF else match.group(0)


def _string_escape(match: re.Match) -> str:
    escape = match.group(0)
    if len(escape) == 2:
        return _ECHARS[escape[1]]
    codepoint = _CODEPOINT.match(escape)
    return _codepoint(codepoint) if codepoint else escape


def unescape_codepoints(text: str) -> str:
    """Replace every \\uXXXX and \\UXXXXXXXX, as SPARQL 1.1 section 19.2 says."""
    return _CODEPOINT.sub(_codepoint, text)


@dataclass(frozen=True)
class Token:
    kind: str  # IRI PNAME VAR BNODE STRING LANGTAG NUMBER NAME NIL ANON PUNCT ERROR
    text: str  # as written
    start: int
    end: int

    @property
    def value(self) -> str:
        """IRI: the IRI, escapes read; STRING: the string; NAME: upper case; VAR: the name;
        PNAME: the local name, escapes read; otherwise the text."""
        if self.kind == "IRI":
            return _CODEPOINT.sub(_codepoint, self.text[1:-1])
        if self.kind == "STRING":
            quotes = 3 if self.text[:3] in ('"""', "'''") and len(self.text) >= 6 else 1
            return _STRING_ESCAPE.sub(_string_escape, self.text[quotes:-quotes])
        if self.kind == "NAME":
            return self.text.upper()
        if self.kind == "VAR":
            return self.text[1:]
        if self.kind == "PNAME":
            return re.sub(r"\\(.)", r"\1", self.local)
        return self.text

    @property
    def prefix(self) -> str:
        return self.text.partition(":")[0] if self.kind == "PNAME" else ""

    @property
    def local(self) -> str:
        return self.text.partition(":")[2] if self.kind == "PNAME" else ""


def skip_space(text: str, pos: int) -> int:
    """The position after any white space and comments at `pos`."""
    match = _SKIP.match(text, pos)
    return match.end() if match else pos


def token_at(text: str, pos: int) -> Token | None:
    """The token starting exactly at `pos` (an ERROR token of one character if none does)."""
    if pos >= len(text):
        return None
    for kind, pattern in _RULES:
        match = pattern.match(text, pos)
        if match:
            return Token(kind, match.group(0), pos, match.end())
    return Token("ERROR", text[pos], pos, pos + 1)


class _Skipper:
    """skip_space for one text, with the ends of lines looked up rather than searched: a
    long line read from many places (see _Scan) stays linear."""

    def __init__(self, text: str):
        self.text = text
        self.line_ends = [m.start() for m in re.finditer(r"[\r\n]", text)]

    def __call__(self, text: str, pos: int) -> int:
        while pos < len(text):
            if text[pos] == "#":
                index = bisect_left(self.line_ends, pos)
                pos = self.line_ends[index] if index < len(self.line_ends) else len(text)
            elif text[pos] in " \t\r\n":
                pos += 1
            else:
                break
        return pos


def tokenize(
    text: str, start: int = 0, skip: Callable[[str, int], int] = skip_space
) -> Iterator[Token]:
    """The tokens of `text` from `start`, white space and comments left out. Characters
    that start no token come out as ERROR tokens, and the tokenizer goes on after them."""
    pos = skip(text, start)
    while (token := token_at(text, pos)) is not None:
        yield token
        pos = skip(text, token.end)


# SERVICE clauses


@dataclass(frozen=True)
class Reading:
    """One way of reading the term after SERVICE [SILENT]."""

    term: str  # as written
    variable: bool = False
    # The absolute IRIs it may stand for; empty when its prefix is not declared.
    iris: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceClause:
    offset: int  # of the character after the word SERVICE
    # True when SERVICE is a keyword token of its own in the plain reading of the text.
    keyword: bool
    readings: tuple[Reading, ...]


class _Prologue:
    """BASE and PREFIX declarations in effect; immutable, so that it can key a state. A
    prefix may have several candidate IRIs when a declaration is uncertain."""

    __slots__ = ("base", "prefixes", "_hash")

    def __init__(self, base: str | None = None, prefixes: tuple = ()):
        self.base = base
        self.prefixes = prefixes  # sorted ((name, frozenset of IRIs), ...)
        self._hash = hash((base, prefixes))

    def __hash__(self):
        return self._hash

    def __eq__(self, other):
        return (
            isinstance(other, _Prologue)
            and self._hash == other._hash
            and (self.base, self.prefixes) == (other.base, other.prefixes)
        )

    def resolve(self, iri: str) -> str:
        """Relative IRIs against BASE (RFC 3986); left relative when there is no BASE,
        so that they match no allow-list entry."""
        if _ABSOLUTE.match(iri) or self.base is None:
            return iri
        try:
            return urljoin(self.base, iri)
        except ValueError:  # a BASE that is no IRI (`<http://[/>`): the engine refuses it
            return iri

    def with_base(self, iri: str) -> _Prologue:
        return _Prologue(self.resolve(iri), self.prefixes)

    def with_prefix(self, name: str, iri: str, certain: bool) -> _Prologue:
        table = dict(self.prefixes)
        iris = frozenset({self.resolve(iri)})
        table[name] = iris if certain else table.get(name, frozenset()) | iris
        return _Prologue(self.base, tuple(sorted(table.items())))

    def lookup(self, name: str) -> frozenset[str]:
        return dict(self.prefixes).get(name, frozenset())


_OPERAND_ENDS = {"IRI", "PNAME", "VAR", "BNODE", "STRING", "LANGTAG", "NUMBER", "NIL", "ANON"}


def _ends_operand(token: Token) -> bool:
    return (
        token.kind in _OPERAND_ENDS
        or token.text in (")", "]")
        or (token.kind == "NAME" and token.value in ("TRUE", "FALSE"))
    )


def _reading(token: Token, prologue: _Prologue) -> Reading:
    if token.kind == "VAR":
        return Reading(token.text, variable=True)
    if token.kind == "IRI":
        return Reading(token.text, iris=(prologue.resolve(token.value),))
    return Reading(
        token.text, iris=tuple(sorted(iri + token.value for iri in prologue.lookup(token.prefix)))
    )


def _readings(
    text: str,
    pos: int,
    prologue: _Prologue,
    brace: bool,
    skip: Callable[[str, int], int] = skip_space,
) -> tuple[Reading, ...]:
    """The terms that may follow the word SERVICE ending at `pos`: with and without SILENT
    (pyoxigraph tries both). With `brace`, only terms followed by '{'."""
    pos = skip(text, pos)
    starts = [pos]
    if _SILENT.match(text, pos):
        starts.append(skip(text, pos + 6))
    found = []
    for start in starts:
        token = token_at(text, start)
        if token is None or token.kind not in ("IRI", "PNAME", "VAR"):
            continue
        if brace and not text.startswith("{", skip(text, token.end)):
            continue
        found.append(_reading(token, prologue))
    return tuple(found)


class _Scan:
    """Reads the text along every way pyoxigraph might tokenize it.

    Longest-match tokens and pyoxigraph's PEG parser differ in two places, and both are
    covered here: (1) keywords need no word boundary in pyoxigraph, so `trueSERVICE <x> {}`
    and `SERVICE:x {}` are SERVICE clauses: every "service" inside a name or a prefix is
    tried as a keyword, when a term and '{' follow it. (2) In an expression, '<' may be the
    less-than operator where a longest match sees an IRI, `FILTER(?a<'>')`; when such an
    IRI holds a quote or '#' (which would then start a string or a comment) the rest of
    the text is also read with '<' as an operator. Readings join where they meet again.
    """

    def __init__(self, text: str):
        self.text = text
        self.skip = _Skipper(text)
        self.seen: set = set()
        self.clauses: dict = {}

    def run(self) -> list[ServiceClause]:
        todo = [(0, _Prologue(), False, True)]
        while todo:
            todo.extend(self._read(*todo.pop()))
        return list(self.clauses)

    def _add(self, offset: int, keyword: bool, prologue: _Prologue, brace: bool) -> None:
        readings = _readings(self.text, offset, prologue, brace, self.skip)
        if readings:
            self.clauses.setdefault(ServiceClause(offset, keyword, readings), None)

    def _add_in_prefix(self, token: Token, prologue: _Prologue) -> None:
        """`xserviceSILENTp:local {` is `SERVICE SILENT p:local {` to pyoxigraph. Only a
        declared prefix can give the term an IRI, so each "service" in the prefix is checked
        against the declared names by position, without reading the rest of the text again
        (a long prefix of repeated "service" stays linear)."""
        if not self.text.startswith("{", self.skip(self.text, token.end)):
            return
        prefix = token.prefix
        for name, iris in prologue.prefixes:
            if not prefix.endswith(name):
                continue
            start = len(prefix) - len(name)  # where the term's prefix begins
            for skipped in ("", "silent"):
                end = start - len(skipped)
                if prefix[end:start].lower() != skipped or end < 7:
                    continue
                if prefix[end - 7 : end].lower() == "service":
                    term = f"{name}:{token.local}"
                    reading = Reading(term, iris=tuple(sorted(iri + token.value for iri in iris)))
                    offset = token.start + end
                    self.clauses.setdefault(ServiceClause(offset, False, (reading,)), None)

    def _read(self, start, prologue, operand, main):
        forks = []
        pending: tuple = ()
        for token in tokenize(self.text, start, self.skip):
            state = (token.start, prologue, operand, pending)
            if state in self.seen:
                break
            self.seen.add(state)
            # BASE <iri> and PREFIX p: <iri>, also glued as PREFIXp: <iri>.
            if pending == ("BASE",) and token.kind == "IRI":
                prologue, pending = prologue.with_base(token.value), ()
            elif pending[:1] == ("NS",) and token.kind == "IRI":
                prologue, pending = prologue.with_prefix(pending[1], token.value, pending[2]), ()
            elif pending == ("PREFIX",) and token.kind == "PNAME" and token.text.endswith(":"):
                pending = ("NS", token.prefix, True)
            elif token.kind == "NAME" and token.value in ("BASE", "PREFIX"):
                pending = (token.value,)
            elif (
                token.kind == "PNAME"
                and token.text.endswith(":")
                and _GLUED_PREFIX.match(token.text)
            ):
                pending = ("NS", token.prefix[6:], False)
            else:
                pending = ()
            # SERVICE, as a keyword or inside a name or a prefix.
            if token.kind == "NAME" and token.value == "SERVICE":
                self._add(token.end, main, prologue, brace=False)
            elif token.kind == "NAME":
                # Inside a name, only a "service" that ends it (or ends it before SILENT,
                # `SERVICESILENT<x>`) can be followed by a term.
                word = token.text.lower()
                if word.endswith("service"):
                    self._add(token.end, False, prologue, brace=True)
                elif word.endswith("servicesilent"):
                    self._add(token.end - 6, False, prologue, brace=True)
            elif token.kind == "PNAME" and _SERVICE.search(token.prefix):
                self._add_in_prefix(token, prologue)
            # Only after an operand can '<' be less-than. Parentheses are not counted (an
            # expression is always inside some): the states would then multiply.
            if token.kind == "IRI" and operand and ("'" in token.text or "#" in token.text):
                forks.append((token.start + 1, prologue, False, False))
            operand = _ends_operand(token)
        return forks


def find_services(text: str) -> list[ServiceClause]:
    """Every SERVICE clause pyoxigraph could see in a query or update, with the possible
    readings of its term. May find more than there are (never fewer): a text that does not
    parse may yield anything, since it is never executed."""
    clauses = _Scan(text).run() if _SERVICE.search(text) else []
    unescaped = unescape_codepoints(text)
    if unescaped != text and _SERVICE.search(unescaped):
        clauses += [ServiceClause(c.offset, False, c.readings) for c in _Scan(unescaped).run()]
    return clauses
