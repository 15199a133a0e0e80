"""Prompt evals (issue 24 item 2): `flask ai eval` runs the shipped datasets on the fake
provider (deterministic), writes a markdown + JSON report, compares it with the previous
run, and exits non-zero below the threshold; prompt versions reach cache keys and usage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic_evals.evaluators import EvaluatorContext
from sqlmodel import select
from starlette.testclient import TestClient

from app.ai.types import Message, ProviderRequest
from app.completions.models import AIUsage
from app.evals.evaluators import Forbidden, InRange, RequiredFacts
from app.evals.task import Outcome
from app.main import create_app
from app.settings import ROOT_DIR
from tests.auth_helpers import account, resources

DATASETS = ROOT_DIR / "evals" / "datasets"


@pytest.fixture
def app(make_settings: Any) -> Any:
    return create_app(make_settings())


def _eval(app: Any, *args: str) -> Any:
    return app.app.test_cli_runner().invoke(args=["ai", "eval", *args])


def test_the_shipped_datasets_pass_on_the_fake_provider(app: Any, tmp_path: Path) -> None:
    result = _eval(app, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "latest.json").read_text())
    rows = {r["prompt"]: r for r in report["rows"]}
    assert set(rows) == {"recipe", "TextSummary"}  # one dataset per prompt and answer schema
    recipe = rows["recipe"]
    assert (recipe["prompt_version"], recipe["provider"], recipe["model"]) == (
        "recipe/v1",
        "fake",
        "fake-1",
    )
    assert recipe["cases"] == len(list((DATASETS / "recipe.yaml").read_text().split("- name:"))) - 1
    assert recipe["pass_rate"] == 1.0
    assert recipe["evaluators"]["SchemaValid"] == 1.0
    assert {"Forbidden", "InRange", "Rubric"} <= set(recipe["evaluators"])
    assert recipe["prompt_tokens"] > 0
    assert recipe["cost_usd"] == "0.000000"
    assert set(recipe["latency_ms"]) == {"p50", "p95", "mean"}
    assert recipe["previous"] is None
    page = (tmp_path / "latest.md").read_text()
    assert "| recipe | recipe/v1 | fake:fake-1 | 5 | 100.0% | new |" in page

    again = _eval(app, "--prompt", "recipe", "--out", str(tmp_path))
    assert again.exit_code == 0, again.output
    (row,) = json.loads((tmp_path / "latest.json").read_text())["rows"]
    assert row["previous"]["pass_rate"] == 1.0
    assert row["previous"]["pass_rate_change"] == 0.0
    assert len(list(tmp_path.glob("*.json"))) >= 2  # each run kept, plus latest


def test_below_the_threshold_the_command_fails(app: Any, tmp_path: Path) -> None:
    datasets = tmp_path / "datasets"
    datasets.mkdir()
    (datasets / "TextSummary.yaml").write_text(
        "name: TextSummary\n"
        "cases:\n"
        "  - name: passes\n"
        "    inputs: { prompt: Summarise rain. }\n"
        "  - name: misses_a_fact\n"
        "    inputs: { prompt: Summarise snow. }\n"
        "    evaluators:\n"
        "      - RequiredFacts: { facts: [snowflake] }\n"
    )
    result = _eval(app, "--datasets", str(datasets), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "pass rate below 90% for: TextSummary" in result.output
    report = json.loads((tmp_path / "out" / "latest.json").read_text())
    (row,) = report["rows"]
    assert row["pass_rate"] == 0.5
    assert row["failed_cases"] == ["misses_a_fact"]
    assert row["evaluators"]["RequiredFacts"] == 0.0
    lenient = _eval(
        app, "--datasets", str(datasets), "--out", str(tmp_path / "out"), "--threshold", "0.5"
    )
    assert lenient.exit_code == 0, lenient.output


def test_unknown_prompts_and_models_are_refused(app: Any, tmp_path: Path) -> None:
    unknown = _eval(app, "--prompt", "nope", "--out", str(tmp_path))
    assert unknown.exit_code == 1
    assert "unknown prompt 'nope'" in unknown.output
    model = _eval(app, "--model", "gpt-9", "--out", str(tmp_path))
    assert model.exit_code == 1
    assert "not allowed" in model.output


def _ctx(answer: Any) -> EvaluatorContext[Any, Outcome, Any]:
    outcome = Outcome(answer, None, 1, 1, None, 1, 1)
    return EvaluatorContext(
        name="c",
        inputs={},
        metadata=None,
        expected_output=None,
        output=outcome,
        duration=0.0,
        _span_tree=None,  # type: ignore[arg-type]
        attributes={},
        metrics={},
    )


def test_evaluators_read_paths_ranges_and_words() -> None:
    recipe = {"steps": [{"step": 1}, {"step": 2}], "time": 20, "title": "Tomato soup"}
    assert InRange(path="steps.*.step", minimum=1).evaluate(_ctx(recipe))
    assert not InRange(path="steps.*.step", minimum=2).evaluate(_ctx(recipe))
    assert not InRange(path="missing", minimum=0).evaluate(_ctx(recipe))  # nothing to check
    assert not InRange(path="title", minimum=0).evaluate(_ctx(recipe))  # not a number
    assert InRange(path="time", maximum=30).evaluate(_ctx(recipe))
    assert RequiredFacts(facts=["tomato"]).evaluate(_ctx(recipe))
    assert not RequiredFacts(facts=["basil"]).evaluate(_ctx(recipe))
    assert not Forbidden(words=["SOUP"]).evaluate(_ctx(recipe))
    assert not Forbidden(words=[]).evaluate(_ctx(None))  # no valid answer fails every check


def test_the_prompt_version_is_in_the_cache_key_and_the_usage_rows(app: Any) -> None:
    gateway = resources(app).ai
    call = ProviderRequest(model="fake-1", messages=(Message("user", "x"),), temperature=0)
    v1 = gateway.cache_key(1, "fake", call, wanted=True, prompt_version="recipe/v1")
    v2 = gateway.cache_key(1, "fake", call, wanted=True, prompt_version="recipe/v2")
    assert v1 is not None and v2 is not None and v1 != v2
    client = TestClient(app)
    who = account(app, client, "evals@example.com")
    response = client.post(
        "/api/v1/recipes/generate", json={"ingredients": ["egg", "rice"]}, headers=who.headers
    )
    assert response.status_code in (200, 201), response.text
    with resources(app).db.transaction() as session:
        rows = list(session.exec(select(AIUsage)).all())
    assert [r.prompt_version for r in rows] == ["recipe/v1"]
