"""Build the AI gateway from settings and the spec: one client per provider, once per
process (the SDK clients pool their connections and are safe to share between threads)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.ai.breaker import Breaker
from app.ai.budget import Budget, BudgetLimits
from app.ai.budget_store import CounterStore
from app.ai.gateway import AIGateway, AILimits, CachePolicy
from app.ai.metrics import PrometheusRecorder, breaker_changed, breaker_created
from app.ai.pricing import PriceTable
from app.ai.providers.base import Provider
from app.ai.providers.fake import FakeProvider
from app.ai.schemas import AnswerSchemas
from app.ai.warnings import Thresholds
from app.infra.cache import Cache
from app.settings import Settings


def _provider(settings: Settings, name: str) -> Provider:
    timeout, retries = settings.ai.timeout_s, settings.ai.max_retries
    if name == "fake":
        return FakeProvider(
            latency_s=settings.ai_fake.latency_ms / 1000,
            fail_status=settings.ai_fake.fail_status,
            invalid_answers=settings.ai_fake.invalid_answers,
            stream_pause_s=settings.ai_fake.stream_pause_ms / 1000,
        )
    if name == "anthropic":
        import anthropic  # noqa: PLC0415 - only when configured

        from app.ai.providers.anthropic_messages import AnthropicProvider  # noqa: PLC0415

        assert settings.ai.anthropic_api_key is not None
        anthropic_args: dict[str, Any] = {
            "api_key": settings.ai.anthropic_api_key.get_secret_value(),
            "base_url": settings.ai.anthropic_base_url,
            "timeout": timeout,
            "max_retries": retries,
        }
        return AnthropicProvider(
            anthropic.Anthropic(**anthropic_args),
            async_client=lambda: anthropic.AsyncAnthropic(**anthropic_args),
        )
    import openai  # noqa: PLC0415 - only when configured

    from app.ai.providers.openai_chat import OpenAIChatProvider  # noqa: PLC0415

    if name == "azure":
        assert settings.ai.azure_openai_api_key is not None
        assert settings.ai.azure_openai_endpoint is not None
        azure_args: dict[str, Any] = {
            "api_key": settings.ai.azure_openai_api_key.get_secret_value(),
            "azure_endpoint": settings.ai.azure_openai_endpoint,
            "api_version": settings.ai.azure_openai_api_version,
            "timeout": timeout,
            "max_retries": retries,
        }
        return OpenAIChatProvider(
            openai.AzureOpenAI(**azure_args),
            async_client=lambda: openai.AsyncAzureOpenAI(**azure_args),
            name="azure",
            max_tokens_param="max_tokens",
        )
    assert settings.ai.openai_api_key is not None
    openai_args: dict[str, Any] = {
        "api_key": settings.ai.openai_api_key.get_secret_value(),
        "base_url": settings.ai.base_url,
        "timeout": timeout,
        "max_retries": retries,
    }
    # OpenAI-compatible servers know `max_tokens`; OpenAI's newer models want the other.
    param = "max_tokens" if settings.ai.base_url else "max_completion_tokens"
    return OpenAIChatProvider(
        openai.OpenAI(**openai_args),
        async_client=lambda: openai.AsyncOpenAI(**openai_args),
        structured=settings.ai.structured_output,
        max_tokens_param=param,
    )


def budget_limits(settings: Settings) -> BudgetLimits:
    return BudgetLimits(
        daily_tokens={
            "user": settings.ai_budgets.daily_tokens_user,
            "admin": settings.ai_budgets.daily_tokens_admin,
            "readonly": settings.ai_budgets.daily_tokens_readonly,
        },
        daily_usd={
            "user": settings.ai_budgets.daily_usd_user,
            "admin": settings.ai_budgets.daily_usd_admin,
            "readonly": settings.ai_budgets.daily_usd_readonly,
        },
        max_output_tokens={
            "user": settings.ai_budgets.max_output_tokens_user,
            "admin": settings.ai_budgets.max_output_tokens_admin,
            "readonly": settings.ai_budgets.max_output_tokens_readonly,
        },
        default_max_tokens=settings.ai.max_output_tokens,
        allow_unknown_prices=settings.ai_budgets.allow_unknown_prices,
    )


def build_gateway(
    settings: Settings,
    spec: Mapping[str, Any],
    models: Any,
    cache: Cache,
    budget_store: CounterStore | None = None,
) -> AIGateway:
    """`models`: the generated wire models (`generated.models`), which validate answers;
    `cache`: where answers are kept (`AI_CACHE_TTL_SECONDS`); `budget_store`: the daily
    budget counters (Redis or the database)."""
    allowed, fallbacks = settings.ai.allowed_pairs, settings.ai.fallback_pairs
    names = list(dict.fromkeys(provider for provider, _ in allowed + fallbacks))
    for name in names:
        breaker_created(name)
    prices = PriceTable(settings.ai.prices)
    return AIGateway(
        providers={name: _provider(settings, name) for name in names},
        allowed=allowed,
        fallbacks=fallbacks,
        breakers={
            name: Breaker(
                name,
                failures=settings.ai.breaker_failures,
                open_s=settings.ai.breaker_open_s,
                on_change=breaker_changed,
            )
            for name in names
        },
        default=(settings.ai.provider, settings.ai.default_model),
        schemas=AnswerSchemas.from_spec(spec, models),
        prices=prices,
        budget=Budget(budget_store, budget_limits(settings), prices),
        limits=AILimits(
            max_prompt_chars=settings.ai.max_prompt_chars,
            context_tokens=settings.ai.context_tokens,
            validation_retries=settings.ai.validation_retries,
            thresholds=Thresholds(
                low_confidence=settings.ai.low_confidence,
                high_token_usage=settings.ai.high_token_usage,
                slow_ms=settings.ai.slow_ms,
                rate_limit_ratio=settings.ai.rate_limit_warning_ratio,
            ),
        ),
        cache=cache,
        health_ttl_seconds=settings.ai.health_ttl_seconds,
        metrics=PrometheusRecorder(),
        cache_policy=CachePolicy(
            scope=settings.ai.cache_scope,
            nonzero_temperature=settings.ai.cache_nonzero_temperature,
        ),
    )
