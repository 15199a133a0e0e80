import re

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsError

from app.main import create_app
from app.settings import DEFAULT_SQLITE_URL, ConfigurationError, Settings, env_names, load_settings
from tests.keys import write_keypair


def test_defaults_are_the_embedded_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "REDIS_URL", "ENV", "WSGI_THREADS", "MAX_BODY_BYTES"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database.url == DEFAULT_SQLITE_URL
    assert "/var/app.db" in settings.database.url
    assert settings.database.is_sqlite
    assert settings.redis.url is None
    assert settings.ai.provider == "fake"
    assert settings.serving.wsgi_threads >= 64
    assert settings.env == "development"


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://u@h/db")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("WSGI_THREADS", "128")
    monkeypatch.setenv("MAX_BODY_BYTES", "2048")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert not settings.database.is_sqlite
    assert settings.redis.url == "redis://127.0.0.1:6379/0"
    assert settings.serving.wsgi_threads == 128
    assert settings.api.max_body_bytes == 2048


def test_empty_redis_url_means_not_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "")
    assert Settings(_env_file=None).redis.url is None  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WSGI_THREADS", "0"),
        ("WSGI_THREADS", "many"),
        ("MAX_BODY_BYTES", "-1"),
        ("ENV", "staging"),
        ("LOG_LEVEL", "LOUD"),
        ("AI_PROVIDER", "unknown"),
    ],
)
def test_invalid_values_are_rejected(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_env_example_documents_every_setting(root_dir) -> None:
    documented = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (root_dir / ".env.example").read_text().splitlines()
        if "=" in line and line.lstrip("# ")[:1].isupper()
    }
    expected = set(env_names(Settings))
    assert expected <= documented, f"undocumented: {sorted(expected - documented)}"


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ValidationError, match="development default"):
        Settings(_env_file=None, env="production")  # type: ignore[call-arg]


@pytest.mark.parametrize("env", ["development", "production"])
def test_short_hs256_secrets_are_refused(env: str) -> None:
    with pytest.raises(ValidationError, match="at least 32 bytes"):
        Settings(_env_file=None, env=env, jwt_secret="too-short")  # type: ignore[call-arg]


def test_production_accepts_a_real_secret() -> None:
    settings = Settings(_env_file=None, env="production", jwt_secret="x" * 48)  # type: ignore[call-arg]
    assert settings.env == "production"


def test_asymmetric_algorithms_need_key_files(tmp_path) -> None:
    with pytest.raises(ValidationError, match="JWT_PRIVATE_KEY_FILE"):
        Settings(_env_file=None, jwt_algorithm="RS256")  # type: ignore[call-arg]
    private, _, _ = write_keypair(tmp_path, "ec")
    with pytest.raises(ValidationError, match="JWT_PUBLIC_KEY_FILE must name a readable"):
        Settings(_env_file=None, jwt_algorithm="ES256", jwt_private_key_file=private)  # type: ignore[call-arg]


def test_invalid_rate_limit_notation_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a rate limit"):
        Settings(_env_file=None, login_rate_limit_per_email="often")  # type: ignore[call-arg]


def test_app_refuses_to_start_in_production_with_default_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ENV", "production")
    monkeypatch.delenv("JWT_SECRET", raising=False)
    with pytest.raises(ConfigurationError) as info:
        create_app()
    assert "JWT_SECRET is the development default" in str(info.value.code)


def test_readme_configuration_table_documents_every_setting(root_dir) -> None:
    """Rows may abbreviate: `PASSWORD_HASH_TIME_COST`, `_MEMORY_KIB` means
    PASSWORD_HASH_MEMORY_KIB (a leading underscore continues a prefix of the row's first name)."""
    readme = (root_dir / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented: set[str] = set()
    for row in table.splitlines():
        if not row.startswith("| `"):
            continue
        names = re.findall(r"`([A-Z_][A-Z0-9_]*)`", row.split("|")[1])
        full = [n for n in names if not n.startswith("_")]
        documented.update(full)
        parts = full[0].split("_") if full else []
        for short in (n for n in names if n.startswith("_")):
            documented.update("_".join(parts[:i]) + short for i in range(1, len(parts)))
    expected = set(env_names(Settings))
    assert expected <= documented, f"not in README's table: {sorted(expected - documented)}"


def test_sections_read_the_flat_variables(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Grouping changed the code's names only: every variable keeps its name, from the
    environment, an .env file or a keyword argument alike."""
    monkeypatch.setenv("AI_PRICES", '{"fake:fake-1": [1, 2]}')
    (tmp_path / ".env").write_text("JOBS_CONCURRENCY=7\nREDIS_KEY_PREFIX=from-file\n")
    settings = Settings(_env_file=tmp_path / ".env", redis_key_prefix="kw")  # type: ignore[call-arg]
    assert settings.ai.prices == {"fake:fake-1": (1.0, 2.0)}
    assert settings.jobs.concurrency == 7
    assert settings.redis.key_prefix == "kw"  # a keyword argument wins over the file
    assert "DATABASE_URL" in env_names(Settings)
    assert len(env_names(Settings)) == len(set(env_names(Settings)))


def test_an_unknown_setting_is_refused() -> None:
    with pytest.raises(TypeError, match="unknown setting 'databse_url'"):
        Settings(_env_file=None, databse_url="sqlite://")  # type: ignore[call-arg]


def test_an_invalid_variable_is_named_in_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBS_LEASE_SECONDS", "1")
    with pytest.raises(ConfigurationError, match=r"JOBS_LEASE_SECONDS: Input should be"):
        load_settings()


def test_a_json_setting_that_is_not_json_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AI_PRICES", "nope")
    with pytest.raises(SettingsError, match='"AI_PRICES" from source "EnvSettingsSource"'):
        Settings(_env_file=None)  # type: ignore[call-arg]
