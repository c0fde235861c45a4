"""Open data: every record as JSON and CSV, one JSON file per record, the JSON Schemas, and
the policies' provisions and action items as CSV tables of their own."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from publish import paths
from publish.api import api_files, change_data
from publish.catalog import Catalog
from publish.database import records_database
from publish.markup import plain_text
from publish.openness import mof_class, osaid
from publish.paths import Site
from publish.provisions import PolicyProvisions
from schemas import SCHEMA_VERSION, License, Model, News, Organization, Record, RecordEvidence
from schemas.adoption import SNAPSHOT_COLUMNS
from schemas.json_schema import json_schema
from schemas.records import MODELS
from schemas.tombstones import Tombstone

DATA_LICENSE = "CC-BY-4.0"
DATA_LICENSE_NAME = "Creative Commons Attribution 4.0 International"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    value: Callable[[Record, Catalog], Any]


def _field(name: str) -> Callable[[Record, Catalog], Any]:
    return lambda record, _: getattr(record, name, None)


def _joined(values: Any) -> str:
    return "|".join(str(value) for value in values or [])


def _parameters(which: str) -> Callable[[Record, Catalog], Any]:
    def get(record: Record, _: Catalog) -> Any:
        params = getattr(record, "parameters", None)
        return getattr(params, which) if params else None

    return get


def _organization(record: Record, catalog: Catalog) -> str | None:
    org = catalog.organization_of(record)
    return org.id if org and not isinstance(record, Organization) else None


def _huggingface(record: Record, _: Catalog) -> str | None:
    if isinstance(record, Model):
        return _joined(record.huggingface)
    return record.huggingface if isinstance(record, Organization) else None


def _licence(record: Record, catalog: Catalog) -> License | None:
    return record if isinstance(record, License) else catalog.licence_of(record)


def _licence_id(record: Record, catalog: Catalog) -> str | None:
    licence = catalog.licence_of(record)
    return licence.id if licence else None


def _commercial_use(record: Record, catalog: Catalog) -> str | None:
    licence = _licence(record, catalog)
    term = licence.terms.commercial_use if licence else None
    return term.value if term else None


def _mof(record: Record, catalog: Catalog) -> str | None:
    if not isinstance(record, Model):
        return None
    return mof_class(record, catalog.licence_of(record)).label


def _osaid(record: Record, catalog: Catalog) -> str | None:
    if not isinstance(record, Model):
        return None
    return "yes" if osaid(record, catalog.licence_of(record)).met else "no"


def _url(record: Record, _: Catalog) -> str | None:
    return record.url if isinstance(record, News | Organization | License) else None


#: The CSV columns, in order; the Data page lists them with these meanings.
COLUMNS = [
    Column("id", "Record id (permanent).", _field("id")),
    Column("kind", "policy, model, news, organization or license.", _field("kind_name")),
    Column("title", "Title.", _field("title")),
    Column(
        "date", "The event's date: YYYY, YYYY-MM or YYYY-MM-DD.", lambda r, _: r.date.isoformat()
    ),
    Column("date_precision", "year, month or day.", lambda r, _: r.date.precision.value),
    Column("summary", "Summary as plain text.", lambda r, _: plain_text(r.summary)),
    Column(
        "place",
        "Jurisdiction of a policy, developer country of a model, country of an "
        "organization (ISO 3166 code, EU or INT).",
        lambda r, c: c.place(r),
    ),
    Column(
        "organization",
        "Developer of a model or issuer of a policy (organization id).",
        _organization,
    ),
    Column("instrument", "Policy instrument.", _field("instrument")),
    Column("status", "Policy status.", _field("status")),
    Column(
        "open_source_stance", "How a policy treats open-source AI.", _field("open_source_stance")
    ),
    Column(
        "license",
        "Model licence as the record names it (a licence record's id, SPDX identifier or alias).",
        _field("license"),
    ),
    Column("license_record", "Id of the model's licence record.", _licence_id),
    Column(
        "commercial_use",
        "Commercial use under the licence (of a licence, or of a model's licence): "
        "allowed, conditional or forbidden.",
        _commercial_use,
    ),
    Column("mof_class", "Model Openness Framework class computed for a model.", _mof),
    Column("meets_osaid", "Whether a model meets the Open Source AI Definition 1.0.", _osaid),
    Column("spdx", "SPDX identifier of a licence.", _field("spdx")),
    Column("access", "Model access level.", _field("access")),
    Column("parameters_total", "Total parameters of a model.", _parameters("total")),
    Column(
        "parameters_active",
        "Active parameters of a mixture-of-experts model.",
        _parameters("active"),
    ),
    Column(
        "modality",
        "Model modalities, separated by |.",
        lambda r, _: _joined(getattr(r, "modality", [])),
    ),
    Column(
        "huggingface",
        "Hugging Face repository ids of a model, separated by |, or an organization's id.",
        _huggingface,
    ),
    Column("base_model", "Id of the model a model derives from.", _field("base_model")),
    Column("publisher", "Publisher of a news item.", _field("publisher")),
    Column("url", "URL of a news article, an organization's website or a licence's text.", _url),
    Column("tags", "Tags, separated by |.", lambda r, _: _joined(r.tags)),
    Column(
        "related",
        "Related record ids, separated by |.",
        lambda r, _: _joined(x.id for x in r.relations),
    ),
    Column("primary_source", "URL of the primary source.", lambda r, _: r.sources[0].url),
    Column("sources", "Number of sources.", lambda r, _: len(r.sources)),
    Column("added", "Date the record entered the tracker.", lambda r, _: r.added.isoformat()),
    Column(
        "last_verified",
        "Date its sources were last checked.",
        lambda r, _: r.last_verified.isoformat() if r.last_verified else None,
    ),
    Column("page", "URL of the record's page.", lambda r, _: None),  # filled in by the writer
]

#: Spreadsheet programs run cells that start with these as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT_COLUMNS = {"title", "summary", "publisher"}


def record_data(record: Record, site: Site) -> dict[str, Any]:
    """One record as plain JSON data, with its page URL."""
    data = record.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    data["page_url"] = site.record_url(record.id)
    return data


def tombstone_data(stone: Tombstone, site: Site) -> dict[str, Any]:
    """A withdrawn or merged record as the exports mark it: what it was, what became of it."""
    data = stone.model_dump(mode="json")
    data["state"] = stone.state
    data["page_url"] = site.record_url(stone.id)
    if stone.moved_to:
        data["moved_to_url"] = site.record_url(stone.moved_to)
    return data


def _csv_bytes(
    header: list[str], rows: Iterable[list[Any]], defused: set[str] | None = None
) -> bytes:
    """A CSV table; a cell of a ``defused`` column (every column when None) that a spreadsheet
    would run as a formula gets a leading ``'``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for values in rows:
        row = []
        for name, value in zip(header, values, strict=True):
            text = "" if value is None else str(value)
            if (defused is None or name in defused) and text.startswith(_FORMULA_START):
                text = "'" + text
            row.append(text)
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def _csv(catalog: Catalog, records: list[Record], site: Site) -> bytes:
    rows = (
        [
            site.record_url(record.id) if column.name == "page" else column.value(record, catalog)
            for column in COLUMNS
        ]
        for record in records
    )
    return _csv_bytes([column.name for column in COLUMNS], rows, _TEXT_COLUMNS)


@dataclass(frozen=True)
class PartColumn:
    """A column of the provisions or action-items CSV: its name, meaning and value."""

    name: str
    meaning: str
    value: Callable[[Any, Site], Any]


def _policy_columns() -> list[PartColumn]:
    return [
        PartColumn("policy_id", "Id of the policy record.", lambda v, _: v.policy.id),
        PartColumn("policy_title", "Title of the policy.", lambda v, _: v.policy.title),
        PartColumn(
            "jurisdiction", "Jurisdiction code of the policy.", lambda v, _: v.policy.jurisdiction
        ),
        PartColumn("policy_date", "The policy's own date.", lambda v, _: v.policy.date.isoformat()),
    ]


PROVISION_COLUMNS = [
    *_policy_columns(),
    PartColumn("ref", "Article, section or paragraph.", lambda v, _: v.provision.ref),
    PartColumn("effect", "What it does (a provision effect).", lambda v, _: v.provision.effect),
    PartColumn(
        "applies_to",
        "What it applies to, joined with |.",
        lambda v, _: _joined(v.provision.applies_to),
    ),
    PartColumn("summary", "One sentence on what it says.", lambda v, _: v.provision.summary),
    PartColumn("quote", "The document's own words.", lambda v, _: v.provision.quote),
    PartColumn("source", "The page the quote is from.", lambda v, _: v.source_url),
    PartColumn(
        "applies_from",
        "When it starts to apply, if later than the policy.",
        lambda v, _: v.provision.applies_from.isoformat() if v.provision.applies_from else None,
    ),
    PartColumn(
        "page",
        "URL of the provision on its policy's page.",
        lambda v, site: site.record_url(v.policy.id) + "#" + v.anchor,
    ),
]

ACTION_COLUMNS = [
    *_policy_columns(),
    PartColumn("ref", "Where the plan states it.", lambda v, _: v.item.ref),
    PartColumn("text", "The action as the plan words it.", lambda v, _: v.item.text),
    PartColumn("responsible", "The body responsible.", lambda v, _: v.item.responsible),
    PartColumn("status", "An action status.", lambda v, _: v.item.status),
    PartColumn(
        "since",
        "When the status took effect.",
        lambda v, _: v.item.since.isoformat() if v.item.since else None,
    ),
    PartColumn(
        "as_of",
        "The day the status was checked (the policy's last_verified).",
        lambda v, _: (v.policy.last_verified or v.policy.added).isoformat(),
    ),
    PartColumn(
        "evidence",
        "Record ids and page URLs that show the status, joined with |.",
        lambda v, _: _joined(
            [e.record if isinstance(e, RecordEvidence) else e.url for e in v.item.evidence]
        ),
    ),
    PartColumn("note", "Why the status is what it is.", lambda v, _: v.item.note),
    PartColumn(
        "page",
        "URL of the item on its policy's page.",
        lambda v, site: site.record_url(v.policy.id) + "#" + v.anchor,
    ),
]


def _parts_csv(columns: list[PartColumn], views: list[Any], site: Site) -> bytes:
    rows = ([column.value(view, site) for column in columns] for view in views)
    return _csv_bytes([column.name for column in columns], rows)


def _json(value: Any) -> bytes:
    # Compact separators keep json on its C encoder: ten thousand files stay fast.
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def export_files(catalog: Catalog, site: Site) -> dict[str, bytes]:
    """``data/records.json``, ``data/records.csv``, ``data/records/<id>.json`` and schemas."""
    records = sorted(catalog.by_id.values(), key=lambda r: r.id)
    files: dict[str, bytes] = {}
    all_data = [record_data(record, site) for record in records]
    stones = [tombstone_data(stone, site) for _, stone in sorted(catalog.tombstones.items())]
    files[paths.DATA_JSON] = _json(
        {
            "schema_version": SCHEMA_VERSION,
            "license": DATA_LICENSE,
            "count": len(all_data),
            "records": all_data,
            "tombstones": stones,
        }
    )
    for stone in stones:
        files[paths.data_record(stone["id"])] = _json(
            {"schema_version": SCHEMA_VERSION, "license": DATA_LICENSE, "tombstone": stone}
        )
    files[paths.DATA_CSV] = _csv(catalog, records, site)
    history = catalog.history
    for record, data in zip(records, all_data, strict=True):
        changes = [change_data(change, site) for change in history.of(record.id)]
        files[paths.data_record(record.id)] = _json(
            {
                "schema_version": SCHEMA_VERSION,
                "license": DATA_LICENSE,
                "record": data,
                "history": {"available": history.available, "changes": changes},
            }
        )
    for kind in MODELS:
        files[paths.data_schema(kind)] = _json(json_schema(kind))
    policies = PolicyProvisions(catalog)
    files[paths.DATA_PROVISIONS_CSV] = _parts_csv(PROVISION_COLUMNS, policies.provisions, site)
    items = [view for _, views, _ in policies.plans for view in views]
    files[paths.DATA_ACTIONS_CSV] = _parts_csv(ACTION_COLUMNS, items, site)
    files.update(adoption_files(catalog, site))
    files.update(api_files(catalog, site))
    files[paths.DATABASE] = records_database(catalog, site)
    return files


#: ``data/adoption.csv``: a snapshot's columns, with its day and the developer's country.
ADOPTION_COLUMNS = ["date", *SNAPSHOT_COLUMNS, "developer_country"]


def adoption_files(catalog: Catalog, site: Site) -> dict[str, bytes]:
    """Every snapshot in one CSV, a JSON document per snapshot, and an index of them with
    the sourced figures."""
    files: dict[str, bytes] = {}
    adoption = catalog.adoption
    rows = []
    index = []
    for snapshot in adoption.snapshots:
        day = snapshot.day.isoformat()
        entries = []
        for row in snapshot.rows:
            record = catalog.by_id.get(row.record)
            country = catalog.place(record) if record else None
            values = row.model_dump()
            rows.append([day, *(values[c] for c in SNAPSHOT_COLUMNS), country])
            entries.append({**values, "developer_country": country})
        path = f"{paths.ADOPTION_FOLDER}/{day}.json"
        files[path] = _json(
            {"date": day, "license": DATA_LICENSE, "count": len(entries), "rows": entries}
        )
        index.append({"date": day, "count": len(entries), "url": site.absolute(path)})
    files[paths.ADOPTION_CSV] = _csv_bytes(ADOPTION_COLUMNS, rows)
    files[f"{paths.ADOPTION_FOLDER}/index.json"] = _json(
        {
            "license": DATA_LICENSE,
            "columns": list(SNAPSHOT_COLUMNS),
            "snapshots": index,
            "sourced": [point.model_dump(mode="json") for point in adoption.sourced],
        }
    )
    return files
