"""`python -m app`: uvicorn gets its proxy trust from TRUSTED_PROXIES (never its own default of
127.0.0.1), the banner says where the docs are and how to get an admin, and `make run` /
`make dev` serve through it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import app.__main__ as serving
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def settings(**values: Any) -> Settings:
    # An in-memory database: main() connects once at startup, and unit tests write no file.
    values.setdefault("database_url", "sqlite://")
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_no_trusted_proxies_means_no_proxy_headers() -> None:
    assert serving.proxy_options(settings()) == {"proxy_headers": False}


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        ("127.0.0.1", "127.0.0.1"),
        (" 10.0.0.5 , 172.18.0.0/16,::1 ", "10.0.0.5,172.18.0.0/16,::1"),
        ("*", "*"),
    ],
)
def test_trusted_proxies_are_passed_to_uvicorn(value: str, normalised: str) -> None:
    assert serving.proxy_options(settings(trusted_proxies=value)) == {
        "proxy_headers": True,
        "forwarded_allow_ips": normalised,
    }


@pytest.mark.parametrize("value", ["10.0.0.5/16", "proxy.internal", "*,10.0.0.1", "10.0.0"])
def test_malformed_trusted_proxies_are_refused(value: str) -> None:
    # uvicorn would take each as a name no client ever has, and trust nobody, silently.
    with pytest.raises(ValidationError, match="not an IP address or network"):
        settings(trusted_proxies=value)


def test_main_serves_the_factory_with_the_settings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr(serving, "load_settings", lambda: settings(trusted_proxies="10.0.0.5"))
    monkeypatch.setattr(serving.uvicorn, "run", lambda *a, **kw: calls.append((a, kw)))
    serving.main(["--host", "0.0.0.0", "--port", "9001"])
    [(args, kwargs)] = calls
    assert args == ("app.main:create_app",)
    assert kwargs["factory"] is True
    assert (kwargs["host"], kwargs["port"]) == ("0.0.0.0", 9001)
    assert (kwargs["proxy_headers"], kwargs["forwarded_allow_ips"]) == (True, "10.0.0.5")
    assert kwargs["reload"] is False
    out = capsys.readouterr().out
    assert "http://127.0.0.1:9001/docs" in out
    assert ".venv/bin/flask users create-admin you@example.com" in out


def test_reload_watches_code_and_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(serving, "load_settings", settings)
    monkeypatch.setattr(serving.uvicorn, "run", lambda *a, **kw: calls.append(kw))
    serving.main(["--reload"])
    [kwargs] = calls
    assert kwargs["reload"] is True and kwargs["proxy_headers"] is False
    assert set(kwargs["reload_dirs"]) == {"app", "openapi"}
    assert "*.yaml" in kwargs["reload_includes"]


def test_make_run_and_dev_serve_through_the_entry_point() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "dev"):
        recipe = re.search(rf"^{target}:.*\n\t(.+)$", makefile, re.MULTILINE)
        assert recipe is not None, target
        assert "python -m app " in recipe.group(1), recipe.group(1)


def _project_copy(tmp_path: Path, dotenv: str) -> Path:
    """The Makefile (and the lock files its rules name) in a directory with this .env."""
    for name in ("Makefile", "requirements.lock", "requirements-dev.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".env").write_text(dotenv)
    return tmp_path


def _make(cwd: Path, *args: str, **env: str) -> str:
    base = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "MAKEFLAGS")}
    done = subprocess.run(
        ["make", "-s", *args], cwd=cwd, env={**base, **env}, capture_output=True, text=True,
        check=True, timeout=30,
    )  # fmt: skip
    return done.stdout


def test_make_help_prints_the_real_address(tmp_path: Path) -> None:
    project = _project_copy(tmp_path, 'HOST=0.0.0.0\nPORT="8123"\n')
    out = _make(project, "help")
    assert "serve on http://0.0.0.0:8123" in out
    assert "$(" not in out
    # The environment and the command line win over .env, as for python -m app.
    assert "http://0.0.0.0:9000" in _make(project, "help", PORT="9000")
    assert "http://0.0.0.0:9001" in _make(project, "help", "PORT=9001")
    assert "http://127.0.0.1:8000" in _make(_project_copy(tmp_path, ""), "help")


def test_make_run_listens_where_dotenv_says(tmp_path: Path) -> None:
    project = _project_copy(tmp_path, "PORT=8123\nHOST=0.0.0.0\n")
    assert "python -m app --host 0.0.0.0 --port 8123" in _make(project, "-n", "run")


def test_python_m_app_reads_host_and_port_from_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / ".env").write_text("HOST=127.0.0.1\nPORT=8123\nDATABASE_URL=sqlite://\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(serving.uvicorn, "run", lambda *a, **kw: calls.append(kw))
    serving.main([])
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", 8123)
    serving.main(["--port", "8124"])  # the command line wins
    assert calls[1]["port"] == 8124
