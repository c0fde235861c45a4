"""Writing a record as YAML in the repository's format: schema comment first, fields in order."""

from __future__ import annotations

from typing import Any

import yaml

from schemas.records import MODELS


class _Dumper(yaml.SafeDumper):
    """Block style for mappings, flow style for short lists of plain values."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, str | int) for item in data) and sum(len(str(i)) for i in data) < 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)


def field_order(kind: str) -> list[str]:
    """Fields in the order the model declares them, common fields around the kind's own."""
    names = list(MODELS[kind].model_fields)
    common_tail = ["sources", "tags", "related", "added", "last_verified"]
    own = [name for name in names if name not in common_tail]
    return [*own, *common_tail]


def render_record(data: dict[str, Any]) -> str:
    """A record's YAML text, with the ``yaml-language-server`` schema comment."""
    kind = data["kind"]
    order = field_order(kind)
    ordered = {key: data[key] for key in order if key in data and data[key] not in (None, [], {})}
    ordered = {"id": ordered.pop("id"), "kind": ordered.pop("kind"), **ordered}
    text = yaml.dump(
        ordered,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return f"# yaml-language-server: $schema=../../schemas/json/{kind}.schema.json\n{text}"
