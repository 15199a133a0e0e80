"""Prices: `AI_PRICES` over genai-prices' bundled table, the fake provider free, unknown
models None (never 0), micro-dollar rounding, tiered prices, one lookup per model."""

from __future__ import annotations

import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal

import genai_prices
import pytest
from genai_prices import data_snapshot

from app.ai.pricing import PriceTable


def maintained(model: str, provider_id: str, prompt: int, completion: int) -> Decimal:
    """What genai-prices itself says the usage costs, to the micro-dollar."""
    usage = genai_prices.Usage(input_tokens=prompt, output_tokens=completion)
    price = genai_prices.calc_price(usage, model, provider_id=provider_id).total_price
    return Decimal(price).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize(
    ("provider", "model", "provider_id"),
    [
        ("openai", "gpt-4o-mini", "openai"),
        ("openai", "gpt-4o-mini-2024-07-18", "openai"),  # a dated name as the API reports it
        ("azure", "gpt-4o", "azure"),  # Azure's table, falling back to OpenAI's models
        ("anthropic", "claude-haiku-4-5", "anthropic"),
    ],
)
def test_models_are_priced_from_genai_prices(provider: str, model: str, provider_id: str) -> None:
    table = PriceTable({})
    assert table.cost(provider, model, 12_345, 678) == maintained(model, provider_id, 12_345, 678)
    price = table.price(provider, model)
    assert price is not None and all(p > 0 for p in price)


def test_the_known_gpt_4o_mini_price_per_million_tokens() -> None:
    assert PriceTable({}).price("openai", "gpt-4o-mini") == (Decimal("0.15"), Decimal("0.6"))
    assert PriceTable({}).cost("openai", "gpt-4o-mini", 1_000_000, 1_000_000) == Decimal("0.75")


def test_a_tiered_price_gives_its_base_rate_and_costs_the_tier() -> None:
    table = PriceTable({})
    price_in, _ = table.price("anthropic", "claude-sonnet-4-5") or (None, None)
    assert price_in == Decimal(3)  # the base rate; past 200K prompt tokens it is dearer
    big = table.cost("anthropic", "claude-sonnet-4-5", 250_000, 0)
    assert big == maintained("claude-sonnet-4-5", "anthropic", 250_000, 0)
    assert big is not None and big > Decimal("0.75")  # not 250K at the base rate


def test_ai_prices_override_the_table_and_price_unknown_models() -> None:
    table = PriceTable({"openai:gpt-4o-mini": (1, 2), "azure:my-deployment": ("0.5", "1.5")})
    assert table.price("openai", "gpt-4o-mini") == (Decimal(1), Decimal(2))
    assert table.cost("openai", "gpt-4o-mini", 1_000_000, 500_000) == Decimal("2.000000")
    assert table.price("azure", "my-deployment") == (Decimal("0.5"), Decimal("1.5"))


@pytest.mark.parametrize(
    ("provider", "model"),
    [
        ("openai", "local-llama"),  # an OpenAI-compatible server's own model
        ("azure", "my-deployment"),  # a deployment name that is no model name
        ("anthropic", "claude-none-9"),
        ("elsewhere", "gpt-4o-mini"),  # a provider genai-prices is not asked about
    ],
)
def test_unknown_prices_are_none_not_zero(provider: str, model: str) -> None:
    table = PriceTable({})
    assert table.price(provider, model) is None
    assert table.cost(provider, model, 100, 100) is None


def test_the_fake_provider_costs_zero_explicitly() -> None:
    table = PriceTable({})
    assert table.price("fake", "fake-1") == (Decimal(0), Decimal(0))
    assert table.cost("fake", "fake-1", 10_000, 10_000) == Decimal("0.000000")


def test_costs_are_rounded_half_up_to_the_micro_dollar() -> None:
    table = PriceTable({"openai:m": ("0.5", "0")})
    assert table.cost("openai", "m", 1, 0) == Decimal("0.000001")  # 0.0000005 rounds up
    assert table.cost("openai", "m", 0, 0) == Decimal("0.000000")
    assert str(table.cost("openai", "m", 3, 0)) == "0.000002"  # six places, always


def test_a_lookup_is_made_once_per_model() -> None:
    table = PriceTable({})
    first = table.price("openai", "gpt-4o-mini")
    assert table.price("openai", "gpt-4o-mini") is first  # the cached answer, not a new one
    assert table.price("openai", "local-llama") is None
    assert table.price("openai", "local-llama") is None


def test_prices_come_from_the_bundled_data_not_the_network() -> None:
    """No auto-update: the snapshot in use is the one genai-prices ships."""
    PriceTable({}).cost("openai", "gpt-4o-mini", 1, 1)
    assert data_snapshot.get_snapshot().from_auto_update is False


def test_building_the_app_does_not_load_the_price_table(root_dir) -> None:
    """genai-prices' table takes about a third of a second to import: the first lookup
    pays it, not every worker's start (nor a worker that never prices anything)."""
    probe = (
        "import sys; from app.main import create_app; create_app(); "
        "print(sorted(m for m in sys.modules if m.startswith('genai_prices')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=root_dir,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "sqlite://", "LOG_LEVEL": "WARNING"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "[]"
