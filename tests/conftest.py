"""Shared fixtures: a real, isolated database and Redis (when configured), the app, a client.

Style follows Flask's tutorial: `app` and `client` fixtures, one test module per feature.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import connexion
import pytest
import redis
from sqlmodel import SQLModel
from starlette.testclient import TestClient

from app.auth.revocation import MemoryRevocations
from app.main import create_app
from app.settings import Settings
from tests import services
from tests.auth_helpers import Account, account
from tests.fakes.llm_server import LLMServer
from tests.rate_limits import generous_overrides
from tests.spec_validation import remember_valid_specs

pytest_plugins = ["tests.xdist_groups"]  # `xdist_group` works again on pytest 9.2

RUN_ID = uuid.uuid4().hex[:12]
remember_valid_specs()  # each OpenAPI document is checked once per process, not per app


# Long runs first: parallel workers then end together instead of one finishing a long test
# alone at the end. Longest first (alone on an idle 2-core machine: the scaffold ~50 s, a
# Schemathesis pass as admin or user ~45 s, the Quick start ~40 s, the fault group ~90 s in a
# row on one worker), then the rest of the slow folders. pytest-xdist hands out
# `xdist_group`s first, then single tests in this order, each to the next free worker.
# Tests run in any order.
LONG_FIRST = (
    "cli/test_cli_new_resource.py::test_scaffold",
    "contract/test_schemathesis.py::test_authenticated[admin]",
    "contract/test_schemathesis.py::test_authenticated[user]",
    "live/test_quick_start.py",
    "fault/",
    "contract/test_schemathesis.py",
    "live/",
    "e2e/",
    "cli/",
    "contract/",
)


def pytest_sessionstart(session: pytest.Session) -> None:
    services.require_ci_services()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.removeprefix("tests/")
        return next((i for i, p in enumerate(LONG_FIRST) if path.startswith(p)), len(LONG_FIRST))

    items.sort(key=rank)  # stable: the order within each rank is kept


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with services.isolated_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> str | None:
    return services.redis_url()


@pytest.fixture(scope="session")
def make_settings(database_url: str, redis_url: str | None) -> Any:
    """Build Settings for tests: the isolated services plus any overrides."""

    def factory(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "env": "test",
            "database_url": database_url,
            "redis_url": redis_url,
            "log_level": "WARNING",
            # Namespace Redis keys per run so concurrent runs never share counters.
            "redis_key_prefix": f"test-{RUN_ID}",
            # Many apps share one PostgreSQL: keep few idle connections per app (the rest
            # overflow and close on return) so the suite stays under max_connections.
            "database_pool_size": 5,
            # Cheap argon2 parameters: the suite hashes many passwords.
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 1024,
            "password_hash_parallelism": 1,
            # Limits no test's traffic reaches (tests of limits set their own).
            "rate_limit_overrides": generous_overrides(),
            # A loaded CI machine can take longer than production's 0.25 s; a timeout here
            # would fail open and make tests that count requests flaky.
            "rate_limit_timeout_seconds": 2.0,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return factory


@pytest.fixture(scope="session")
def settings(make_settings: Any) -> Settings:
    settings: Settings = make_settings()
    return settings


@pytest.fixture(scope="session")
def app(settings: Settings) -> connexion.FlaskApp:
    return create_app(settings)


@pytest.fixture
def client(app: connexion.FlaskApp) -> TestClient:
    return app.test_client()


@pytest.fixture(autouse=True)
def _clean_state(request: pytest.FixtureRequest) -> Iterator[None]:
    """Isolation: every test starts with empty tables, no lockouts and no revocations."""
    if "database_url" not in request.fixturenames:
        yield
        return
    app: connexion.FlaskApp = request.getfixturevalue("app")
    yield
    svc = app.app.extensions["app_services"]
    with svc.db.transaction() as session:
        for table in reversed(SQLModel.metadata.sorted_tables):
            session.execute(table.delete())
    svc.auth.throttle.reset()
    svc.rate_limiter.reset()  # memory counters (Redis keys go below with the prefix)
    svc.cache.invalidate("*")  # the in-process caches too (Redis keys go below)
    svc.ai.cache.invalidate("*")
    if svc.redis is not None:
        services.delete_redis_keys(svc.redis, f"{svc.settings.redis.key_prefix}:*")
    elif isinstance(svc.auth.revocations, MemoryRevocations):
        svc.auth.revocations.clear()


@pytest.fixture
def admin(app: connexion.FlaskApp, client: TestClient) -> Account:
    return account(app, client, "admin@example.com", "admin")


@pytest.fixture
def member(app: connexion.FlaskApp, client: TestClient) -> Account:
    return account(app, client, "member@example.com", "user")


@pytest.fixture
def reader(app: connexion.FlaskApp, client: TestClient) -> Account:
    return account(app, client, "reader@example.com", "readonly")


@pytest.fixture
def other(app: connexion.FlaskApp, client: TestClient) -> Account:
    """A second user, for ownership: what `member` owns, `other` must not see or change."""
    return account(app, client, "other@example.com", "user")


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    """The local fake LLM server (OpenAI, Azure and Anthropic wire formats) the real SDKs call."""
    with LLMServer() as server:
        yield server


@pytest.fixture
def audit_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Captures the `audit` logger; tests/audit_log.py reads its records as JSON lines."""
    with caplog.at_level(logging.INFO, logger="audit"):
        yield caplog


@pytest.fixture(scope="session", autouse=True)
def _drop_run_redis_keys(redis_url: str | None) -> Iterator[None]:
    yield
    if redis_url:
        client = redis.Redis.from_url(redis_url)
        services.delete_redis_keys(client, f"test-{RUN_ID}*")
        client.close()


@pytest.fixture
def root_dir() -> Path:
    return services.ROOT
