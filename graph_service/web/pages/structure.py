"""The home page's diagram of the institutional structure: one parent body, its subsidiary
bodies, the instruments that established them and the treaties their mandates concern."""

from __future__ import annotations

import pyoxigraph as ox
from flask_babel import gettext

from graph_service import i18n
from graph_service.store.aggregates import NotReady
from graph_service.vocabulary import UNTOC, entity_iri
from graph_service.web.context import get_aggregates, get_config, get_store
from graph_service.web.pages import counts
from graph_service.web.pages import descriptions as d
from graph_service.web.pages import diagrams as svg
from graph_service.web.pages.ui import Ui

MAX_DIAGRAM_BODIES = 12


def diagram(ui: Ui):
    """The diagram of one parent body (the dataset's COP when there, else the body with most
    subsidiary bodies) and at most MAX_DIAGRAM_BODIES of its bodies."""
    store = get_store()
    base = get_config().base_iri
    cop = entity_iri(base, "body/cop")
    try:
        parents = counts.parent_bodies(get_aggregates(), base)
    except NotReady:  # never counted yet: the dataset's COP, if it has subsidiary bodies
        parents = [cop]
    if not parents:
        return None
    parent = cop if cop in parents else parents[0]
    found = d.rows(store, "structure", parent=ox.NamedNode(parent))
    if not found:
        return None
    kept = sorted({r["body"].value for r in found})[:MAX_DIAGRAM_BODIES]
    found = [r for r in found if r["body"].value in kept]
    ui.ensure_labels({r[k].value for r in found for k in r if isinstance(r[k], ox.NamedNode)})

    def node(iri: str) -> svg.Node:
        return svg.Node(iri, ui.href(iri), ui.label(iri))

    parents = sorted({r["parent"].value for r in found})
    bodies: dict[str, svg.Node] = {}
    instruments: dict[str, svg.Node] = {}
    treaties: dict[str, svg.Node] = {}
    established: set[tuple[str, str]] = set()
    mandates: set[tuple[str, str]] = set()
    for row in found:
        body = row["body"].value
        bodies.setdefault(body, node(body))
        if row["instrument"] is not None:
            instruments.setdefault(row["instrument"].value, node(row["instrument"].value))
            established.add((body, row["instrument"].value))
        if row["treaty"] is not None:
            treaties.setdefault(row["treaty"].value, node(row["treaty"].value))
            mandates.add((body, row["treaty"].value))
    # Instruments and treaties follow the order of the bodies they belong to: fewer crossings.
    body_order = sorted(bodies, key=lambda b: bodies[b].label)
    rank = {b: i for i, b in enumerate(body_order)}
    first_rank: dict[str, int] = {}
    for body, other in sorted(established | mandates, key=lambda pair: rank[pair[0]]):
        first_rank.setdefault(other, rank[body])
    instrument_nodes = sorted(instruments.values(), key=lambda n: (first_rank[n.key], n.label))
    treaty_nodes = sorted(treaties.values(), key=lambda n: (first_rank[n.key], n.label))
    return svg.structure(
        node(parents[0]) if parents else None,
        [bodies[b] for b in body_order],
        instrument_nodes,
        treaty_nodes,
        sorted(established),
        sorted(mandates),
        title=gettext("Institutional structure"),
        column_titles=(
            i18n.capitalize(ui.label(UNTOC + "Instrument")),
            i18n.capitalize(ui.label(UNTOC + "WorkingGroup")),
            i18n.capitalize(ui.label(UNTOC + "Treaty")),
        ),
        rtl=ui.dir == "rtl",
    )
