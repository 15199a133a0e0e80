"""`flask ai ...` against the real app: provider check, cache clearing, statistics."""

from __future__ import annotations

from typing import Any

import connexion
from click.testing import Result
from starlette.testclient import TestClient

from app.completions.models import AIUsage
from app.main import create_app
from tests.auth_helpers import Account, resources

COMPLETE = "/api/v1/ai/completions"


def ai(app: connexion.FlaskApp, *args: str) -> Result:
    return app.app.test_cli_runner().invoke(args=["ai", *args])


def test_test_connection_reports_the_answer(app: connexion.FlaskApp) -> None:
    result = ai(app, "test-connection")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: fake:fake-1 answered")


def test_test_connection_refuses_models_off_the_allow_list(app: connexion.FlaskApp) -> None:
    result = ai(app, "test-connection", "--provider", "openai")
    assert result.exit_code == 1
    assert "(unsupported_model)" in result.output and "fake:fake-1" in result.output


def test_test_connection_reports_provider_failures(make_settings: Any) -> None:
    failing = create_app(make_settings(ai_fake_fail_status=401))
    result = ai(failing, "test-connection")
    assert result.exit_code == 1
    assert "(ai_provider_auth)" in result.output


def test_clear_cache_drops_cached_answers(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    ask = {"prompt": "cache then clear", "temperature": 0}
    client.post(COMPLETE, json=ask, headers=member.headers)
    assert client.post(COMPLETE, json=ask, headers=member.headers).json()["data"]["cached"]
    result = ai(app, "clear-cache")
    assert result.exit_code == 0 and "completion cache cleared" in result.output
    assert not client.post(COMPLETE, json=ask, headers=member.headers).json()["data"]["cached"]


def test_show_stats_prints_totals_models_and_users(
    app: connexion.FlaskApp, client: TestClient, member: Account
) -> None:
    for prompt in ("a", "b", "a"):
        client.post(COMPLETE, json={"prompt": prompt, "temperature": 0}, headers=member.headers)
    result = ai(app, "show-stats", "--days", "7")
    assert result.exit_code == 0, result.output
    assert "requests 3" in result.output and "cache hits 33%" in result.output
    assert "fake:fake-1" in result.output and f"user {member.user.id}" in result.output
    assert "unpriced" not in result.output
    with resources(app).db.transaction() as session:  # a model nobody has a price for
        session.add(
            AIUsage(
                user_id=member.user.id,
                operation="completion",
                provider="openai",
                model="local-llama",
                prompt_tokens=3,
                completion_tokens=4,
                cost_usd=None,
                outcome="ok",
            )
        )
    unpriced = ai(app, "show-stats", "--days", "7").output
    assert "requests 4" in unpriced and "cost $0.000000 (+1 unpriced)" in unpriced
    assert ai(app, "show-stats", "--days", "0").exit_code == 2
