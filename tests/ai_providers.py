"""Settings that point each real provider SDK at the local fake LLM server
(tests/fakes/llm_server.py): shared by the test modules that go through the SDKs."""

from __future__ import annotations

from typing import Any

from tests.fakes.llm_server import LLMServer

KEY = "sk-test-provider-key-never-shown"


def provider_settings(provider: str, server: LLMServer) -> dict[str, Any]:
    common = {"ai_provider": provider, "ai_max_retries": 2, "ai_timeout_s": 5}
    if provider == "openai":
        return {**common, "openai_api_key": KEY, "ai_base_url": server.openai_base_url}
    if provider == "azure":
        return {
            **common,
            "azure_openai_api_key": KEY,
            "azure_openai_endpoint": server.azure_endpoint,
            "ai_model": "my-deployment",
        }
    return {**common, "anthropic_api_key": KEY, "anthropic_base_url": server.anthropic_base_url}
