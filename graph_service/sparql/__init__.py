"""The SPARQL layer: running queries under limits, results, federation, tokens."""
