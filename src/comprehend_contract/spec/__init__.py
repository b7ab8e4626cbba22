"""The spec as data: JSON Schemas with Unicode-correct patterns, and the clause catalogue.

Every other part of the kit (suite, reference server, reports) reads the spec from here.
"""

from comprehend_contract.spec.clauses import Clause, ClauseCatalogue, Level, UnknownClause, catalogue
from comprehend_contract.spec.schemas import (
    SchemaName,
    TimestampForm,
    UnknownSchema,
    load_schema,
    schema_names,
    validator_for,
)

__all__ = [
    "Clause",
    "ClauseCatalogue",
    "Level",
    "SchemaName",
    "TimestampForm",
    "UnknownClause",
    "UnknownSchema",
    "catalogue",
    "load_schema",
    "schema_names",
    "validator_for",
]
