"""The workflow files follow the hardening rules; a broken rule fails here, not in production."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
#: Text an outsider controls: never interpolated into a script, only passed through env.
UNTRUSTED = re.compile(
    r"\$\{\{\s*github\.(event\.|head_ref)|\$\{\{\s*(inputs|steps\.[\w-]+\.outputs)\."
)
WRITE_SCOPES = {
    "contents",
    "pull-requests",
    "pages",
    "id-token",
    "issues",
    "actions",
    "checks",
    "deployments",
    "packages",
    "statuses",
    "security-events",
}


def load(path: Path) -> dict[str, Any]:
    # PyYAML reads the key "on" as True; the workflow syntax means the string.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict[str, Any]):  # type: ignore[no-untyped-def]
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, step


def test_there_are_workflows() -> None:
    assert {path.name for path in WORKFLOWS} >= {"ci.yml", "deploy.yml", "collect.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_rules(path: Path) -> None:
    workflow = load(path)
    triggers = workflow["on"]
    assert "pull_request_target" not in (triggers if isinstance(triggers, dict) else [triggers])
    # Read-only by default; a job that needs more asks for it, and only for what it needs.
    assert workflow.get("permissions") == {"contents": "read"}, path.name
    for job_name, job in workflow["jobs"].items():
        for scope, level in (job.get("permissions") or {}).items():
            assert scope in WRITE_SCOPES and level in ("read", "write"), (job_name, scope)
        if "pull_request" in triggers:
            assert not job.get("permissions"), f"{job_name}: pull-request jobs stay read-only"
            assert "secrets." not in yaml.safe_dump(job), f"{job_name}: no secrets on PRs"
    for job_name, step in steps(workflow):
        uses = step.get("uses")
        if uses and not uses.startswith("./"):
            assert PINNED.match(uses), f"{path.name}/{job_name}: {uses} is not pinned to a SHA"
        if uses and uses.startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, path.name
        script = step.get("run", "")
        assert not UNTRUSTED.search(script), f"{path.name}/{job_name}: untrusted text in run"


def test_the_rules_catch_a_bad_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: [pull_request_target]\npermissions: write-all\njobs:\n  x:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: echo '${{ github.event.pull_request.title }}'\n",
        encoding="utf-8",
    )
    with pytest.raises(AssertionError):
        test_workflow_rules(bad)
    workflow = load(bad)
    assert not PINNED.match(workflow["jobs"]["x"]["steps"][0]["uses"])
    assert UNTRUSTED.search(workflow["jobs"]["x"]["steps"][1]["run"])


def test_dependencies_are_locked_and_updated_by_pull_requests() -> None:
    """Each lock file says how it was made, pins every dependency of pyproject.toml within its
    bounds with hashes, and the update bot watches the locks and the pinned actions."""
    import json
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    config = json.loads((ROOT / "renovate.json").read_text(encoding="utf-8"))
    assert "helpers:pinGitHubActionDigests" in config["extends"]
    pattern = re.compile(config["pip-compile"]["managerFilePatterns"][0].strip("/"))
    wanted = {
        "site.txt": project["dependencies"],
        "test.txt": project["dependencies"] + project["optional-dependencies"]["test"],
    }
    for name, requirements in wanted.items():
        text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
        assert pattern.match(f"requirements/{name}")
        assert "uv pip compile pyproject.toml" in text.splitlines()[1]
        assert f"-o requirements/{name}" in text.splitlines()[1]
        pins = dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+) \\$", text, re.M))
        for line in requirements:
            requirement = Requirement(line)
            name_ = requirement.name.lower().replace("_", "-")
            assert name_ in pins, f"{name}: {name_} is not locked"
            assert requirement.specifier.contains(pins[name_]), f"{name}: {name_}=={pins[name_]}"
        # Every pinned package carries at least one hash, so pip installs nothing else.
        blocks = re.split(r"^(?=[a-z0-9])", text, flags=re.M)
        assert all("--hash=sha256:" in block for block in blocks if "==" in block)
    # The site stack is bounded at the minor version tested.
    bounds = {
        Requirement(line).name: str(Requirement(line).specifier) for line in project["dependencies"]
    }
    assert "<1.7" in bounds["mkdocs"]
    assert "<9.9" in bounds["mkdocs-material"] and "<1.6" in bounds["pagefind"]
