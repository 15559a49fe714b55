"""Inline SVG diagrams built on the server: a meeting timeline and the institutional structure.

Every piece of text and every attribute value goes through `escape`, so a label holding
markup is drawn as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', sans-serif"


@dataclass
class TimelineEntry:
    href: str
    title: str
    dates: str
    year: str
    place: str = ""
    reports: list[tuple[str, str]] = field(default_factory=list)  # (href, symbol)


@dataclass
class Node:
    key: str
    href: str
    label: str


def _char_width(char: str) -> float:
    """Advance width in em of one character in DejaVu Sans (Debian's default sans), a little
    generous so that labels stay inside their boxes in other fonts too."""
    code = ord(char)
    if char == " ":
        return 0.33
    if char in "\u2009\u202f":  # thin and narrow no-break spaces (CLDR dates)
        return 0.2
    if 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF:
        return 1.0  # CJK
    if char in "il.,:;'|!()[]/·":
        return 0.36
    if char.isdigit():
        return 0.64
    if 0x0600 <= code <= 0x06FF:
        return 0.58  # Arabic
    if char.isupper():
        return 0.76
    if 0x0400 <= code <= 0x04FF:
        return 0.66  # Cyrillic lower case
    return 0.63


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated width in pixels of `text` set at `size`."""
    return sum(_char_width(c) for c in text) * size * (1.1 if bold else 1.0)


def _fit(word: str, width: float, size: float, bold: bool) -> str:
    """`word` cut with an ellipsis to fit `width`."""
    while word and text_width(word + "…", size, bold) > width:
        word = word[:-1]
    return word + "…"


def wrap(text: str, width: float, size: float, max_lines: int = 3, bold: bool = False) -> list[str]:
    """Lines of at most `width` pixels; the last line ends with "…" when text is left over.
    CJK text has no spaces and is broken between characters. Lines break at plain spaces
    only: a narrow no-break space ("2023\u202fг.") holds its neighbours together."""
    tokens = (
        [token for token in text.split(" ") if token]
        if " " in text.strip()
        else list(text)
        if any(_char_width(c) == 1.0 for c in text)
        else [text]
    )
    joiner = " " if " " in text.strip() else ""
    lines: list[str] = []
    line = ""
    for token in tokens:
        candidate = f"{line}{joiner}{token}" if line else token
        if text_width(candidate, size, bold) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = token if text_width(token, size, bold) <= width else _fit(token, width, size, bold)
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        rest = lines[max_lines - 1]
        lines = lines[: max_lines - 1] + [
            _fit(rest, width, size, bold)
            if text_width(rest + "…", size, bold) > width
            else rest + "…"
        ]
    return lines or [""]


def _text(
    x: float,
    y: float,
    lines: list[str],
    *,
    size: int = 12,
    anchor: str = "start",
    weight: str = "normal",
    css: str = "",
    rtl: bool = False,
) -> str:
    spans = "".join(
        f'<tspan x="{x:.0f}" dy="{0 if i == 0 else size + 3}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    direction = ' direction="rtl"' if rtl else ""
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" class="{escape(css)}"{direction}>{spans}</text>'
    )


def _link(href: str, inner: str, title: str) -> str:
    return f'<a href="{escape(href)}"><title>{escape(title)}</title>{inner}</a>'


def _open_svg(css: str, width: float, height: float, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" role="img" '
        f'width="100%" viewBox="0 0 {width:.0f} {height:.0f}" direction="ltr" '
        f'font-family="{escape(FONT)}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]


def timeline(
    entries: list[TimelineEntry], *, title: str, report_word: str, rtl: bool = False
) -> Markup:
    """Meetings top to bottom in date order on a vertical axis, one year marker per year.

    Right-to-left languages get the mirror image: the axis on the right, text running left.
    Long titles wrap (two lines at most); reports that do not fit after the dates and place
    go on a line of their own.
    """
    top, width, axis_gap = 36, 760, 120
    text_room = width - axis_gap - 20 - 12
    title_size, detail_size = 14, 12
    axis_x = width - axis_gap if rtl else axis_gap
    text_x = axis_x - 20 if rtl else axis_x + 20
    sign = -1 if rtl else 1
    body: list[str] = []
    y = top
    last_year = None
    for entry in entries:
        if entry.year and entry.year != last_year:
            body.append(
                _text(
                    axis_x - sign * 14,
                    y + 5,
                    [entry.year],
                    size=15,
                    anchor="start" if rtl else "end",
                    weight="bold",
                    css="year",
                )
            )
            last_year = entry.year
        body.append(f'<circle cx="{axis_x}" cy="{y}" r="7" fill="#1f5f99" class="marker"/>')
        title_lines = wrap(entry.title, text_room, title_size, max_lines=2, bold=True)
        body.append(
            _link(
                entry.href,
                _text(
                    text_x,
                    y + 5,
                    title_lines,
                    size=title_size,
                    weight="bold",
                    css="meeting-title",
                    rtl=rtl,
                ),
                entry.title,
            )
        )
        line_y = y + 5 + (len(title_lines) - 1) * (title_size + 3) + 19
        detail = " · ".join(part for part in (entry.dates, entry.place) if part)
        detail_lines = wrap(detail, text_room, detail_size, max_lines=2)
        body.append(
            _text(text_x, line_y, detail_lines, size=detail_size, css="meeting-detail", rtl=rtl)
        )
        offset = text_width(detail_lines[-1], detail_size) + 24
        line_y += (len(detail_lines) - 1) * (detail_size + 3)
        for href, symbol in entry.reports:
            label = f"{report_word} {symbol}"
            label_width = text_width(label, detail_size)
            if offset + label_width > text_room:
                line_y += detail_size + 5
                offset = 0
            body.append(
                _link(
                    href,
                    _text(
                        text_x + sign * offset,
                        line_y,
                        [label],
                        size=detail_size,
                        css="report-link",
                        rtl=rtl,
                    ),
                    label,
                )
            )
            offset += label_width + 16
        y = line_y + 34
    height = y - 10
    parts = _open_svg("timeline", width, height, title)
    parts.append(
        f'<line x1="{axis_x}" y1="{top - 16}" x2="{axis_x}" y2="{height - 10}" '
        f'class="axis" stroke="#5b7a99" stroke-width="2"/>'
    )
    parts.extend(body)
    parts.append("</svg>")
    return Markup("".join(parts))


def structure(
    root: Node | None,
    bodies: list[Node],
    instruments: list[Node],
    treaties: list[Node],
    established: list[tuple[str, str]],
    mandates: list[tuple[str, str]],
    *,
    title: str,
    column_titles: tuple[str, str, str],
    rtl: bool = False,
) -> Markup:
    """Instruments (left) -> working groups (middle) -> treaties (right), the COP on top.

    `established` holds (body key, instrument key) and `mandates` (body key, treaty key).
    Boxes are as tall as the longest label needs (three lines at most).
    """
    box_w, gap, size, padding = 230, 14, 12, 10
    line_h = size + 3
    lines_of = {
        id(n): wrap(n.label, box_w - 2 * padding, size) for n in [*bodies, *instruments, *treaties]
    }
    box_h = max([len(lines) for lines in lines_of.values()] + [2]) * line_h + 2 * padding - 4
    columns = (20, 320, 620)
    width = columns[2] + box_w + 20
    root_w = width - 2 * columns[0]
    root_lines = (
        wrap(root.label, root_w - 2 * padding, size, max_lines=2, bold=True) if root else []
    )
    root_h = max(2, len(root_lines)) * line_h + 2 * padding - 4
    top = 20 + root_h + 84 if root else 60
    rows = max(len(bodies), len(instruments), len(treaties), 1)
    height = top + rows * (box_h + gap) + 10
    parts = _open_svg("structure", width, height, title)
    positions: dict[tuple[str, str], tuple[float, float]] = {}

    def place(kind: str, nodes: list[Node], column: int) -> None:
        for index, node in enumerate(nodes):
            positions[(kind, node.key)] = (columns[column], top + index * (box_h + gap))

    place("instrument", instruments, 0)
    place("body", bodies, 1)
    place("treaty", treaties, 2)

    for index, heading in enumerate(column_titles):
        parts.append(
            _text(
                columns[index] + box_w / 2,
                top - 14,
                wrap(heading, box_w, 13, max_lines=1, bold=True),
                size=13,
                anchor="middle",
                weight="bold",
                css="column-title",
                rtl=rtl,
            )
        )

    def edge(a: tuple[str, str], b: tuple[str, str], css: str) -> None:
        if a not in positions or b not in positions:
            return
        (ax, ay), (bx, by) = positions[a], positions[b]
        x1, y1 = ax + box_w, ay + box_h / 2
        x2, y2 = bx, by + box_h / 2
        mid = (x1 + x2) / 2
        parts.append(
            f'<path d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} '
            f'{x2:.0f},{y2:.0f}" fill="none" class="{css}" stroke="#8aa4bf" stroke-width="1.5"/>'
        )

    for body_key, instrument_key in established:
        edge(("instrument", instrument_key), ("body", body_key), "edge-established")
    for body_key, treaty_key in mandates:
        edge(("body", body_key), ("treaty", treaty_key), "edge-mandate")

    if root:
        centre = columns[1] + box_w / 2
        if bodies:
            parts.append(
                f'<path d="M{centre:.0f},{20 + root_h:.0f} L{centre:.0f},{top - 34:.0f}" '
                f'class="edge-parent" stroke="#1f5f99" stroke-width="2" fill="none"/>'
            )
        parts.append(_box(root, columns[0], 20, root_w, root_h, "node-root", root_lines, rtl=rtl))

    for kind, nodes in (("instrument", instruments), ("body", bodies), ("treaty", treaties)):
        for node in nodes:
            x, y = positions[(kind, node.key)]
            parts.append(
                _box(node, x, y, box_w, box_h, f"node-{kind}", lines_of[id(node)], rtl=rtl)
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _box(
    node: Node,
    x: float,
    y: float,
    w: float,
    h: float,
    css: str,
    lines: list[str],
    rtl: bool = False,
) -> str:
    first_y = y + h / 2 + 4 - (len(lines) - 1) * 7.5
    inner = (
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" rx="6" '
        f'class="{escape(css)}"/>'
        + _text(x + w / 2, first_y, lines, size=12, anchor="middle", rtl=rtl)
    )
    return _link(node.href, inner, node.label)
