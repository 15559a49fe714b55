"""HTTP content negotiation: pick one of the offered media types for an Accept header.

Pure functions, no Flask: `choose(accept, offered, format_param)` returns the media type to
send, or None when nothing offered is acceptable (the caller answers 406).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graph_service import formats

FORMAT_ALIASES = formats.format_aliases()


def parse_accept(accept_header: str | None) -> list[tuple[str, str, float]]:
    """`text/turtle;q=0.8, */*` -> [("text", "turtle", 0.8), ("*", "*", 1.0)].

    Malformed ranges are ignored; a missing or empty header means `*/*`.
    """
    if not accept_header or not accept_header.strip():
        return [("*", "*", 1.0)]
    ranges = []
    for part in accept_header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            if media == "*":  # some clients send a bare `*`
                media = "*/*"
            else:
                continue
        main, sub = media.split("/", 1)
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    quality = 0.0
        ranges.append((main, sub, quality))
    return ranges


def quality_of(media_type: str, ranges: list[tuple[str, str, float]]) -> float:
    """The q-value the client gives `media_type`: the most specific matching range decides."""
    main, _, sub = media_type.lower().partition("/")
    best_specificity, best_quality = -1, 0.0
    for range_main, range_sub, quality in ranges:
        if range_main == main and range_sub == sub:
            specificity = 2
        elif range_main == main and range_sub == "*":
            specificity = 1
        elif range_main == "*" and range_sub == "*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, best_quality = specificity, quality
    return best_quality


def resolve_format(
    format_param: str,
    offered: Sequence[str],
    format_aliases: Mapping[str, Sequence[str]] = FORMAT_ALIASES,
) -> str | None:
    """A `format=` value (alias or full media type) -> the offered media type, or None."""
    value = format_param.strip().lower()
    candidates = format_aliases.get(value, (value,))
    if isinstance(candidates, str):
        candidates = (candidates,)
    offered_lower = {m.lower(): m for m in offered}
    for candidate in candidates:
        if candidate.lower() in offered_lower:
            return offered_lower[candidate.lower()]
    return None


def choose(
    accept_header: str | None,
    offered: Sequence[str],
    format_param: str | None = None,
    format_aliases: Mapping[str, Sequence[str]] = FORMAT_ALIASES,
) -> str | None:
    """The media type to answer with, or None (-> 406).

    A `format` parameter overrides Accept. Otherwise the offered type with the highest
    q-value wins; ties go to the earlier offered type (the server's preference), and a
    q-value of 0 means "not acceptable".
    """
    if format_param:
        return resolve_format(format_param, offered, format_aliases)
    ranges = parse_accept(accept_header)
    best, best_quality = None, 0.0
    for media_type in offered:
        quality = quality_of(media_type, ranges)
        if quality > best_quality:
            best, best_quality = media_type, quality
    return best


def prefers_html(accept_header: str | None, alternatives: Sequence[str]) -> bool:
    """True when the client names text/html explicitly and ranks it at least as high as
    every alternative it also names explicitly: a browser, not `curl` sending `*/*`."""
    ranges = parse_accept(accept_header)
    html = [q for main, sub, q in ranges if (main, sub) == ("text", "html")]
    if not html or max(html) == 0:
        return False
    named = {f"{main}/{sub}": q for main, sub, q in ranges}
    return all(named.get(media.lower(), 0.0) <= max(html) for media in alternatives)
