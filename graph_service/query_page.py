"""The human query page: YASGUI, vendored, on GET /sparql with Accept: text/html."""

from __future__ import annotations

from flask import render_template_string, request

_FALLBACK = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>SPARQL query</title></head><body><h1>SPARQL query</h1>
<form method="get" action="{{ action }}"><textarea name="query" rows="12" cols="80">
SELECT * WHERE { ?s ?p ?o } LIMIT 10</textarea><br>
<button type="submit">Run query</button></form></body></html>"""


def render_query_page():
    """A Flask response with the query page for people."""
    return render_template_string(_FALLBACK, action=request.path)
