"""Fixtures of the completion tests (one-shot, streamed, batched)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import connexion
import pytest
from starlette.testclient import TestClient

from app.main import create_app
from tests.auth_helpers import Account, account

MakeApp = Callable[..., tuple[connexion.FlaskApp, TestClient, Account]]


@pytest.fixture
def ai_app(make_settings: Any) -> MakeApp:
    """An app with AI settings of the test's choosing, and a signed-in user of it."""

    def make(role: str = "user", **settings: Any) -> tuple[connexion.FlaskApp, TestClient, Account]:
        app = create_app(make_settings(**settings))
        client = app.test_client()
        return app, client, account(app, client, f"{role}-ai@example.com", role)

    return make
