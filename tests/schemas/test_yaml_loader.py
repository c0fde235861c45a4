from __future__ import annotations

import pytest

from schemas.yaml_loader import YamlProblem, load_yaml


def test_yaml_1_1_booleans_stay_text_and_numbers_stay_numbers() -> None:
    doc = load_yaml("a: NO\nb: yes\nc: off\nd: true\ne: 1.10\nf: 2025-07-23\ng: ~\nh: 0x10\n")
    assert doc.data == {
        "a": "NO",
        "b": "yes",
        "c": "off",
        "d": True,
        "e": 1.1,
        "f": "2025-07-23",
        "g": None,
        "h": 16,
    }


def test_marks_point_at_keys_and_items() -> None:
    doc = load_yaml("id: x\nsources:\n  - url: u\n    title: t\n  - url: v\n")
    assert doc.marks[("id",)] == (1, 1)
    assert doc.marks[("sources", 1)] == (5, 5)
    assert doc.marks[("sources", 1, "url")] == (5, 5)
    assert doc.mark(("sources", 0, "missing")) == (3, 5)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("a:\n  b: 1\n  b: 2\n", "duplicate key 'b' (first written on line 2)", 3),
        (
            "a: !!python/object:os.system x\n",
            "YAML tag 'tag:yaml.org,2002:python/object:os.system'",
            1,
        ),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", "merge keys (<<) are not allowed", 3),
        ("? [a, b]\n: c\n", "a key must be text, not a list or mapping", 1),
        ("1: c\n", "key '1' must be text", 1),
        ("a: 1\n---\nb: 2\n", "invalid YAML: but found another document", 2),
        ("a: 'unclosed\n", "invalid YAML", 2),
    ],
)
def test_problems_are_located(text: str, message: str, line: int) -> None:
    with pytest.raises(YamlProblem) as exc:
        load_yaml(text)
    assert message in exc.value.message
    assert exc.value.line == line


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}] " for i in range(1, 30)]
    with pytest.raises(YamlProblem, match="anchors and aliases"):
        load_yaml("\n".join(lines))
