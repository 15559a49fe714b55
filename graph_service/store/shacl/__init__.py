"""SHACL validation in the store's own engine: the shapes compiled to SPARQL (`compiler`),
run once over the data or for the focus nodes a change affects (`engine`); pySHACL
(`store/validation.py`) remains the reference and runs what is not compiled."""

from graph_service.store.shacl.engine import Validator, View, validator_for
from graph_service.store.shacl.focus import Touched

__all__ = ["Touched", "Validator", "View", "validator_for"]
