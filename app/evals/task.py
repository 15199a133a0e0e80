"""One eval case run: the prompt's messages to the chosen model, through the structured
loop (ask, validate, repair) every completion uses, with its tokens, cost and latency."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.ai import structured
from app.ai.client_schemas import client_schema
from app.ai.gateway import AIGateway
from app.ai.prompts import recipe_v1
from app.ai.schemas import AnswerSchema
from app.ai.types import Message, ProviderRequest
from app.errors import DomainError

Judge = Callable[[str, Any], bool]
MAX_TOKENS = 2048
JUDGE_VERDICT = client_schema(
    "JudgeVerdict",
    {
        "type": "object",
        "properties": {
            "passed": {"type": "boolean", "description": "Whether the answer meets the rubric."},
            "reason": {"type": "string", "maxLength": 500},
        },
        "required": ["passed", "reason"],
        "additionalProperties": False,
    },
)


@dataclass
class Outcome:
    """A case's answer (None if it never validated) and what it cost."""

    answer: dict[str, Any] | None
    error: str | None
    prompt_tokens: int
    completion_tokens: int
    cost_usd: Decimal | None
    latency_ms: int
    attempts: int
    judge: Judge | None = None


@dataclass(frozen=True)
class Prompt:
    """A versioned prompt: its version, answer schema, and messages for a case's inputs."""

    version: str
    schema: str
    messages: Callable[[Mapping[str, Any]], tuple[Message, ...]]


def _recipe(inputs: Mapping[str, Any]) -> tuple[Message, ...]:
    return recipe_v1.messages(
        ingredients=inputs["ingredients"],
        dietary_restrictions=inputs.get("dietary_restrictions", ()),
        cuisine_type=inputs.get("cuisine_type"),
        cooking_time_max=inputs.get("cooking_time_max"),
    )


def _user_prompt(inputs: Mapping[str, Any]) -> tuple[Message, ...]:
    system = (Message("system", inputs["system"]),) if inputs.get("system") else ()
    return (*system, Message("user", inputs["prompt"]))


def prompts(schema_names: list[str]) -> dict[str, Prompt]:
    """Every prompt an eval can run: the recipe generator, and each answer schema asked
    for with a user's own prompt (the `createCompletion` path; no template of ours)."""
    found = {"recipe": Prompt(recipe_v1.VERSION, "GeneratedRecipe", _recipe)}
    for name in schema_names:
        found[name] = Prompt(f"{name}/user-prompt", name, _user_prompt)
    return found


class Runner:
    """Runs cases on one provider and model (the judge uses the same unless told)."""

    def __init__(
        self, gateway: AIGateway, provider: str | None, model: str | None, retries: int
    ) -> None:
        self.gateway = gateway
        self.provider, self.model = gateway.resolve(provider, model)
        self.retries = retries

    def ask(
        self, messages: tuple[Message, ...], schema: AnswerSchema, prompt_version: str | None = None
    ) -> Outcome:
        request = ProviderRequest(
            model=self.model,
            messages=messages,
            max_tokens=MAX_TOKENS,
            output=schema.output,
            prompt_version=prompt_version,
        )
        attempts: list[structured.Attempt] = []
        started = time.monotonic()
        answer: dict[str, Any] | None = None
        error: str | None = None
        try:
            answer = structured.run(
                self.provider, request, schema, validation_retries=self.retries, attempts=attempts
            ).object
        except DomainError as exc:
            error = exc.code
        prompt_tokens = sum(a.result.prompt_tokens for a in attempts)
        completion_tokens = sum(a.result.completion_tokens for a in attempts)
        cost = self.gateway.prices.cost(
            self.provider.name, self.model, prompt_tokens, completion_tokens
        )
        return Outcome(
            answer=answer,
            error=error,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cost_usd=cost,
            latency_ms=int((time.monotonic() - started) * 1000),
            attempts=len(attempts),
            judge=self.judge,
        )

    def judge(self, rubric: str, answer: Any) -> bool:
        """The model's verdict on `answer` against `rubric` (a JudgeVerdict object)."""
        messages = (
            Message("system", "You grade answers strictly against a rubric."),
            Message("user", f"Rubric: {rubric}\n\nAnswer (JSON):\n{answer}"),
        )
        verdict = self.ask(messages, JUDGE_VERDICT).answer
        return bool(verdict and verdict.get("passed"))
