"""gunicorn's configuration comes from the settings, and its uvicorn worker is set up as
`python -m app` sets uvicorn: proxy headers only from TRUSTED_PROXIES, no second access
log, a drain bounded inside the graceful timeout."""

from __future__ import annotations

from typing import Any

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

import app.__main__ as dev_server
from app.serving import worker as serving_worker
from app.serving.options import WORKER_CLASS, gunicorn_options
from app.settings import Settings


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def gunicorn_config(values: Settings) -> Config:
    """What gunicorn builds from our config file (each value through its validator)."""
    cfg = Config()
    for name, value in gunicorn_options(values).items():
        cfg.set(name, value)
    return cfg


def make_worker(cfg: Config) -> serving_worker.AppUvicornWorker:
    return serving_worker.AppUvicornWorker(0, 0, [], None, cfg.timeout, cfg, Logger(cfg))


def test_gunicorn_settings_come_from_ours() -> None:
    cfg = gunicorn_config(
        settings(
            gunicorn_workers=3,
            gunicorn_timeout_seconds=40,
            gunicorn_graceful_timeout_seconds=25,
            gunicorn_keepalive_seconds=90,
            log_level="WARNING",
        )
    )
    assert (cfg.workers, cfg.timeout, cfg.graceful_timeout, cfg.keepalive) == (3, 40, 25, 90)
    assert cfg.worker_class_str == WORKER_CLASS
    assert cfg.worker_class is serving_worker.AppUvicornWorker
    assert cfg.loglevel == "warning"
    assert cfg.preload_app is False
    assert cfg.control_socket_disable is True
    assert cfg.accesslog is None


@pytest.mark.parametrize("value", ["", "10.0.0.5", "10.0.0.5,172.18.0.0/16,::1", "*"])
def test_the_worker_trusts_proxies_exactly_as_python_m_app(value: str) -> None:
    values = settings(trusted_proxies=value)
    uvicorn_config = make_worker(gunicorn_config(values)).config
    expected = dev_server.proxy_options(values)
    assert uvicorn_config.proxy_headers is expected["proxy_headers"]
    if expected["proxy_headers"]:
        assert uvicorn_config.forwarded_allow_ips == expected["forwarded_allow_ips"].split(",")


def test_without_trusted_proxies_gunicorns_localhost_default_is_gone() -> None:
    # gunicorn alone trusts 127.0.0.1 and ::1, and the stock uvicorn worker keeps proxy
    # headers on: any local client could pick its address.
    assert Config().forwarded_allow_ips == ["127.0.0.1", "::1"]
    uvicorn_config = make_worker(gunicorn_config(settings())).config
    assert uvicorn_config.proxy_headers is False


def test_the_worker_drains_inside_the_graceful_timeout() -> None:
    config = make_worker(gunicorn_config(settings(gunicorn_graceful_timeout_seconds=30))).config
    assert config.timeout_graceful_shutdown == 27
    assert config.access_log is False
    assert serving_worker.drain_seconds(5) == 2


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GUNICORN_WORKERS", "0"),
        ("GUNICORN_TIMEOUT_SECONDS", "0"),
        ("GUNICORN_GRACEFUL_TIMEOUT_SECONDS", "4"),
        ("GUNICORN_KEEPALIVE_SECONDS", "soon"),
    ],
)
def test_invalid_gunicorn_settings_are_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        Settings(_env_file=None)  # type: ignore[call-arg]
