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


def _wrap(text: str, width: int, max_lines: int = 3) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, width - 1)] + "…"
    return lines or [""]


def _text(x: float, y: float, lines: list[str], *, size: int = 12, anchor: str = "start",
          weight: str = "normal", css: str = "") -> str:
    spans = "".join(
        f'<tspan x="{x:.0f}" dy="{0 if i == 0 else size + 3}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" class="{escape(css)}">{spans}</text>'
    )


def _link(href: str, inner: str, title: str) -> str:
    return f'<a href="{escape(href)}"><title>{escape(title)}</title>{inner}</a>'


def timeline(entries: list[TimelineEntry], *, title: str, report_word: str) -> Markup:
    """Meetings top to bottom in date order on a vertical axis, one year marker per year."""
    row, top, width = 64, 36, 760
    height = top + row * max(1, len(entries)) + 10
    axis_x = 120
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'width="100%" viewBox="0 0 {width} {height}" direction="ltr" '
        f'font-family="{escape(FONT)}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{axis_x}" y1="{top - 16}" x2="{axis_x}" y2="{height - 10}" '
        f'class="axis" stroke="#5b7a99" stroke-width="2"/>',
    ]
    last_year = None
    for index, entry in enumerate(entries):
        y = top + index * row
        if entry.year != last_year:
            parts.append(_text(axis_x - 14, y + 5, [entry.year], size=15, anchor="end",
                               weight="bold", css="year"))
            last_year = entry.year
        parts.append(f'<circle cx="{axis_x}" cy="{y}" r="7" fill="#1f5f99" class="marker"/>')
        parts.append(_link(entry.href, _text(axis_x + 20, y + 5, [entry.title], size=14,
                                             weight="bold", css="meeting-title"), entry.title))
        detail = " · ".join(part for part in (entry.dates, entry.place) if part)
        parts.append(_text(axis_x + 20, y + 24, [detail], size=12, css="meeting-detail"))
        x = axis_x + 20 + max(7 * len(detail), 200) + 16
        for href, symbol in entry.reports:
            label = f"{report_word} {symbol}"
            parts.append(_link(href, _text(x, y + 24, [label], size=12, css="report-link"),
                               label))
            x += 8 * len(label) + 12
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
) -> Markup:
    """Instruments (left) -> working groups (middle) -> treaties (right), the COP on top.

    `established` holds (body key, instrument key) and `mandates` (body key, treaty key).
    """
    box_w, box_h, gap = 230, 46, 14
    columns = (20, 320, 620)
    width = columns[2] + box_w + 20
    top = 150 if root else 60
    rows = max(len(bodies), len(instruments), len(treaties), 1)
    height = top + rows * (box_h + gap) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="structure" role="img" '
        f'width="100%" viewBox="0 0 {width} {height}" direction="ltr" '
        f'font-family="{escape(FONT)}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    positions: dict[tuple[str, str], tuple[float, float]] = {}

    def place(kind: str, nodes: list[Node], column: int) -> None:
        for index, node in enumerate(nodes):
            positions[(kind, node.key)] = (columns[column], top + index * (box_h + gap))

    place("instrument", instruments, 0)
    place("body", bodies, 1)
    place("treaty", treaties, 2)

    for index, heading in enumerate(column_titles):
        parts.append(_text(columns[index] + box_w / 2, top - 14, [heading], size=13,
                           anchor="middle", weight="bold", css="column-title"))

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
        rx, ry = columns[1], 20
        if bodies:
            for node in bodies:
                bx, by = positions[("body", node.key)]
                parts.append(
                    f'<path d="M{rx + box_w / 2:.0f},{ry + box_h:.0f} '
                    f'L{rx + box_w / 2:.0f},{top - 34:.0f}" class="edge-parent" '
                    f'stroke="#1f5f99" stroke-width="2" fill="none"/>'
                )
                break
        root_w = 2 * box_w
        parts.append(_box(root, rx + box_w / 2 - root_w / 2, ry, root_w, box_h, "node-root",
                          wrap=70))

    for kind, nodes in (("instrument", instruments), ("body", bodies), ("treaty", treaties)):
        for node in nodes:
            x, y = positions[(kind, node.key)]
            parts.append(_box(node, x, y, box_w, box_h, f"node-{kind}"))
    parts.append("</svg>")
    return Markup("".join(parts))


def _box(node: Node, x: float, y: float, w: float, h: float, css: str, wrap: int = 34) -> str:
    lines = _wrap(node.label, wrap, 2)
    first_y = y + h / 2 + 4 - (len(lines) - 1) * 7.5
    inner = (
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" rx="6" '
        f'class="{escape(css)}"/>' + _text(x + w / 2, first_y, lines, size=12, anchor="middle")
    )
    return _link(node.href, inner, node.label)
