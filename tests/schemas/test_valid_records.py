from __future__ import annotations

from pathlib import Path

import pytest

from osai.cli import main
from schemas import Model, Organization, PartialDate, Policy, load_records


def test_valid_fixtures_have_no_problems(valid_records: Path) -> None:
    kb = load_records([valid_records])
    assert kb.problems == []
    assert kb.counts() == {"policy": 3, "model": 2, "news": 1, "organization": 2, "license": 3}


def test_values_are_read_without_coercion(valid_records: Path) -> None:
    kb = load_records([valid_records])
    acme = kb.get("acme-lab")
    assert isinstance(acme, Organization)
    assert acme.country == "NO"  # Norway, not False
    assert acme.date == PartialDate(2019)  # an unquoted year
    model = kb.get("acme-7b")
    assert isinstance(model, Model)
    assert model.parameters is not None and model.parameters.total == 7_000_000_000
    assert model.dates.weights_released == PartialDate(2024, 5)
    policy = kb.get("test-open-models-act")
    assert isinstance(policy, Policy)
    assert policy.document_number == "2024/17"
    assert [m.date.isoformat() for m in policy.milestones] == ["2025-01-01", "2027-08-02"]


def test_relations_normalise_plain_ids(valid_records: Path) -> None:
    kb = load_records([valid_records])
    news = kb.get("acme-7b-tops-charts")
    assert news is not None
    assert [(r.id, r.type) for r in news.relations] == [("test-open-models-act", None)]


def test_validating_one_file_resolves_references_against_the_records_folder(
    valid_records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = valid_records / "models" / "acme-7b-reasoner.yaml"
    assert main(["validate", str(one), "--records", str(valid_records)]) == 0
    assert main(["validate", str(one), "--records", str(valid_records / "news")]) == 1
    assert "no record has the id 'acme-lab'" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no/such/path.yaml"]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--format", "xml"])
    assert exc.value.code == 2
