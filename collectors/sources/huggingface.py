"""Hugging Face Hub models API: a watched organization's newest repositories, grouped into
release candidates (one per model family), quantisations left out."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, ConfigDict, Field

from collectors.candidates import Candidate, SourceResult
from collectors.context import JSON_TYPES, Context, SourceError, next_page
from schemas.records import HF_ORG_PATTERN, HF_REPO_PATTERN, License, Url
from schemas.scaffold import slugify

if TYPE_CHECKING:
    from collectors.registry import Source


class Params(BaseModel):
    """``params`` of a huggingface source."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    #: The Hub account whose models are watched.
    author: Annotated[str, Field(pattern=HF_ORG_PATTERN)]
    #: Models per page (newest first).
    limit: Annotated[int, Field(ge=1, le=1000)] = 50
    max_pages: Annotated[int, Field(ge=1)] = 1
    #: Where the model pages live (candidates cite ``<site>/<repository>``).
    site: Url = "https://huggingface.co"


#: createdAt the Hub gives repositories older than the field: it means "unknown".
UNKNOWN_CREATED = "2022-03-02T23:29:04.000Z"
EXPAND = ["createdAt", "tags", "pipeline_tag", "cardData", "safetensors", "gated"]
QUANTISED = re.compile(r"(gguf|awq|gptq|fp8|fp4|int4|int8|bnb|mlx|exl2|4bit|8bit|onnx)", re.I)
#: Hugging Face licence tags -> the names licence records go by.
LICENSES = {
    "apache-2.0": "Apache-2.0",
    "mit": "MIT",
    "bsd-3-clause": "BSD-3-Clause",
    "cc-by-4.0": "CC-BY-4.0",
    "cc-by-sa-4.0": "CC-BY-SA-4.0",
    "cc-by-nc-4.0": "CC-BY-NC-4.0",
    "cc-by-nc-sa-4.0": "CC-BY-NC-SA-4.0",
    "openrail": "OpenRAIL",
    "bigscience-openrail-m": "bigscience-openrail-m",
    "bigscience-bloom-rail-1.0": "bigscience-bloom-rail-1.0",
    "creativeml-openrail-m": "creativeml-openrail-m",
    "bigcode-openrail-m": "bigcode-openrail-m",
    "llama2": "llama-2-community",
    "llama3": "llama-3-community",
    "llama3.1": "llama-3.1-community",
    "llama3.2": "llama-3.2-community",
    "llama3.3": "llama-3.3-community",
    "llama4": "llama-4-community",
    "gemma": "gemma-terms",
}
#: Licence names that cards declare beside ``license: other`` and that cannot be a licence
#: record's alias (another record holds the name) -> the licence record. DeepSeek's cards
#: say ``deepseek`` and link to LICENSE-MODEL, the DeepSeek License Agreement.
DECLARED_LICENCES = {"deepseek": "deepseek-model-license"}
PIPELINES = {
    "text-generation": "text",
    "text2text-generation": "text",
    "fill-mask": "text",
    "image-text-to-text": "multimodal",
    "any-to-any": "multimodal",
    "text-to-image": "image",
    "image-to-image": "image",
    "text-to-video": "video",
    "image-to-video": "video",
    "automatic-speech-recognition": "audio",
    "text-to-speech": "audio",
    "text-to-audio": "audio",
    "feature-extraction": "embedding",
    "sentence-similarity": "embedding",
}
_SIZE = re.compile(r"^(\d+(\.\d+)?[bmkt]|a\d+(\.\d+)?b|e\d+b|\d{4}|\d{6}|v\d+(\.\d+)*)$")
_VARIANTS = {"base", "instruct", "chat", "it", "hf", "preview", "pt", "sft", "dpo", "rl"}


def family_key(repo: str) -> str:
    """``deepseek-ai/DeepSeek-V3-Base`` and ``.../DeepSeek-V3`` share the family ``deepseek v3``;
    ``Qwen/Qwen3-8B`` and ``Qwen/Qwen3-235B-A22B`` share ``qwen3``."""
    tokens = re.split(r"[-_]", repo.split("/", 1)[-1].lower())
    kept = [t for t in tokens if t and not _SIZE.match(t) and t not in _VARIANTS]
    return " ".join(kept) or repo.lower()


def _licence(model: dict[str, Any]) -> str | None:
    card = model.get("cardData") or {}
    value = card.get("license") if isinstance(card, dict) else None
    if not isinstance(value, str):
        value = next(
            (t.split(":", 1)[1] for t in model.get("tags", []) if t.startswith("license:")), None
        )
    return value.lower() if isinstance(value, str) else None


def _declared_licence(model: dict[str, Any]) -> tuple[str, str]:
    """The licence name and link a card declares beside ``license: other``."""
    card = model.get("cardData")
    card = card if isinstance(card, dict) else {}
    name, link = card.get("license_name"), card.get("license_link")
    return (name if isinstance(name, str) else "", link if isinstance(link, str) else "")


def _folded_licence(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def other_licence(members: list[dict[str, Any]], ctx: Context, site: str) -> License | None:
    """The licence record a family's ``other`` licence names: by its declared name (any
    name of a licence record: id, SPDX identifier, alias or full name) or by its link (the
    record's address)."""
    by_name: dict[str, License] = {}
    by_url: dict[str, License] = {}
    for name, record in ctx.licences.items():
        by_name.setdefault(_folded_licence(name), record)
        by_name.setdefault(_folded_licence(record.name), record)
        if record.url:
            by_url.setdefault(record.url.rstrip("/"), record)
    for name, record_id in DECLARED_LICENCES.items():
        if record_id in ctx.licences:
            by_name.setdefault(name, ctx.licences[record_id])
    for model in members:
        name, link = _declared_licence(model)
        if name and _folded_licence(name) in by_name:
            return by_name[_folded_licence(name)]
        if link:
            absolute = link if "://" in link else f"{site}/{model['id']}/blob/main/{link}"
            if absolute.rstrip("/") in by_url:
                return by_url[absolute.rstrip("/")]
    return None


def _is_quantisation(model: dict[str, Any]) -> bool:
    tags = model.get("tags", []) or []
    return bool(QUANTISED.search(model["id"])) or any(
        t.startswith("base_model:quantized:") for t in tags
    )


def _next_link(response_headers: httpx.Headers) -> str | None:
    link = response_headers.get("link")
    if not link:
        return None
    for part in link.split(","):
        if 'rel="next"' in part:
            return part.split(";")[0].strip().strip("<>")
    return None


def _repository_id(model: Any) -> str | None:
    """The ``owner/name`` id of an item of the models list, or None when it has none."""
    if not isinstance(model, dict):
        return None
    value = model.get("id")
    if not isinstance(value, str) or not re.fullmatch(HF_REPO_PATTERN.strip("^$"), value):
        return None
    return value


async def collect(source: Source, ctx: Context, result: SourceResult) -> None:
    params: Params = source.params
    query = [
        ("author", params.author),
        ("sort", "createdAt"),
        ("limit", str(params.limit)),
    ]
    query += [("expand[]", field) for field in EXPAND]
    url: str | None = f"{source.url}?{urlencode(query)}"
    models: list[dict[str, Any]] = []
    for _ in range(min(params.max_pages, ctx.client.limits.max_pages)):
        if url is None:
            break
        response = await ctx.fetch(result, url, JSON_TYPES)
        if response is None:
            return  # not modified: nothing new to parse
        try:
            page = json.loads(response.body)
        except ValueError as exc:
            raise SourceError(f"{url}: invalid JSON ({exc})") from None
        if not isinstance(page, list):
            raise SourceError(f"{url}: expected a list of models")
        for item in page:
            if _repository_id(item) is None:
                shown = item.get("id") if isinstance(item, dict) else item
                result.drop(ascii(shown)[:80], "not a model item with an owner/name id")
            else:
                models.append(item)
        url = next_page(_next_link(response.headers), source.url)
    result.items = len(models)
    _group(source, ctx, result, models)


def _created(model: dict[str, Any]) -> dt.date | None:
    value = model.get("createdAt")
    if not isinstance(value, str) or value == UNKNOWN_CREATED:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _group(
    source: Source, ctx: Context, result: SourceResult, models: list[dict[str, Any]]
) -> None:
    families: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for model in models:
        if _is_quantisation(model):
            result.drop(model["id"], "quantisation")
            continue
        created = _created(model)
        if created is None:
            result.drop(model["id"], "creation date unknown")
            continue
        model["_created"] = created
        families[(family_key(model["id"]), created.strftime("%Y-%m"))].append(model)
    for (_, _), members in sorted(families.items()):
        candidate = _candidate(source, ctx, result, sorted(members, key=lambda m: m["id"]))
        if candidate is not None:
            result.candidates.append(candidate)


def _candidate(
    source: Source, ctx: Context, result: SourceResult, members: list[dict[str, Any]]
) -> Candidate | None:
    repos = [m["id"] for m in members]
    main = min(members, key=lambda m: (len(m["id"]), m["id"]))
    title = main["id"].split("/", 1)[1]
    raw_licences = Counter(_licence(m) for m in members)
    raw = raw_licences.most_common(1)[0][0]
    site = source.params.site.rstrip("/")
    licence = LICENSES.get(raw or "")
    record = ctx.licences.get(licence) if licence else None
    if raw == "other":
        record = other_licence(members, ctx, site)
        licence = record.id if record else None
    if licence is None or record is None:
        declared = ", ".join(sorted({n for n, _ in map(_declared_licence, members) if n}))
        named = f" ({declared})" if raw == "other" and declared else ""
        result.drop(title, f"licence {raw!r}{named} has no licence record")
        return None
    modality = PIPELINES.get(main.get("pipeline_tag") or "")
    if modality is None:
        result.drop(title, f"pipeline tag {main.get('pipeline_tag')!r} has no modality")
        return None
    gated = any(m.get("gated") not in (False, None, "false") for m in members)
    access = "open-weights-restricted" if gated or record.restrictions() else "open-weights"
    created = min(m["_created"] for m in members)
    totals = [
        m["safetensors"]["total"]
        for m in members
        if isinstance(m.get("safetensors"), dict) and isinstance(m["safetensors"].get("total"), int)
    ]
    shown = ", ".join(repos[:6]) + (", …" if len(repos) > 6 else "")
    data: dict[str, Any] = {
        "id": slugify(title),
        "kind": "model",
        "title": title,
        "date": created.isoformat(),
        "summary": (
            f"{title} was published on Hugging Face on {created.isoformat()}: "
            f"{len(repos)} {'repository' if len(repos) == 1 else 'repositories'} ({shown})."
        ),
        **{k: v for k, v in source.defaults.items() if k in ("organization", "tags")},
        "modality": [modality],
        "license": licence,
        "access": access,
        "released": ["weights"],
        "huggingface": repos,
        "dates": {"weights_released": created.isoformat()},
        "sources": [
            {
                "url": f"{site}/{main['id']}",
                "title": f"{main['id']} on Hugging Face",
                "publisher": "Hugging Face",
                "published": created.isoformat(),
            }
        ],
        "added": ctx.today.isoformat(),
    }
    if totals:
        data["parameters"] = {"total": max(totals)}
    bases = {
        tag.split(":")[-1].lower()
        for m in members
        for tag in m.get("tags", []) or []
        if tag.startswith("base_model:") and not tag.startswith("base_model:quantized:")
    }
    known = sorted(ctx.repo_index[b] for b in bases if b in ctx.repo_index)
    if known:
        data["base_model"] = known[0]
        data["related"] = [{"id": known[0], "type": "derived-from"}]
    candidate = Candidate(source.id, data)
    return candidate
