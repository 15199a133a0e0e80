"""What a completion request is, before any provider is called: the conversation, its
size checks, the output ceiling of the caller's role, and the worst case a budget reserves."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.accounts.principal import Principal
from app.ai.errors import PromptTooLongError
from app.ai.gateway import AIGateway
from app.ai.providers.base import Provider, estimate_tokens
from app.ai.schemas import AnswerSchema
from app.ai.types import Message, ProviderRequest
from app.errors import InvalidInputError, field_error


@dataclass(frozen=True)
class CompletionInput:
    messages: tuple[Message, ...]
    provider: str | None = None
    model: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    response_schema: str | None = None
    cache: bool = True  # False: always ask the provider (and store nothing)
    stop: tuple[str, ...] = ()
    # A schema the client sent (the OpenAI-compatible endpoint), instead of a spec name.
    answer_schema: AnswerSchema | None = None
    # The versioned prompt template the messages come from (`recipe/v1`), if any: in the
    # cache key (a new wording never answers from the old one's cache) and the usage rows.
    prompt_version: str | None = None


def conversation(
    *,
    messages: list[tuple[str, str]] | None,
    prompt: str | None,
    system: str | None,
) -> tuple[Message, ...]:
    """`system` (if any), then `messages` or `prompt`: exactly one of the two (the spec's
    `oneOf` says so too; this guards callers that are not HTTP)."""
    if (messages is None) == (prompt is None):
        raise InvalidInputError(
            "Send either messages or prompt, not both and not neither.",
            errors=[field_error("body", "messages", "Exactly one of messages, prompt.")],
        )
    turns = (
        tuple(Message(role, content) for role, content in messages)  # type: ignore[arg-type]
        if messages is not None
        else (Message("user", prompt or ""),)
    )
    return ((Message("system", system),) if system else ()) + turns


def check_size(gateway: AIGateway, messages: tuple[Message, ...], max_tokens: int) -> None:
    chars = sum(len(m.content) for m in messages)
    limits = gateway.limits
    if chars > limits.max_prompt_chars:
        raise PromptTooLongError(
            f"The prompt has {chars} characters; the limit is {limits.max_prompt_chars}."
        )
    estimate = estimate_tokens("".join(m.content for m in messages))
    if estimate + max_tokens > limits.context_tokens:
        raise PromptTooLongError(
            f"The prompt (about {estimate} tokens) and max_tokens ({max_tokens}) exceed "
            f"the model's context of {limits.context_tokens} tokens."
        )


MESSAGE_OVERHEAD_TOKENS = 4  # a turn's role and framing, as providers count them


def prompt_estimate(messages: tuple[Message, ...]) -> int:
    """The prompt's tokens as a budget reserves them (the provider's count comes later)."""
    text = "".join(m.content for m in messages)
    return estimate_tokens(text) + MESSAGE_OVERHEAD_TOKENS * len(messages)


def bounded(gateway: AIGateway, principal: Principal, request: CompletionInput) -> CompletionInput:
    """The request with its output limit set: as asked (at most the role's ceiling, else
    400 `max_tokens_too_large`), or the default."""
    max_tokens = gateway.budget.max_tokens(principal.role.value, request.max_tokens)
    return replace(request, max_tokens=max_tokens)


def worst_case(
    gateway: AIGateway, principal: Principal, request: CompletionInput
) -> tuple[int, int]:
    """(tokens, micro-dollars) one call of `request` may use at most (before repairs)."""
    request = bounded(gateway, principal, request)
    provider, model = gateway.resolve(request.provider, request.model)
    prompt, max_tokens = prompt_estimate(request.messages), request.max_tokens or 0
    return prompt + max_tokens, gateway.budget.worst_micros(
        provider.name, model, prompt, max_tokens
    )


def provider_call(
    gateway: AIGateway, request: CompletionInput, default_max_tokens: int
) -> tuple[Provider, ProviderRequest, AnswerSchema | None]:
    """The provider, the call to make and the answer schema, once the model is allowed and
    the prompt fits (raises `unsupported_model` / `prompt_too_long` otherwise)."""
    provider, model = gateway.resolve(request.provider, request.model)
    max_tokens = request.max_tokens or default_max_tokens
    check_size(gateway, request.messages, max_tokens)
    answer_schema = request.answer_schema or (
        gateway.schemas.get(request.response_schema) if request.response_schema else None
    )
    call = ProviderRequest(
        model=model,
        messages=request.messages,
        temperature=request.temperature,
        max_tokens=max_tokens,
        output=answer_schema.output if answer_schema else None,
        stop=request.stop,
        prompt_version=request.prompt_version,
    )
    return provider, call, answer_schema
