"""Whole-store counts the pages show: instances per class on the home page, the parent
bodies its diagram may draw, the total of a class on /list. Computed off the request path
once per store revision (store/aggregates.py)."""

from __future__ import annotations

import pyoxigraph as ox

from graph_service.store import Store
from graph_service.store.aggregates import Aggregates, NotReady, Result
from graph_service.vocabulary import entity_iri
from graph_service.web.pages import descriptions as d

CLASS_TOTALS = "class-totals"


def home_name(base_iri: str) -> str:
    return "home-counts " + base_iri


def home_counts(store: Store, base_iri: str) -> Result:
    classes = d.rows(store, "class_counts", prefix=ox.Literal(entity_iri(base_iri, "")))
    parents = d.rows(store, "structure_parents")
    return Result(
        {
            "classes": [[r["class"].value, int(r["n"].value)] for r in classes],
            "parents": [r["parent"].value for r in parents],
        }
    )


def class_totals(store: Store) -> Result:
    return Result({r["class"].value: int(r["n"].value) for r in d.rows(store, "class_totals")})


def define(aggregates: Aggregates, base_iri: str) -> None:
    aggregates.define(home_name(base_iri), lambda store: home_counts(store, base_iri))
    aggregates.define(CLASS_TOTALS, class_totals)


def classes(aggregates: Aggregates, base_iri: str) -> list[tuple[str, int]]:
    """(class, instances under the base) for the home page, most instances first."""
    return [(c, n) for c, n in aggregates.get(home_name(base_iri)).value["classes"]]


def parent_bodies(aggregates: Aggregates, base_iri: str) -> list[str]:
    """Bodies with subsidiary bodies, the one with most first."""
    return list(aggregates.get(home_name(base_iri)).value["parents"])


def class_total(aggregates: Aggregates, class_iri: str) -> int | None:
    """Instances of the class and its subclasses; None while never counted."""
    try:
        return aggregates.get(CLASS_TOTALS).value.get(class_iri, 0)
    except NotReady:
        return None
