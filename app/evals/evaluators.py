"""What a case may expect of an answer, as pydantic-evals evaluators (named in datasets).

Each returns a bool, so a report is a pass rate per evaluator. `Rubric` asks a model (the
one under test unless the dataset says otherwise) to judge the answer against a rubric, in
the structured-output way (`JudgeVerdict`), so a judge's verdict is validated like any
answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pydantic_evals.evaluators import Evaluator, EvaluatorContext

from app.evals.task import Outcome


def _text(outcome: Outcome) -> str:
    return json.dumps(outcome.answer, ensure_ascii=False).lower() if outcome.answer else ""


def _at(value: Any, path: str) -> list[Any]:
    """Values at a dotted path; `*` walks every item of a list (`ingredients.*.amount`)."""
    values = [value]
    for part in path.split("."):
        nxt: list[Any] = []
        for v in values:
            if part == "*" and isinstance(v, list):
                nxt.extend(v)
            elif isinstance(v, dict) and part in v:
                nxt.append(v[part])
        values = nxt
    return values


@dataclass
class SchemaValid(Evaluator[Any, Outcome, Any]):
    """The answer validated against the answer schema (after repairs, if any)."""

    def evaluate(self, ctx: EvaluatorContext[Any, Outcome, Any]) -> bool:
        return ctx.output.answer is not None


@dataclass
class RequiredFacts(Evaluator[Any, Outcome, Any]):
    """Every fact appears in the answer (case-insensitive substring)."""

    facts: list[str] = field(default_factory=list)

    def evaluate(self, ctx: EvaluatorContext[Any, Outcome, Any]) -> bool:
        text = _text(ctx.output)
        return bool(text) and all(f.lower() in text for f in self.facts)


@dataclass
class Forbidden(Evaluator[Any, Outcome, Any]):
    """None of the words appears in the answer (case-insensitive substring)."""

    words: list[str] = field(default_factory=list)

    def evaluate(self, ctx: EvaluatorContext[Any, Outcome, Any]) -> bool:
        text = _text(ctx.output)
        return bool(text) and not any(w.lower() in text for w in self.words)


@dataclass
class InRange(Evaluator[Any, Outcome, Any]):
    """Every number at `path` is within [minimum, maximum] (and there is at least one)."""

    path: str = ""
    minimum: float | None = None
    maximum: float | None = None

    def evaluate(self, ctx: EvaluatorContext[Any, Outcome, Any]) -> bool:
        values = _at(ctx.output.answer, self.path) if ctx.output.answer else []
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if not numbers or len(numbers) != len(values):
            return False
        low = self.minimum if self.minimum is not None else float("-inf")
        high = self.maximum if self.maximum is not None else float("inf")
        return all(low <= n <= high for n in numbers)


@dataclass
class Rubric(Evaluator[Any, Outcome, Any]):
    """An LLM judge: does the answer meet the rubric? (The task's judge is the model.)"""

    rubric: str = ""

    def evaluate(self, ctx: EvaluatorContext[Any, Outcome, Any]) -> bool:
        if ctx.output.answer is None or ctx.output.judge is None:
            return False
        return ctx.output.judge(self.rubric, ctx.output.answer)


EVALUATORS: tuple[type[Evaluator[Any, Outcome, Any]], ...] = (
    SchemaValid,
    RequiredFacts,
    Forbidden,
    InRange,
    Rubric,
)
