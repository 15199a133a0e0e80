"""Run the datasets, then write the report (markdown + JSON) and compare it with the last.

A report row is one prompt version on one model: pass rate per evaluator, the overall pass
rate (cases passing every evaluator), tokens, cost and latency percentiles. The previous
`latest.json` in the output folder is the baseline the differences are taken against.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic_evals import Dataset

from app.ai.gateway import AIGateway
from app.evals.evaluators import EVALUATORS, SchemaValid
from app.evals.task import Outcome, Runner, prompts

LATEST = "latest"


@dataclass(frozen=True)
class EvalOptions:
    datasets: Path
    out: Path
    prompt: str | None = None
    provider: str | None = None
    model: str | None = None
    threshold: float = 0.9
    concurrency: int = 4


def _percentile(values: list[int], share: float) -> int:
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _row(name: str, version: str, runner: Runner, report: Any) -> dict[str, Any]:
    cases = list(report.cases)
    outcomes: list[Outcome] = [c.output for c in cases]
    per_evaluator: dict[str, list[bool]] = {}
    for case in cases:
        for key, result in case.assertions.items():
            per_evaluator.setdefault(key, []).append(bool(result.value))
    failed = len(report.failures)  # the task raised: counts as failing every evaluator
    passed = sum(all(r.value for r in c.assertions.values()) for c in cases)
    total = len(cases) + failed
    costs = [o.cost_usd for o in outcomes if o.cost_usd is not None]
    priced = len(costs) == len(outcomes)  # a model without a known price: cost unknown
    return {
        "prompt": name,
        "prompt_version": version,
        "provider": runner.provider.name,
        "model": runner.model,
        "cases": total,
        "pass_rate": round(passed / total, 4) if total else 0.0,
        "evaluators": {
            key: round(sum(v) / (len(v) + failed), 4) for key, v in sorted(per_evaluator.items())
        },
        "failed_cases": sorted(
            [c.name for c in cases if not all(r.value for r in c.assertions.values())]
            + [f.name for f in report.failures]
        ),
        "prompt_tokens": sum(o.prompt_tokens for o in outcomes),
        "completion_tokens": sum(o.completion_tokens for o in outcomes),
        "cost_usd": str(sum(costs, Decimal(0))) if priced else None,
        "latency_ms": {
            "p50": _percentile([o.latency_ms for o in outcomes], 0.5),
            "p95": _percentile([o.latency_ms for o in outcomes], 0.95),
            "mean": round(statistics.fmean([o.latency_ms for o in outcomes]), 1) if outcomes else 0,
        },
    }


def run(gateway: AIGateway, options: EvalOptions) -> dict[str, Any]:
    """Every dataset (or the one of `options.prompt`) on the chosen model: the report."""
    runner = Runner(gateway, options.provider, options.model, gateway.limits.validation_retries)
    known = prompts(gateway.schemas.names)
    names = (
        [options.prompt]
        if options.prompt
        else sorted(p.stem for p in options.datasets.glob("*.yaml") if p.stem in known)
    )
    rows = []
    for name in names:
        if name not in known:
            msg = f"unknown prompt {name!r}; known: {', '.join(sorted(known))}"
            raise ValueError(msg)
        prompt = known[name]
        schema = gateway.schemas.get(prompt.schema)
        dataset = Dataset[dict[str, Any], Outcome, Any].from_file(
            options.datasets / f"{name}.yaml", custom_evaluator_types=EVALUATORS
        )
        dataset.add_evaluator(SchemaValid())

        def task(inputs: dict[str, Any], prompt: Any = prompt, schema: Any = schema) -> Outcome:
            return runner.ask(prompt.messages(inputs), schema, prompt.version)

        report = dataset.evaluate_sync(
            task, name=name, max_concurrency=options.concurrency, progress=False
        )
        rows.append(_row(name, prompt.version, runner, report))
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "threshold": options.threshold,
        "rows": rows,
    }


def compare(report: dict[str, Any], previous: dict[str, Any] | None) -> None:
    """Add each row's change in pass rate since the previous report (same prompt, model)."""
    before = {(r["prompt"], r["provider"], r["model"]): r for r in (previous or {}).get("rows", [])}
    for row in report["rows"]:
        old = before.get((row["prompt"], row["provider"], row["model"]))
        row["previous"] = (
            None
            if old is None
            else {
                "prompt_version": old["prompt_version"],
                "pass_rate": old["pass_rate"],
                "pass_rate_change": round(row["pass_rate"] - old["pass_rate"], 4),
                "evaluators_change": {
                    k: round(v - old["evaluators"].get(k, 0.0), 4)
                    for k, v in row["evaluators"].items()
                },
            }
        )


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Prompt evals ({report['generated_at']})",
        "",
        f"Threshold: pass rate >= {report['threshold']:.0%} per prompt.",
        "",
        "| prompt | version | model | cases | pass rate | change | evaluators | tokens | cost (USD)"
        " | latency p50 / p95 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["rows"]:
        change = "new" if r["previous"] is None else f"{r['previous']['pass_rate_change']:+.1%}"
        evaluators = ", ".join(f"{k} {v:.0%}" for k, v in r["evaluators"].items())
        tokens = r["prompt_tokens"] + r["completion_tokens"]
        lines.append(
            f"| {r['prompt']} | {r['prompt_version']} | {r['provider']}:{r['model']} | {r['cases']}"
            f" | {r['pass_rate']:.1%} | {change} | {evaluators} | {tokens} | {r['cost_usd']}"
            f" | {r['latency_ms']['p50']} / {r['latency_ms']['p95']} |"
        )
    failing = [(r["prompt"], c) for r in report["rows"] for c in r["failed_cases"]]
    if failing:
        lines += ["", "Failing cases:", ""] + [f"- {p}: {c}" for p, c in failing]
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any], out: Path) -> tuple[Path, Path]:
    """Write `<stamp>.json|.md` and `latest.json|.md` (the next run's baseline)."""
    out.mkdir(parents=True, exist_ok=True)
    previous_path = out / f"{LATEST}.json"
    previous = json.loads(previous_path.read_text()) if previous_path.exists() else None
    compare(report, previous)
    stamp = report["generated_at"].replace(":", "").replace("-", "").replace("+0000", "Z")
    text = json.dumps(report, indent=2) + "\n"
    page = markdown(report)
    for name in (stamp, LATEST):
        (out / f"{name}.json").write_text(text)
        (out / f"{name}.md").write_text(page)
    return out / f"{LATEST}.md", out / f"{LATEST}.json"


def below(report: dict[str, Any]) -> list[str]:
    """Prompts whose pass rate is under the threshold."""
    return [r["prompt"] for r in report["rows"] if r["pass_rate"] < report["threshold"]]
