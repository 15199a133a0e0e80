"""AI_* (and the providers' keys): which models answer, how hard to retry, what each role
may spend, and the fake provider's misbehaviour (see app/ai/)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from app.settings.sections import Section

AI_PROVIDERS = ("fake", "openai", "azure", "anthropic")
# Settings each provider needs, as env var names.
_PROVIDER_NEEDS = {
    "fake": (),
    "openai": ("openai_api_key",),
    "azure": ("azure_openai_api_key", "azure_openai_endpoint"),
    "anthropic": ("anthropic_api_key",),
}


class AiSettings(Section):
    """The default model, the providers' credentials, retries, warnings, cache and streams."""

    # The default provider and model; requests may name others on AI_ALLOWED_MODELS.
    provider: Literal["fake", "openai", "azure", "anthropic"] = Field(
        default="fake", alias="AI_PROVIDER"
    )
    model: str | None = Field(default=None, min_length=1, max_length=100, alias="AI_MODEL")
    # Comma-separated provider:model pairs requests may choose; the default pair always is.
    allowed_models: str = Field(default="", alias="AI_ALLOWED_MODELS")
    # OpenAI, or any OpenAI-compatible server (vLLM, Ollama, LM Studio, a LiteLLM proxy).
    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    base_url: str | None = Field(default=None, alias="AI_BASE_URL")
    # `native`: response_format json_schema (strict); `instructions`: the schema goes into
    # the prompt and JSON is extracted from the answer (servers without json_schema support).
    structured_output: Literal["native", "instructions"] = Field(
        default="native", alias="AI_STRUCTURED_OUTPUT"
    )
    azure_openai_api_key: SecretStr | None = Field(default=None, alias="AZURE_OPENAI_API_KEY")
    azure_openai_endpoint: str | None = Field(default=None, alias="AZURE_OPENAI_ENDPOINT")
    azure_openai_api_version: str = Field(default="2024-10-21", alias="AZURE_OPENAI_API_VERSION")
    anthropic_api_key: SecretStr | None = Field(default=None, alias="ANTHROPIC_API_KEY")
    anthropic_base_url: str | None = Field(default=None, alias="ANTHROPIC_BASE_URL")
    timeout_s: float = Field(default=30.0, gt=0, le=600, alias="AI_TIMEOUT_S")
    # SDK retries (exponential backoff, Retry-After honoured) on 429, 5xx and timeouts.
    max_retries: int = Field(default=2, ge=0, le=10, alias="AI_MAX_RETRIES")
    # Re-asks with the validation errors when a structured answer is invalid.
    validation_retries: int = Field(default=2, ge=0, le=5, alias="AI_VALIDATION_RETRIES")
    # Comma-separated provider:model pairs tried in order when the chosen provider fails
    # with a retryable error (timeout, connection error, 429, 5xx, overloaded).
    fallbacks: str = Field(default="", alias="AI_FALLBACKS")
    # Each provider's circuit breaker: consecutive retryable failures that open it, and
    # seconds it stays open (skipped at once) before one probe call may try it again.
    breaker_failures: int = Field(default=5, ge=1, le=1000, alias="AI_BREAKER_FAILURES")
    breaker_open_s: float = Field(default=30.0, gt=0, le=3600, alias="AI_BREAKER_OPEN_S")
    max_prompt_chars: int = Field(default=32_000, ge=1, le=2_000_000, alias="AI_MAX_PROMPT_CHARS")
    # The model's context window, for the prompt-size estimate (about 4 characters a token).
    context_tokens: int = Field(default=128_000, ge=1, alias="AI_CONTEXT_TOKENS")
    max_output_tokens: int = Field(default=1024, ge=1, le=32_768, alias="AI_MAX_OUTPUT_TOKENS")
    # JSON: {"provider:model": [dollars per million prompt tokens, per million completion]};
    # overrides genai-prices' table and prices the models it lacks (app/ai/pricing.py).
    prices: dict[str, tuple[float, float]] = Field(default_factory=dict, alias="AI_PRICES")
    low_confidence: float = Field(default=0.5, ge=0, le=1, alias="AI_LOW_CONFIDENCE")
    high_token_usage: int = Field(default=8_000, ge=1, alias="AI_HIGH_TOKEN_USAGE")
    slow_ms: int = Field(default=10_000, ge=1, alias="AI_SLOW_MS")
    rate_limit_warning_ratio: float = Field(
        default=0.1, ge=0, le=1, alias="AI_RATE_LIMIT_WARNING_RATIO"
    )
    # Completion cache (Redis, or in-process): seconds an answer is kept; 0 turns it off.
    cache_ttl_seconds: int = Field(default=3600, ge=0, le=30 * 86_400, alias="AI_CACHE_TTL_SECONDS")
    # Answers at temperature > 0 are meant to vary: not cached unless this is true.
    cache_nonzero_temperature: bool = Field(default=False, alias="AI_CACHE_NONZERO_TEMPERATURE")
    # `user`: each user's cache is their own (a hit reveals nothing about other users'
    # prompts); `global`: identical requests share answers across users.
    cache_scope: Literal["user", "global"] = Field(default="user", alias="AI_CACHE_SCOPE")
    # POST /ai/batch: requests per batch (the spec allows 50) and how many run at once.
    batch_max: int = Field(default=50, ge=1, le=50, alias="AI_BATCH_MAX")
    batch_concurrency: int = Field(default=4, ge=1, le=50, alias="AI_BATCH_CONCURRENCY")
    # POST /ai/completions/stream: seconds between comment heartbeats on a quiet stream
    # (proxies close idle connections), how many streams one process holds open (past it,
    # 503 stream_capacity_reached with Retry-After), and how many one user holds open
    # (counted across processes with Redis; past it, 429 too_many_streams; 0 = no cap).
    stream_heartbeat_s: float = Field(default=15.0, gt=0, le=300, alias="AI_STREAM_HEARTBEAT_S")
    stream_max_open: int = Field(default=1000, ge=1, le=100_000, alias="AI_STREAM_MAX_OPEN")
    stream_max_open_per_user: int = Field(
        default=5, ge=0, le=100_000, alias="AI_STREAM_MAX_OPEN_PER_USER"
    )
    # Seconds a provider reachability check (GET /health's ai_service) is reused.
    health_ttl_seconds: float = Field(default=60.0, ge=0, le=3600, alias="AI_HEALTH_TTL_SECONDS")

    @model_validator(mode="after")
    def _check_pairs(self) -> AiSettings:
        """Every allowed and fallback pair is well formed, and every provider it names is
        configured."""
        for provider, _model in self.allowed_pairs:
            missing = missing_ai_settings(self, provider)
            if missing:
                msg = f"AI provider {provider} needs {', '.join(missing)}"
                raise ValueError(msg)
        for provider, model in self.fallback_pairs:
            missing = missing_ai_settings(self, provider)
            if missing:
                msg = (
                    f"AI_FALLBACKS names {provider}:{model}, but provider {provider} is not "
                    f"configured: it needs {', '.join(missing)}"
                )
                raise ValueError(msg)
        return self

    @property
    def default_model(self) -> str:
        defaults = {"fake": "fake-1", "openai": "gpt-4o-mini", "anthropic": "claude-haiku-4-5"}
        if self.model:
            return self.model
        if self.provider == "azure":
            return "gpt-4o-mini"  # the deployment name
        return defaults[self.provider]

    @property
    def allowed_pairs(self) -> list[tuple[str, str]]:
        """The default pair first, then AI_ALLOWED_MODELS (ValueError when malformed)."""
        pairs = [(self.provider, self.default_model)]
        return list(dict.fromkeys(pairs + _pairs("AI_ALLOWED_MODELS", self.allowed_models)))

    @property
    def fallback_pairs(self) -> list[tuple[str, str]]:
        """AI_FALLBACKS in order (ValueError when malformed)."""
        return _pairs("AI_FALLBACKS", self.fallbacks)


class AiBudgetSettings(Section):
    """What each role may spend per UTC day and ask for per request (0 = unlimited)."""

    # Tokens per user per UTC day, by role; over it, 429 ai_quota_exceeded.
    daily_tokens_user: int = Field(default=200_000, ge=0, alias="AI_DAILY_TOKENS_USER")
    daily_tokens_admin: int = Field(default=0, ge=0, alias="AI_DAILY_TOKENS_ADMIN")
    daily_tokens_readonly: int = Field(default=0, ge=0, alias="AI_DAILY_TOKENS_READONLY")
    # Dollars per user per UTC day, by role, at the prices of AI_PRICES.
    # Like the token quota it is a cap: each call reserves its worst case first.
    daily_usd_user: Decimal = Field(
        default=Decimal(0), ge=0, le=1_000_000, decimal_places=6, alias="AI_DAILY_USD_USER"
    )
    daily_usd_admin: Decimal = Field(
        default=Decimal(0), ge=0, le=1_000_000, decimal_places=6, alias="AI_DAILY_USD_ADMIN"
    )
    daily_usd_readonly: Decimal = Field(
        default=Decimal(0), ge=0, le=1_000_000, decimal_places=6, alias="AI_DAILY_USD_READONLY"
    )
    # With a dollar budget, a model whose price is unknown is refused (400 unknown_price)
    # unless this is true (then its calls count 0 dollars).
    allow_unknown_prices: bool = Field(default=False, alias="AI_ALLOW_UNKNOWN_PRICES")
    # The most output tokens a request of each role may ask for (0 = AI_MAX_OUTPUT_TOKENS);
    # above it, 400 max_tokens_too_large. A request naming none gets AI_MAX_OUTPUT_TOKENS
    # (or the role's ceiling, if lower).
    max_output_tokens_user: int = Field(
        default=0, ge=0, le=32_768, alias="AI_MAX_OUTPUT_TOKENS_USER"
    )
    max_output_tokens_admin: int = Field(
        default=0, ge=0, le=32_768, alias="AI_MAX_OUTPUT_TOKENS_ADMIN"
    )
    max_output_tokens_readonly: int = Field(
        default=0, ge=0, le=32_768, alias="AI_MAX_OUTPUT_TOKENS_READONLY"
    )


class AiFakeSettings(Section):
    """AI_FAKE_*: the fake provider's misbehaviour, for tests and demos."""

    latency_ms: int = Field(default=0, ge=0, le=600_000, alias="AI_FAKE_LATENCY_MS")
    fail_status: int | None = Field(default=None, ge=400, le=599, alias="AI_FAKE_FAIL_STATUS")
    invalid_answers: int = Field(default=0, ge=0, le=100, alias="AI_FAKE_INVALID_ANSWERS")
    stream_pause_ms: int = Field(default=0, ge=0, le=60_000, alias="AI_FAKE_STREAM_PAUSE_MS")


def _pairs(name: str, value: str) -> list[tuple[str, str]]:
    """Comma-separated `provider:model` pairs, deduplicated in order."""
    pairs: list[tuple[str, str]] = []
    for item in filter(None, (p.strip() for p in value.split(","))):
        provider, sep, model = item.partition(":")
        if not sep or provider not in AI_PROVIDERS or not model:
            known = ", ".join(AI_PROVIDERS)
            msg = f"{name}: expected provider:model (provider one of {known}), got {item!r}"
            raise ValueError(msg)
        pairs.append((provider, model))
    return list(dict.fromkeys(pairs))


def missing_ai_settings(ai: AiSettings, provider: str) -> list[str]:
    """The settings (as env var names) a provider needs and does not have."""
    return [name.upper() for name in _PROVIDER_NEEDS[provider] if getattr(ai, name) is None]
