"""Linked-data pages: every IRI under the base, in six languages."""
