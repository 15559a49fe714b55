"""A remote SPARQL 1.1 engine as the store: reached over the SPARQL Protocol (queries,
updates) and the Graph Store Protocol (whole graphs). See docs/remote-engines.md and
docs/decisions/0009-remote-engines.md."""
