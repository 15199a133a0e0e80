"""The jobs backend talks only to the broker the settings name: without REDIS_URL, `make
worker` refuses to start with one line, instead of Celery's fallback to
amqp://guest@localhost (which connects to any RabbitMQ running on the machine)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from app.infra.jobqueue import make_celery
from app.settings import ConfigurationError, Settings

ROOT = Path(__file__).resolve().parents[2]


def worker_command() -> list[str]:
    """`make worker`'s recipe, as written in the Makefile, with the venv's bin filled in."""
    found = re.search(r"^worker:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert found is not None, "the Makefile has no worker target"
    return shlex.split(found.group(1).replace("$(BIN)", str(Path(sys.executable).parent)))


@pytest.mark.parametrize("configured", [None, ""])
def test_worker_without_redis_url_refuses_to_start(tmp_path: Path, configured: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "JOBS_BACKEND")}
    if configured is not None:
        env["REDIS_URL"] = configured
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'app.db'}"
    done = subprocess.run(
        worker_command(), check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode != 0
    [line] = done.stderr.strip().splitlines()  # one line, no traceback
    assert line.startswith("The jobs worker needs REDIS_URL"), done.stderr[-2000:]
    assert "amqp" not in done.stdout + done.stderr  # never reached Celery's default broker
    assert "Traceback" not in done.stderr


def test_make_celery_never_falls_back_to_the_default_broker() -> None:
    # Explicitly unset: CI exports REDIS_URL, which Settings would read.
    settings = Settings(_env_file=None, redis_url=None)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="REDIS_URL"):
        make_celery(settings)


def test_make_celery_uses_exactly_redis_url() -> None:
    url = "redis://127.0.0.1:6399/3"
    app = make_celery(Settings(_env_file=None, redis_url=url))  # type: ignore[call-arg]
    assert app.conf.broker_url == url
    connection = app.connection_for_write()
    assert (connection.transport_cls, connection.hostname, connection.port) == (
        "redis",
        "127.0.0.1",
        6399,
    )


# Celery lets these environment variables override the broker it was given in code (its
# Settings.broker_url reads CELERY_BROKER_URL first), so a stray one from another project
# would send the jobs to a broker the settings never named.
CELERY_BROKER_ENV = ("CELERY_BROKER_URL", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL")


@pytest.mark.parametrize("variable", CELERY_BROKER_ENV)
def test_make_celery_refuses_a_broker_from_celerys_own_environment(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "amqp://guest@127.0.0.1:5672//")
    settings = Settings(_env_file=None, redis_url="redis://127.0.0.1:6399/3")  # type: ignore[call-arg]
    with pytest.raises(ConfigurationError, match=variable):
        make_celery(settings)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"CELERY_BROKER_URL": "amqp://guest@127.0.0.1:5672//"}, "CELERY_BROKER_URL"),
        ({"REDIS_URL": "amqp://guest@127.0.0.1:5672//"}, "REDIS_URL"),
    ],
)
def test_worker_refuses_a_broker_that_is_not_redis_url(
    tmp_path: Path, overrides: dict[str, str], expected: str
) -> None:
    """Not only a missing REDIS_URL: a REDIS_URL that is not Redis, or Celery's own
    variable pointing elsewhere, must not reach a RabbitMQ on the machine either."""
    env = {k: v for k, v in os.environ.items() if k not in ("JOBS_BACKEND", *CELERY_BROKER_ENV)}
    env.update(REDIS_URL="redis://127.0.0.1:6399/3", DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}")
    env.update(overrides)
    done = subprocess.run(
        worker_command(), check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode != 0
    assert expected.lower() in done.stderr.lower(), done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "ready" not in done.stdout + done.stderr


def test_redis_url_must_be_a_redis_url() -> None:
    with pytest.raises(ValueError, match="redis://"):
        Settings(_env_file=None, redis_url="amqp://guest@127.0.0.1:5672//")  # type: ignore[call-arg]
    for url in ("redis://127.0.0.1:6379/0", "rediss://cache.internal:6380/1", "unix:///tmp/r.sock"):
        assert Settings(_env_file=None, redis_url=url).redis.url == url  # type: ignore[call-arg]
