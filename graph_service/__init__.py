"""UNTOC Knowledge Graph service: store, SPARQL, linked-data pages, ingestion, command line.

The package reads top to bottom: `cli` and `ingest` use `web`, `sparql` and `store`; `web`
uses `sparql` and `store`; `sparql` uses `store`; all of them use `config`, `vocabulary`,
`formats` and `i18n`. The layers are checked by import-linter (`make lint`).
"""
