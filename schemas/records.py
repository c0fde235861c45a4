"""The record models: what a policy, model, news item or organization is.

Models are strict: unknown keys are refused and nothing is coerced (``no`` is not ``False``,
``1.10`` is not the text ``"1.10"``). Rules that involve several fields of one record live in
``schemas/rules.py``; rules across records in ``schemas/crosscheck.py``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError, core_schema

from schemas.dates import PartialDate
from schemas.limits import MAX_LINE_CHARS, MAX_PASSAGE_CHARS, MAX_SUMMARY_CHARS, MAX_URL_CHARS
from schemas.vocabularies import InVocabulary, is_country_code, is_jurisdiction_code

SCHEMA_VERSION = "1.0"

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
HF_REPO_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$"
HF_ORG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_ID_RE = re.compile(ID_PATTERN.removeprefix("^").removesuffix("$"))
ID_MAX_CHARS = 80


def _check_id(value: str) -> str:
    if not _ID_RE.fullmatch(value) or len(value) > ID_MAX_CHARS:
        raise PydanticCustomError(
            "record_id",
            "{value} is not a record id: use lowercase letters, digits and single hyphens "
            "(at most 80 characters)",
            {"value": repr(value)},
        )
    return value


def _check_url(value: str) -> str:
    if len(value) > MAX_URL_CHARS:
        raise PydanticCustomError(
            "too_long",
            "a URL of {size} characters; at most {limit}",
            {"size": len(value), "limit": MAX_URL_CHARS},
        )
    found = _UNSEEN.search(value)
    if found or any(char.isspace() for char in value):
        raise PydanticCustomError(
            "url",
            "{value} is not a valid URL: it holds {what}",
            {"value": ascii(value), "what": describe_char(found.group() if found else " ")},
        )
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise PydanticCustomError(
            "url_scheme", "{value} is not an http or https URL", {"value": repr(value)}
        )
    if not parts.hostname:
        raise PydanticCustomError("url", "{value} is not a valid URL", {"value": repr(value)})
    return value


#: C0 and C1 controls: never in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Bidirectional embeddings, overrides and isolates: they make text read differently from
#: what it holds ("Trojan Source"), so they are refused everywhere.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Characters a reader cannot see, and controls: never in a URL.
_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")


def describe_char(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``: a character named so that a reader can find it."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _visible(value: str) -> bool:
    """True when the text shows at least one character (not only spaces and invisible marks)."""
    return any(
        not char.isspace() and unicodedata.category(char) not in ("Cf", "Cc", "Zs", "Mn")
        for char in value
    )


@dataclass(frozen=True)
class TextCheck:
    """Pydantic metadata for text: visible, bounded, no control or bidirectional characters."""

    limit: int

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            _text_check(self.limit), handler(source)
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "maxLength": self.limit}


def _text_check(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("empty_text", "must not be empty")
        if not _visible(value):
            raise PydanticCustomError(
                "invisible_text", "holds only invisible characters; write the text itself"
            )
        if len(value) > limit:
            raise PydanticCustomError(
                "too_long",
                "{size} characters; at most {limit}",
                {"size": len(value), "limit": limit},
            )
        found = _CONTROL.search(value) or _BIDI.search(value)
        if found:
            raise PydanticCustomError(
                "control_character",
                "contains the control character {char}; remove it",
                {"char": describe_char(found.group())},
            )
        return value

    return check


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
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN, "maxLength": ID_MAX_CHARS}),
]
Url = Annotated[
    str,
    AfterValidator(_check_url),
    WithJsonSchema(
        {"type": "string", "format": "uri", "pattern": "^https?://", "maxLength": MAX_URL_CHARS}
    ),
]
#: One line of text: titles, names, publishers.
Text = Annotated[str, TextCheck(MAX_LINE_CHARS)]
#: A quoted passage or a holding.
Passage = Annotated[str, TextCheck(MAX_PASSAGE_CHARS)]
Summary = Annotated[str, TextCheck(MAX_SUMMARY_CHARS)]
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

TopicTag = Annotated[str, InVocabulary("tags", "tag")]
RelationType = Annotated[str, InVocabulary("relations", "relation type")]
Instrument = Annotated[str, InVocabulary("instruments", "instrument")]
Status = Annotated[str, InVocabulary("statuses", "status")]
Stance = Annotated[str, InVocabulary("stances", "open-source stance")]
ProvisionEffect = Annotated[str, InVocabulary("provision-effects", "provision effect")]
ProvisionSubject = Annotated[str, InVocabulary("provision-subjects", "provision subject")]
ActionStatus = Annotated[str, InVocabulary("action-statuses", "action status")]
Modality = Annotated[str, InVocabulary("modalities", "modality")]
#: How a model names its licence: a licence record's id, SPDX identifier or alias.
LicenseId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.+-]*$", max_length=80)]
CommercialUse = Annotated[str, InVocabulary("commercial-use", "commercial use")]
LicenseCategory = Annotated[str, InVocabulary("license-categories", "licence category")]
OutputTraining = Annotated[str, InVocabulary("output-training", "output use")]
ThresholdEffect = Annotated[str, InVocabulary("threshold-effects", "threshold effect")]
ComponentStatus = Annotated[str, InVocabulary("component-statuses", "component status")]
Access = Annotated[str, InVocabulary("access", "access level")]
Artefact = Annotated[str, InVocabulary("released", "released artefact")]
OrganizationType = Annotated[str, InVocabulary("organization-types", "organization type")]


class StrictModel(BaseModel):
    """Base of every record part: unknown keys refused, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(StrictModel):
    """Where a claim comes from. The first source of a record is its primary source."""

    url: Url
    title: Text
    publisher: Text
    published: PartialDate | None = None
    quote: Passage | None = None
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

    #: The kind's name, its folder under ``records/``, and how people call one and several.
    kind_name: ClassVar[str]
    folder: ClassVar[str]
    label: ClassVar[str]
    plural: ClassVar[str]
    #: The field naming the organization behind the record (developer, issuer), if any.
    organization_field: ClassVar[str | None] = None
    #: The field holding the record's own place (a jurisdiction or country code), if any;
    #: ``place_from_organization`` takes the place of that organization instead.
    place_field: ClassVar[str | None] = None
    place_from_organization: ClassVar[bool] = False
    #: Fields holding the address of what the record is about: cited like a source, so two
    #: records for one article are caught as duplicates.
    url_fields: ClassVar[tuple[str, ...]] = ()
    #: The kind's own lines of a new record file (``osai new``); ``{name}`` lists the values
    #: of the vocabulary ``name``.
    scaffold: ClassVar[tuple[str, ...]] = ()
    #: Fields holding ids of other records, with the kind each must have (None: any kind).
    reference_fields: ClassVar[dict[str, str | None]] = {}

    id: RecordId
    title: Text
    date: PartialDate
    summary: Summary
    sources: Annotated[list[Source], Field(min_length=1)]
    tags: list[TopicTag] = []
    related: list[RelatedItem] = []
    added: PartialDate
    last_verified: PartialDate | None = None

    def organization_id(self) -> str | None:
        """The organization behind the record: a model's developer, a policy's issuer."""
        return getattr(self, self.organization_field) if self.organization_field else None

    def own_place(self) -> str | None:
        """The record's own place code, when its kind has one."""
        return getattr(self, self.place_field) if self.place_field else None

    @property
    def is_event(self) -> bool:
        """Its date is something that happened, so it belongs on the timeline."""
        return True

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
    holding: Passage


class Provision(StrictModel):
    """One part of a policy that concerns open-source or open-weight AI, in its own words."""

    #: The article, section or paragraph, numbered as the document numbers it.
    ref: Text
    effect: ProvisionEffect
    applies_to: Annotated[list[ProvisionSubject], Field(min_length=1)]
    summary: Text
    quote: Passage
    #: The page the quote is from: one of the record's sources (the first when absent).
    source: Url | None = None
    #: When the provision starts to apply, if later than the policy itself.
    applies_from: PartialDate | None = None


class RecordEvidence(StrictModel):
    """Evidence that is another record of the tracker (an order, a programme, a news item)."""

    record: RecordId


def _evidence_form(value: Any) -> str:
    is_record = isinstance(value, RecordEvidence) or (isinstance(value, dict) and "record" in value)
    return "evidence-record" if is_record else "evidence-page"


#: Evidence for an action item's status: ``{record: id}`` or a source (url, title, publisher).
Evidence = Annotated[
    Annotated[RecordEvidence, Tag("evidence-record")] | Annotated[Source, Tag("evidence-page")],
    Discriminator(_evidence_form),
]


class ActionItem(StrictModel):
    """A recommended action of a plan or strategy, and how far it has got."""

    #: Where the plan states it (section, paragraph or numbered recommendation).
    ref: Text | None = None
    #: The action as the plan words it.
    text: Passage
    #: The body the plan makes responsible, as the plan names it.
    responsible: Text
    status: ActionStatus
    #: When the status took effect (the date of the evidence that set it).
    since: PartialDate | None = None
    evidence: list[Evidence] = []
    note: Text | None = None


class Policy(Record):
    """A government or multilateral document that shapes AI."""

    kind_name = "policy"
    folder = "policies"
    label = "Policy"
    plural = "policies"
    reference_fields = {"issuer": "organization"}
    organization_field = "issuer"
    place_field = "jurisdiction"
    scaffold = (
        'jurisdiction: ""  # ISO 3166-1 alpha-2 (US, CN, GB), a subdivision (US-CA), EU or INT',
        'issuer: ""  # organization id',
        'instrument: ""  # one of: {instruments}',
        'status: ""  # one of: {statuses}',
        "dates: {{}}  # announced, introduced, signed, adopted, decided, published, effective, "
        "applies_from, revoked",
        "# case: {{parties: [], docket: '', holding: ''}}  # court rulings only",
        'open_source_stance: ""  # one of: {stances}',
        'stance_quote: ""  # the policy\'s own words; remove when not-addressed',
        "# provisions:  # the parts that concern open-source or open-weight AI",
        "#   - {{ref: 'Article 53(2)', effect: '', applies_to: [], summary: '', quote: ''}}",
        "#     # effect, one of: {provision-effects}; applies_to, any of: {provision-subjects}",
        "# action_items:  # a plan's recommended actions that concern open-source AI",
        "#   - {{text: '', responsible: '', status: '', since: '', evidence: [{{record: ''}}]}}",
        "#     # status, one of: {action-statuses}",
    )

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
    stance_quote: Passage | None = None
    provisions: list[Provision] = []
    action_items: list[ActionItem] = []

    def references(self) -> list[tuple[tuple[str | int, ...], str, str | None]]:
        found = super().references()
        for index, item in enumerate(self.action_items):
            for number, evidence in enumerate(item.evidence):
                if isinstance(evidence, RecordEvidence):
                    path = ("action_items", index, "evidence", number, "record")
                    found.append((path, evidence.record, None))
        return found


class Parameters(StrictModel):
    total: Count | None = None
    active: Count | None = None


class VariantLicense(StrictModel):
    """Sizes or variants of a family published under another licence than the record's."""

    variants: Annotated[list[Text], Field(min_length=1)]
    license: LicenseId


class Component(StrictModel):
    """Whether one part of a release was published, and the page that shows it."""

    status: ComponentStatus
    evidence: Url | None = None
    note: Text | None = None


class Components(StrictModel):
    """What a release published, component by component (``vocabularies/components.yaml``)."""

    weights: Component | None = None
    inference_code: Component | None = None
    training_code: Component | None = None
    training_data: Component | None = None
    data_processing_code: Component | None = None
    evaluation_code: Component | None = None
    intermediate_checkpoints: Component | None = None
    technical_report: Component | None = None
    model_card: Component | None = None


class ModelDates(StrictModel):
    announced: PartialDate | None = None
    weights_released: PartialDate | None = None
    paper: PartialDate | None = None


class Model(Record):
    """A release of AI model weights or an AI system."""

    kind_name = "model"
    folder = "models"
    label = "Model"
    plural = "models"
    reference_fields = {"organization": "organization", "base_model": "model", "license": "license"}
    organization_field = "organization"
    place_from_organization = True
    scaffold = (
        'organization: ""  # organization id of the developer',
        "modality: []  # one of: {modalities}",
        "parameters: {{}}  # total: 7000000000, active: ...",
        'license: ""  # id, SPDX identifier or alias of a licence record (records/licenses/)',
        "variant_licenses: []  # {{variants: [...], license: ...}}: sizes under other licences",
        'access: ""  # one of: {access}',
        "released: []  # one of: {released}",
        "huggingface: []  # repository ids, owner/name",
        "dates: {{}}  # announced, weights_released, paper",
        "components: {{}}  # {components}: {{status: ..., evidence: URL}}",
    )

    kind: Literal["model"]
    organization: RecordId
    modality: Annotated[list[Modality], Field(min_length=1)]
    parameters: Parameters | None = None
    license: LicenseId
    variant_licenses: list[VariantLicense] = []
    access: Access
    released: list[Artefact] = []
    huggingface: list[HuggingFaceRepo] = []
    base_model: RecordId | None = None
    dates: ModelDates = ModelDates()
    components: Components | None = None

    def references(self) -> list[tuple[tuple[str | int, ...], str, str | None]]:
        found = super().references()
        found += [
            (("variant_licenses", index, "license"), variant.license, "license")
            for index, variant in enumerate(self.variant_licenses)
        ]
        return found


class News(Record):
    """An article, analysis, announcement or event."""

    kind_name = "news"
    folder = "news"
    label = "News"
    plural = "news"
    reference_fields = {"about": None}
    url_fields = ("url",)
    scaffold = (
        'publisher: ""',
        'url: ""',
        "about: []  # ids of the records the article concerns",
    )

    kind: Literal["news"]
    publisher: Text
    url: Url
    author: Text | None = None
    about: list[RecordId] = []


class Organization(Record):
    """A lab, company, agency, institute or community."""

    kind_name = "organization"
    folder = "organizations"
    label = "Organization"
    plural = "organizations"
    reference_fields = {"parent": "organization"}
    place_field = "country"
    scaffold = (
        'name: ""  # full official name',
        'country: ""  # ISO 3166-1 alpha-2 code, EU or INT',
        'type: ""  # one of: {organization-types}',
        'url: ""',
        "parent: null  # id of the organization it belongs to, if any",
        "aliases: []",
    )

    kind: Literal["organization"]
    name: Text
    country: CountryCode
    type: OrganizationType
    url: Url
    huggingface: HuggingFaceOrg | None = None
    parent: RecordId | None = None
    aliases: list[Text] = []


class Term(StrictModel):
    """One term of a licence, and the licence's own words that establish it."""

    quote: Passage
    #: Where in the text (a section or clause number), if it numbers them.
    section: Text | None = None


class CommercialUseTerm(Term):
    value: CommercialUse


class ThresholdTerm(Term):
    value: Count
    #: What the threshold counts: "monthly active users", "USD yearly revenue", ...
    unit: Text
    #: What crossing it asks of the licensee.
    effect: ThresholdEffect


class UsePolicyTerm(Term):
    value: Literal["incorporated"]
    #: The licensor may change the policy without the licensee's consent (None: the texts read
    #: do not say).
    licensor_may_change: bool | None = None
    url: Url | None = None


class TerritoryTerm(Term):
    value: Annotated[list[CountryCode], Field(min_length=1)]


class OutputTrainingTerm(Term):
    value: OutputTraining


class TextTerm(Term):
    value: Text


class LicenseTerms(StrictModel):
    """The terms that matter for openness, each quoted from the licence text."""

    commercial_use: CommercialUseTerm | None = None
    user_threshold: ThresholdTerm | None = None
    acceptable_use_policy: UsePolicyTerm | None = None
    territories_excluded: TerritoryTerm | None = None
    attribution: TextTerm | None = None
    output_training: OutputTrainingTerm | None = None
    field_of_use: TextTerm | None = None
    termination: TextTerm | None = None


class License(Record):
    """A licence (one version) under which model weights are published."""

    kind_name = "license"
    folder = "licenses"
    label = "Licence"
    plural = "licences"
    reference_fields = {"publisher": "organization"}
    organization_field = "publisher"
    scaffold = (
        'name: ""  # the licence\'s full name',
        'version: ""  # remove if it has none',
        'publisher: ""  # organization id of the licensor, if it has a record',
        'publisher_name: ""  # the licensor as the text names it',
        'url: ""  # where the text is',
        'category: ""  # one of: {license-categories}',
        "osi_approved: false",
        "aliases: []  # other identifiers model records use for it",
        "terms: {{}}  # commercial_use, user_threshold, acceptable_use_policy, "
        "territories_excluded, attribution, output_training, field_of_use, termination: "
        "each a value and a quote",
    )

    kind: Literal["license"]
    name: Text
    version: Text | None = None
    publisher: RecordId | None = None
    publisher_name: Text
    url: Url | None = None
    category: LicenseCategory
    spdx: LicenseId | None = None
    osi_approved: bool = False
    aliases: list[LicenseId] = []
    terms: LicenseTerms = LicenseTerms()

    @property
    def is_event(self) -> bool:
        """The ``proprietary`` marker stands for the absence of a licence: nothing happened."""
        return self.category != "proprietary"

    @property
    def names(self) -> list[str]:
        """Every identifier that names this licence: its id, SPDX identifier and aliases."""
        return [self.id, *([self.spdx] if self.spdx else []), *self.aliases]

    def restrictions(self) -> list[str]:
        """What keeps weights under this licence from being unrestricted 'open-weights' (the
        access vocabulary's definition); empty when nothing does."""
        terms = self.terms
        if self.category == "proprietary":
            return ["is no public licence"]
        found = []
        if terms.commercial_use is not None and terms.commercial_use.value == "forbidden":
            found.append("forbids commercial use")
        elif terms.commercial_use is not None and terms.commercial_use.value == "conditional":
            found.append("allows commercial use only under conditions")
        if terms.user_threshold is not None and terms.user_threshold.effect == "separate-licence":
            found.append("needs a separate licence above a user or revenue threshold")
        if terms.acceptable_use_policy is not None:
            found.append("incorporates an acceptable-use policy")
        if terms.field_of_use is not None:
            found.append("limits the field of use")
        if terms.territories_excluded is not None:
            found.append("excludes territories")
        return found


AnyRecord = Policy | Model | News | Organization | License

#: Record model by kind, in the order kinds are shown.
MODELS: dict[str, type[Record]] = {
    model.kind_name: model for model in (Policy, Model, News, Organization, License)
}
#: Kind by folder name under ``records/``.
KIND_BY_FOLDER: dict[str, str] = {model.folder: kind for kind, model in MODELS.items()}


def model_for(kind: Any) -> type[Record] | None:
    """The record model for a ``kind`` value, or None when the kind is unknown."""
    return MODELS.get(kind) if isinstance(kind, str) else None
