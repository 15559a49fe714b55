"""The candidate graph's way out: validated with the rest of the store, then written to a
TriG file or swapped into the store in one transaction (all or nothing)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph_service.config import Config
from graph_service.ingest import Extraction, extract
from graph_service.ingest.diff import Diff, diff
from graph_service.ingest.reference import from_store
from graph_service.ingest.vocabulary import LABEL
from graph_service.store import Store
from graph_service.store.guarded_update import check_replacement
from graph_service.store.loading import ValidationFailed
from graph_service.store.opening import open_store
from graph_service.store.sources import read_sources
from graph_service.store.validation import ValidationReport
from graph_service.vocabulary import prefixes

PREFIXES = prefixes("untoc", "rdf", "rdfs", "xsd", "dcterms", "schema")


def context_store(store: Store | None, config: Config) -> Store:
    """What the candidate joins: the store, or the curated sources if the store is empty."""
    if store is not None and store.kind == "remote" and store.named_graphs():
        return Store.wrapping(store.content())  # one read of the engine, not one per fact
    if store is not None and store.named_graphs():
        return store
    context = Store(None)
    context.replace_graphs(read_sources(config.source_dirs, config.base_iri).graphs)
    return context


@dataclass
class Candidate:
    extraction: Extraction
    diff: Diff
    kept: list[ox.Triple]  # curators' facts of the previous version that are not extracted


def drop_known_labels(extraction: Extraction, context: Store) -> None:
    """Labels are the curators' wording: generated ones are proposed for new entities
    only; an entity the store already labels keeps its labels."""
    labelled = {
        t.subject
        for t in extraction.triples
        if t.predicate == LABEL
        and next(iter(context.quads_for_pattern(t.subject, LABEL, None, None)), None)
    }
    extraction.triples -= {t for t in extraction.triples
                           if t.predicate == LABEL and t.subject in labelled}  # fmt: skip


def prepare(path: Path, lang: str | None, store: Store | None, config: Config) -> Candidate:
    """Extract, compare with the previous version of the document's graph, keep the
    curators' facts the ingester does not extract, validate (incrementally: the nodes the
    new version of the graph touches, against the rest of the store). Raises IngestError
    (what could not be read) or ValidationFailed (the candidate's nodes break the shapes)."""
    context = context_store(store, config)
    reference = from_store(context, config.base_iri)
    extraction = extract(path, lang, config.base_iri, reference)
    drop_known_labels(extraction, context)
    result = diff(extraction.triples, context, extraction.graph.value, extraction.language)
    kept = [t for triples in result.not_extracted.values() for t in triples]
    extraction.triples.update(kept)
    report = check_replacement(context, extraction.graph.value, extraction.triples, config)
    subjects = {str(t.subject).strip("<>") for t in extraction.triples}
    own = [v for v in report.violations if v.focus_node.strip("<>") in subjects]
    if any(v.severity == "Violation" for v in own):
        raise ValidationFailed(ValidationReport(conforms=False, violations=own))
    return Candidate(extraction, result, kept)


def trig(extraction: Extraction) -> bytes:
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, extraction.graph)
        for t in sorted(extraction.triples, key=str)
    ]
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""


def write_trig(extraction: Extraction, out: Path) -> None:
    """Write atomically: a reader never sees half a file."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(trig(extraction))
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_candidate(extraction: Extraction, config: Config, store: Store | None = None) -> None:
    """Swap the validated candidate in, replacing the document's graph in one transaction
    (Store.replace_graphs, as the loader does). `store` is an open store (tests);
    otherwise config.store_path, opened for writing only now, after validation.
    Validation was done by `prepare` on the candidate's own nodes: violations elsewhere in
    the store are not the candidate's to fix and do not block it."""
    target = store if store is not None else open_store(config)
    with target.write_lock():  # one writer at a time, across processes on a remote store
        target.replace_graphs({extraction.graph.value: sorted(extraction.triples, key=str)})
        target.flush()
