"""What a record is: models, vocabularies, loading with located errors, cross-record checks."""

from schemas.dates import PartialDate, Precision
from schemas.knowledge_base import KnowledgeBase, LoadedRecord
from schemas.loading import (
    KnowledgeBaseError,
    find_record_files,
    load_file,
    load_records,
    open_knowledge_base,
    validate_text,
)
from schemas.problems import Problem
from schemas.records import (
    MODELS,
    SCHEMA_VERSION,
    ActionItem,
    License,
    Model,
    News,
    Organization,
    Policy,
    Provision,
    Record,
    RecordEvidence,
    Source,
)

__all__ = [
    "MODELS",
    "SCHEMA_VERSION",
    "ActionItem",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "License",
    "LoadedRecord",
    "Model",
    "News",
    "Organization",
    "PartialDate",
    "Policy",
    "Precision",
    "Problem",
    "Provision",
    "Record",
    "RecordEvidence",
    "Source",
    "find_record_files",
    "load_file",
    "load_records",
    "open_knowledge_base",
    "validate_text",
]
