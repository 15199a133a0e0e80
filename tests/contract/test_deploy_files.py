"""The production shape is consistent with the code: Dockerfile, compose.yaml, nginx/.

No Docker engine runs here, so the files are checked for what they promise: the image is
multi-stage (uv, the hashed lock), runs as a non-root user, checks /health/live and starts
exactly `make serve`'s command; a tree holding only what the image copies starts the app
under that command (`gunicorn --check-config` loads it). compose.yaml has every service
with a healthcheck, `depends_on` conditions, named volumes, settings from .env, only real
settings in its environment, and a connection budget under PostgreSQL's max_connections.
`docker compose config` validates it too when the plugin is installed.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.settings import Settings, env_names
from app.settings.http import ServingSettings
from tests.serving import serve_command

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "api", "worker")
SETTINGS = set(env_names(Settings))


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per Dockerfile instruction, continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text())
    parsed = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            parsed.append((word.upper(), rest.strip()))
    return parsed


def stages(path: Path) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for word, rest in instructions(path):
        if word == "FROM":
            name = rest.split(" AS ")[-1].strip() if " AS " in rest else str(len(found))
            current = found.setdefault(name, [])
        current.append((word, rest))
    return found


def last_stage() -> list[tuple[str, str]]:
    return list(stages(ROOT / "Dockerfile").values())[-1]


def value(stage: list[tuple[str, str]], word: str) -> str:
    matches = [rest for w, rest in stage if w == word]
    assert len(matches) == 1, f"{word}: {matches}"
    return matches[0]


def image_command() -> list[str]:
    command: list[str] = json.loads(value(last_stage(), "CMD"))
    return command


def image_healthcheck() -> list[str]:
    check = value(last_stage(), "HEALTHCHECK")
    assert re.search(r"--start-period=\d+s", check) and re.search(r"--timeout=\d+s", check)
    healthcheck: list[str] = json.loads(check.split(" CMD ", 1)[1])
    return healthcheck


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def test_the_image_is_built_in_stages_with_uv_from_the_lock() -> None:
    built = stages(ROOT / "Dockerfile")
    assert list(built) == ["build", "runtime"]
    build = built["build"]
    makefile_uv = re.search(r"^UV_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M)
    assert makefile_uv is not None
    assert value(build, "ARG") == f"UV_VERSION={makefile_uv.group(1)}"
    assert any(w == "RUN" and "uv pip sync" in r and "requirements.lock" in r for w, r in build)
    runtime = built["runtime"]
    assert ("COPY", "--from=build /opt/venv /opt/venv") in runtime
    assert not any("uv" in shlex.split(r)[:3] for w, r in runtime if w == "RUN")


def test_the_image_runs_as_a_non_root_user() -> None:
    runtime = last_stage()
    user = value(runtime, "USER")
    assert user not in ("root", "0") and not user.startswith("0:")
    assert any(w == "RUN" and "useradd --system --uid 10001 --gid app" in r for w, r in runtime)
    # USER comes before HEALTHCHECK and CMD: the server never starts as root.
    words = [w for w, _ in runtime]
    assert words.index("USER") < words.index("CMD")


def test_the_image_starts_make_serves_command_and_checks_liveness() -> None:
    command = image_command()
    serve = serve_command("0.0.0.0", 8000)
    assert command == ["gunicorn", *serve[1:]]
    assert value(last_stage(), "EXPOSE") == "8000"
    check = image_healthcheck()
    assert "http://127.0.0.1:8000/api/v1/health/live" in check[-1]
    # compose checks the api the same way.
    assert compose()["services"]["api"]["healthcheck"]["test"] == ["CMD", *check]


def test_secrets_and_local_state_stay_out_of_the_build_context() -> None:
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    for entry in (".env", ".venv", "var", ".git"):
        assert entry in ignored


def test_what_the_image_copies_is_enough_to_start_the_app(tmp_path: Path) -> None:
    """Copy only the runtime stage's sources, then let gunicorn load the app from there."""
    tree = tmp_path / "image"
    tree.mkdir()
    for word, rest in last_stage():
        if word != "COPY" or rest.startswith("--from="):
            continue
        *sources, _destination = shlex.split(rest)
        for source in sources:
            origin = ROOT / source.rstrip("/")
            if origin.is_dir():
                shutil.copytree(
                    origin, tree / origin.name, ignore=shutil.ignore_patterns("__pycache__")
                )
            else:
                shutil.copy2(origin, tree / origin.name)
    env = {
        "PATH": os.environ["PATH"],
        "ENV": "production",
        "JWT_SECRET": "x" * 48,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.db'}",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    checked = subprocess.run(
        [gunicorn, "--check-config", *image_command()[1:]],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The worker and the migration run from the same tree (the worker refuses to load
    # without its broker's URL; importing it connects to nothing).
    broker = {"REDIS_URL": "redis://127.0.0.1:6379/0"}
    for module, extra in (("app.tasks.celery_app", broker), ("alembic.config", {})):
        probe = subprocess.run(
            [sys.executable, "-c", f"import {module}"],
            cwd=tree,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert probe.returncode == 0, probe.stderr
    assert (tree / "alembic.ini").is_file() and (tree / "migrations" / "env.py").is_file()
    # compose's migrate step: the flask CLI finds the app through .flaskenv, and its command.
    flask = str(Path(sys.executable).parent / "flask")
    prepare = subprocess.run(
        [flask, *compose()["services"]["migrate"]["command"][1:], "--help"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert prepare.returncode == 0, prepare.stderr
    assert "flask deploy prepare [OPTIONS] {local|staging|production}" in prepare.stdout


def test_compose_has_every_service_with_healthchecks_and_conditions() -> None:
    services = compose()["services"]
    assert set(services) == {"nginx", "api", "worker", "migrate", "postgres", "redis"}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["api"]["deploy"]["replicas"] == 2
    # Only nginx is published; replicas cannot have fixed names or host ports.
    assert [name for name, s in services.items() if "ports" in s] == ["nginx"]
    assert not any("container_name" in s for s in services.values())
    for name, service in services.items():
        if name != "migrate":  # one-shot: it exits when the schema is current
            assert service["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL"), name
        for dependency, rule in service.get("depends_on", {}).items():
            expected = (
                "service_completed_successfully" if dependency == "migrate" else "service_healthy"
            )
            assert rule == {"condition": expected}, (name, dependency)
    assert set(services["api"]["depends_on"]) == {"migrate", "postgres", "redis"}
    assert set(services["worker"]["depends_on"]) == {"migrate", "postgres", "redis"}
    assert set(services["migrate"]["depends_on"]) == {"postgres", "redis"}
    assert set(services["nginx"]["depends_on"]) == {"api"}


def test_compose_keeps_data_in_named_volumes() -> None:
    spec = compose()
    declared = set(spec["volumes"])
    assert declared == {"postgres-data", "redis-data"}
    mounts = {
        name: [v.split(":")[0] for v in s.get("volumes", [])]
        for name, s in spec["services"].items()
    }
    assert "postgres-data" in mounts["postgres"] and "redis-data" in mounts["redis"]
    assert mounts["nginx"] == ["./nginx/nginx.conf"]
    assert spec["services"]["nginx"]["volumes"] == ["./nginx/nginx.conf:/etc/nginx/nginx.conf:ro"]


def test_the_app_services_take_env_from_dotenv_and_pass_only_real_settings() -> None:
    services = compose()["services"]
    for name in APP_SERVICES:
        service = services[name]
        assert service["env_file"] == ".env", name
        assert service["build"] == "." and service["image"] == services["api"]["image"]
        unknown = set(service["environment"]) - SETTINGS
        assert not unknown, f"{name} passes variables that are no setting: {sorted(unknown)}"
        env = {k: str(v) for k, v in service["environment"].items()}
        assert env["ENV"] == "production"
        assert (
            env["DATABASE_URL"].startswith("postgresql+psycopg2://")
            and "@postgres:5432/" in env["DATABASE_URL"]
        )
        assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert services["migrate"]["command"] == [
        "flask",
        "deploy",
        "prepare",
        "production",
        "--migrate",
    ]
    worker_recipe = re.search(r"^worker:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert worker_recipe is not None
    assert ["celery", *shlex.split(worker_recipe.group(1))[1:]] == services["worker"]["command"]


def test_the_api_trusts_only_nginx_and_nginx_reaches_the_api() -> None:
    services = compose()["services"]
    nginx_address = services["nginx"]["networks"]["backend"]["ipv4_address"]
    assert services["api"]["environment"]["TRUSTED_PROXIES"] == nginx_address
    Settings(_env_file=None, trusted_proxies=nginx_address)  # type: ignore[call-arg]
    conf = (ROOT / "nginx" / "nginx.conf").read_text()
    bind_port = image_command()[image_command().index("--bind") + 1].rsplit(":", 1)[1]
    assert f"server api:{bind_port};" in conf


def test_the_connection_budget_fits_postgres() -> None:
    services = compose()["services"]
    command = services["postgres"]["command"]
    max_connections = int(command[command.index("-c") + 1].split("=")[1])

    def per_process(name: str) -> int:
        env = services[name]["environment"]
        return int(env["DATABASE_POOL_SIZE"]) + int(env["DATABASE_MAX_OVERFLOW"])

    api = services["api"]
    api_processes = api["deploy"]["replicas"] * int(api["environment"]["GUNICORN_WORKERS"])
    needed = api_processes * per_process("api") + per_process("worker") + per_process("migrate")
    reserved = 3  # PostgreSQL's superuser_reserved_connections
    assert needed <= max_connections - reserved, (needed, max_connections)


def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    if (
        docker is None
        or subprocess.run(
            [docker, "compose", "version"], capture_output=True, check=False, timeout=30
        ).returncode
    ):
        pytest.skip("the docker compose plugin is not installed (the checks above still run)")
    for name in ("compose.yaml", "Dockerfile", ".dockerignore"):
        shutil.copy2(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "nginx", tmp_path / "nginx")
    (tmp_path / ".env").write_text("POSTGRES_PASSWORD=check\nJWT_SECRET=" + "x" * 48 + "\n")
    checked = subprocess.run(
        [docker, "compose", "config", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_docker_waits_for_the_graceful_shutdown_before_killing_the_api() -> None:
    api = compose()["services"]["api"]
    graceful = int(
        api["environment"].get(
            "GUNICORN_GRACEFUL_TIMEOUT_SECONDS",
            ServingSettings.model_fields["graceful_timeout_seconds"].default,
        )
    )
    grace = re.fullmatch(r"(\d+)s", api["stop_grace_period"])
    assert grace is not None
    assert int(grace.group(1)) > graceful
