"""The record models: what a policy, model, news item or organization is.

Models are strict: unknown keys are refused and nothing is coerced (``no`` is not ``False``,
``1.10`` is not the text ``"1.10"``). Rules that involve several fields of one record live in
``schemas/rules.py``; rules across records in ``schemas/crosscheck.py``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from schemas.dates import PartialDate
from schemas.vocabularies import is_country_code, is_jurisdiction_code, term_type

SCHEMA_VERSION = "1.0"

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
HF_REPO_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$"
HF_ORG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_ID_RE = re.compile(ID_PATTERN)


def _check_id(value: str) -> str:
    if not _ID_RE.match(value) or len(value) > 80:
        raise PydanticCustomError(
            "record_id",
            "{value} is not a record id: use lowercase letters, digits and single hyphens "
            "(at most 80 characters)",
            {"value": repr(value)},
        )
    return value


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise PydanticCustomError(
            "url_scheme", "{value} is not an http or https URL", {"value": repr(value)}
        )
    if not parts.hostname or any(char.isspace() for char in value):
        raise PydanticCustomError("url", "{value} is not a valid URL", {"value": repr(value)})
    return value


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _check_text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("empty_text", "must not be empty")
    found = _CONTROL.search(value)
    if found:
        raise PydanticCustomError(
            "control_character",
            "contains the control character U+{code}; remove it",
            {"code": f"{ord(found.group()):04X}"},
        )
    return value


def _check_country(value: str) -> str:
    if not is_country_code(value):
        raise PydanticCustomError(
            "country",
            "{value} is not an ISO 3166-1 alpha-2 country code, EU or INT",
            {"value": repr(value)},
        )
    return value


def _check_jurisdiction(value: str) -> str:
    if not is_jurisdiction_code(value):
        raise PydanticCustomError(
            "jurisdiction",
            "{value} is not an ISO 3166-1 alpha-2 code, an ISO 3166-2 subdivision "
            "(such as US-CA), EU or INT",
            {"value": repr(value)},
        )
    return value


RecordId = Annotated[
    str,
    AfterValidator(_check_id),
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "maxLength": 80}),
]
Url = Annotated[
    str,
    AfterValidator(_check_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
Text = Annotated[
    str, AfterValidator(_check_text), WithJsonSchema({"type": "string", "minLength": 1})
]
CountryCode = Annotated[
    str,
    AfterValidator(_check_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2,3}$"}),
]
Jurisdiction = Annotated[
    str,
    AfterValidator(_check_jurisdiction),
    WithJsonSchema({"type": "string", "pattern": "^([A-Z]{2}(-[A-Z0-9]{1,3})?|INT)$"}),
]
HuggingFaceRepo = Annotated[str, Field(pattern=HF_REPO_PATTERN)]
HuggingFaceOrg = Annotated[str, Field(pattern=HF_ORG_PATTERN)]
Count = Annotated[int, Field(gt=0)]

TopicTag = term_type("tags", "tag")
RelationType = term_type("relations", "relation type")
Instrument = term_type("instruments", "instrument")
Status = term_type("statuses", "status")
Stance = term_type("stances", "open-source stance")
Modality = term_type("modalities", "modality")
License = term_type("licenses", "licence")
Access = term_type("access", "access level")
Artefact = term_type("released", "released artefact")
OrganizationType = term_type("organization-types", "organization type")


class StrictModel(BaseModel):
    """Base of every record part: unknown keys refused, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(StrictModel):
    """Where a claim comes from. The first source of a record is its primary source."""

    url: Url
    title: Text
    publisher: Text
    published: PartialDate | None = None
    quote: Text | None = None
    archived_url: Url | None = None


class Relation(StrictModel):
    """A link to another record, optionally typed."""

    id: RecordId
    type: RelationType | None = None


def _related_form(value: Any) -> str:
    return "plain" if isinstance(value, str) else "typed"


#: A related record: a bare id, or ``{id: ..., type: ...}``.
RelatedItem = Annotated[
    Annotated[RecordId, Tag("plain")] | Annotated[Relation, Tag("typed")],
    Discriminator(_related_form),
]


class Record(StrictModel):
    """Fields every record has."""

    kind_name: ClassVar[str]
    folder: ClassVar[str]
    #: Fields holding ids of other records, with the kind each must have (None: any kind).
    reference_fields: ClassVar[dict[str, str | None]] = {}

    id: RecordId
    title: Text
    date: PartialDate
    summary: Text
    sources: Annotated[list[Source], Field(min_length=1)]
    tags: list[TopicTag] = []
    related: list[RelatedItem] = []
    added: PartialDate
    last_verified: PartialDate | None = None

    @property
    def relations(self) -> list[Relation]:
        """``related`` with plain ids turned into untyped relations."""
        return [Relation(id=item) if isinstance(item, str) else item for item in self.related]

    def references(self) -> list[tuple[tuple[str | int, ...], str, str | None]]:
        """Every id this record points at: (field path, id, expected kind or None)."""
        found: list[tuple[tuple[str | int, ...], str, str | None]] = []
        for name, expected in self.reference_fields.items():
            value = getattr(self, name)
            if isinstance(value, str):
                found.append(((name,), value, expected))
            elif isinstance(value, list):
                found.extend(((name, index), item, expected) for index, item in enumerate(value))
        for index, item in enumerate(self.related):
            if isinstance(item, str):
                found.append((("related", index), item, None))
            else:
                found.append((("related", index, "id"), item.id, None))
        return found


class PolicyDates(StrictModel):
    announced: PartialDate | None = None
    introduced: PartialDate | None = None
    signed: PartialDate | None = None
    adopted: PartialDate | None = None
    decided: PartialDate | None = None
    published: PartialDate | None = None
    effective: PartialDate | None = None
    applies_from: PartialDate | None = None
    revoked: PartialDate | None = None


class Milestone(StrictModel):
    date: PartialDate
    title: Text


class Case(StrictModel):
    """What a court ruling decided: the parties, the docket and the holding."""

    parties: Annotated[list[Text], Field(min_length=2)]
    docket: Text | None = None
    holding: Text


class Policy(Record):
    """A government or multilateral document that shapes AI."""

    kind_name = "policy"
    folder = "policies"
    reference_fields = {"issuer": "organization"}

    kind: Literal["policy"]
    jurisdiction: Jurisdiction
    issuer: RecordId
    instrument: Instrument
    status: Status
    document_number: Text | None = None
    dates: PolicyDates = PolicyDates()
    milestones: list[Milestone] = []
    case: Case | None = None
    open_source_stance: Stance
    stance_quote: Text | None = None


class Parameters(StrictModel):
    total: Count | None = None
    active: Count | None = None


class VariantLicense(StrictModel):
    """Sizes or variants of a family published under another licence than the record's."""

    variants: Annotated[list[Text], Field(min_length=1)]
    license: License


class ModelDates(StrictModel):
    announced: PartialDate | None = None
    weights_released: PartialDate | None = None
    paper: PartialDate | None = None


class Model(Record):
    """A release of AI model weights or an AI system."""

    kind_name = "model"
    folder = "models"
    reference_fields = {"organization": "organization", "base_model": "model"}

    kind: Literal["model"]
    organization: RecordId
    modality: Annotated[list[Modality], Field(min_length=1)]
    parameters: Parameters | None = None
    license: License
    variant_licenses: list[VariantLicense] = []
    access: Access
    released: list[Artefact] = []
    huggingface: list[HuggingFaceRepo] = []
    base_model: RecordId | None = None
    dates: ModelDates = ModelDates()


class News(Record):
    """An article, analysis, announcement or event."""

    kind_name = "news"
    folder = "news"
    reference_fields = {"about": None}

    kind: Literal["news"]
    publisher: Text
    url: Url
    author: Text | None = None
    about: list[RecordId] = []


class Organization(Record):
    """A lab, company, agency, institute or community."""

    kind_name = "organization"
    folder = "organizations"
    reference_fields = {"parent": "organization"}

    kind: Literal["organization"]
    name: Text
    country: CountryCode
    type: OrganizationType
    url: Url
    huggingface: HuggingFaceOrg | None = None
    parent: RecordId | None = None
    aliases: list[Text] = []


AnyRecord = Policy | Model | News | Organization

#: Record model by kind, in the order kinds are shown.
MODELS: dict[str, type[Record]] = {
    "policy": Policy,
    "model": Model,
    "news": News,
    "organization": Organization,
}
#: Kind by folder name under ``records/``.
KIND_BY_FOLDER: dict[str, str] = {model.folder: kind for kind, model in MODELS.items()}


def model_for(kind: Any) -> type[Record] | None:
    """The record model for a ``kind`` value, or None when the kind is unknown."""
    return MODELS.get(kind) if isinstance(kind, str) else None
