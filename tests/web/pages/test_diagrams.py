"""Text in the SVG diagrams: wrapping and the spaces CLDR dates carry."""

from __future__ import annotations

from graph_service.web.pages.diagrams import text_width, wrap


def test_lines_break_at_plain_spaces_and_keep_no_break_spaces():
    date = "30 сентября — 3 октября 2023\u202fг."
    lines = wrap(f"{date} · Вена", 170, 12)
    assert len(lines) > 1
    assert any("2023\u202fг." in line for line in lines)  # "г." never starts a line
    assert " ".join(lines) == f"{date} · Вена"


def test_thin_spaces_are_narrower_than_plain_ones():
    assert text_width("2\u20093", 12) < text_width("2 3", 12)
