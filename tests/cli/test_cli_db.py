"""`flask db ...` (migrations) with CliRunner against the real database: each test that
moves or drops the schema gets a private one (tests/cli_apps.py)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from app.infra.migrations import ALEMBIC_INI, VERSIONS_DIR, Migrations
from tests.auth_helpers import make_user, resources
from tests.cli_apps import app_with, cli, own_app, unreachable_database_url, version


def _head() -> str:
    head = ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_current_head()
    assert head is not None
    return head


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _schema(url: str) -> dict[str, set[str]]:
    """Every table with its columns and whether they take NULL: what a migration changes."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            return {
                t: {f"{c['name']}{'?' if c['nullable'] else ''}" for c in found.get_columns(t)}
                for t in found.get_table_names()
            }
    finally:
        engine.dispose()


def _previous(revision: str) -> str:
    script = ScriptDirectory.from_config(Config(str(ALEMBIC_INI))).get_revision(revision)
    assert script is not None and isinstance(script.down_revision, str)
    return script.down_revision


def test_downgrade_one_step_then_upgrade_back(make_settings, tmp_path: Path) -> None:
    head = _head()
    with own_app(make_settings, tmp_path) as (app, url):
        at_head = _schema(url)
        down = cli(app, "db", "downgrade")  # default: -1
        assert down.exit_code == 0, down.output
        assert f"{head} -> {_previous(head)}" in down.output
        assert version(url) == _previous(head)
        assert _schema(url) != at_head  # the head revision's change was undone

        current = cli(app, "db", "current")
        assert current.exit_code == 0
        assert current.output.startswith(_previous(head)) and "at head" not in current.output

        up = cli(app, "db", "upgrade")
        assert up.exit_code == 0, up.output
        assert f"{_previous(head)} -> {head}" in up.output
        assert version(url) == head and _schema(url) == at_head
        assert cli(app, "db", "current").output.strip() == f"{head} (at head)"

        again = cli(app, "db", "upgrade")
        assert again.exit_code == 0 and f"nothing to do: at {head}" in again.output


def test_relative_and_absolute_revisions(make_settings, tmp_path: Path) -> None:
    with own_app(make_settings, tmp_path) as (app, url):
        assert cli(app, "db", "downgrade", "base").exit_code == 0
        assert version(url) is None and _tables(url) == {"alembic_version"}
        assert cli(app, "db", "upgrade", "+1").exit_code == 0
        assert version(url) == "0001"
        assert cli(app, "db", "upgrade", "0003").exit_code == 0
        assert version(url) == "0003"
        assert cli(app, "db", "downgrade", "-2").exit_code == 0
        assert version(url) == "0001"


def test_bad_revisions_exit_non_zero_and_change_nothing(make_settings, tmp_path: Path) -> None:
    head = _head()
    with own_app(make_settings, tmp_path) as (app, url):
        unknown = cli(app, "db", "upgrade", "nosuchrev")
        assert unknown.exit_code == 1
        assert "Can't locate revision identified by 'nosuchrev'" in unknown.output
        assert cli(app, "db", "downgrade", "nosuchrev").exit_code == 1
        assert version(url) == head
        assert cli(app, "db", "downgrade", "base").exit_code == 0
        below_base = cli(app, "db", "downgrade")
        assert below_base.exit_code == 1
        assert "Relative revision -1 didn't produce 1 migrations" in below_base.output
        assert "Traceback" not in below_base.output


def test_history_lists_every_revision_newest_first(app) -> None:
    result = cli(app, "db", "history")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    files = sorted(p.name for p in VERSIONS_DIR.glob("[0-9]*.py"))
    assert len(lines) == len(files)
    assert lines[0].startswith(f"{_previous(_head())} -> {_head()} (head): ")
    assert lines[-1].startswith("base (empty) -> 0001: ")


def test_migrate_needs_a_message(app) -> None:
    missing = cli(app, "db", "migrate")
    assert missing.exit_code == 2 and "Missing option '-m'" in missing.output
    blank = cli(app, "db", "migrate", "-m", "  ")
    assert blank.exit_code == 2 and "must say what the revision changes" in blank.output


def test_migrate_without_changes_writes_nothing(app, tmp_path: Path) -> None:
    before = _scripts(VERSIONS_DIR)
    result = cli(app, "db", "migrate", "-m", "nothing new", "--version-path", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "no changes" in result.output
    assert list(tmp_path.iterdir()) == []
    assert _scripts(VERSIONS_DIR) == before


def _scripts(folder: Path) -> list[Path]:
    """The revision files (Alembic's imports leave a `__pycache__` beside them)."""
    return sorted(p for p in folder.iterdir() if p.suffix == ".py")


def test_migrate_writes_the_difference_as_the_next_revision(make_settings, tmp_path) -> None:
    versions = tmp_path / "review"
    before = _scripts(VERSIONS_DIR)
    head = _head()
    with own_app(make_settings, tmp_path / "db") as (app, url):
        engine = create_engine(url)
        with engine.begin() as conn:  # the database lacks a table the models have
            conn.execute(text("DROP TABLE jobs"))
        engine.dispose()
        result = cli(app, "db", "migrate", "-m", "Restore jobs", "--version-path", str(versions))
        assert result.exit_code == 0, result.output
        written = _scripts(versions)
        nxt = f"{int(head) + 1:04d}"
        assert [p.name for p in written] == [f"{nxt}_restore_jobs.py"]
        assert str(written[0]) in result.output
        source = written[0].read_text()
        assert f"revision: str = '{nxt}'" in source
        assert f"down_revision: str | None = '{head}'" in source
        assert "op.create_table('jobs'" in source and "op.drop_table('jobs')" in source
        # The written revision is usable: the database upgrades through it.
        migrations = Migrations(resources(app).settings, version_path=versions)
        migrations.upgrade("head")
        assert version(url) == nxt and "jobs" in _tables(url)
    assert _scripts(VERSIONS_DIR) == before


def test_migrate_refuses_a_database_behind_head(make_settings, tmp_path: Path) -> None:
    with own_app(make_settings, tmp_path / "db") as (app, _url):
        assert cli(app, "db", "downgrade").exit_code == 0
        result = cli(app, "db", "migrate", "-m", "x", "--version-path", str(tmp_path / "v"))
        assert result.exit_code == 1
        assert "Target database is not up to date" in result.output
        assert not (tmp_path / "v").exists() or _scripts(tmp_path / "v") == []


def test_reset_needs_force(make_settings, tmp_path: Path) -> None:
    with own_app(make_settings, tmp_path) as (app, url):
        make_user(app, "keep@example.com")
        refused = cli(app, "db", "reset")
        assert refused.exit_code == 1
        assert "without --force" in refused.output
        assert _count_users(url) == 1


def test_reset_drops_everything_and_upgrades(make_settings, tmp_path: Path) -> None:
    with own_app(make_settings, tmp_path) as (app, url):
        make_user(app, "gone@example.com")
        engine = create_engine(url)
        with engine.begin() as conn:  # a stray table Alembic does not know goes too
            conn.execute(text("CREATE TABLE stray (id INTEGER PRIMARY KEY)"))
        engine.dispose()
        tables = _tables(url)
        result = cli(app, "db", "reset", "--force")
        assert result.exit_code == 0, result.output
        assert f"dropped {len(tables)} table(s), upgraded to {_head()}" in result.output
        assert _tables(url) == tables - {"stray"}
        assert _count_users(url) == 0 and version(url) == _head()


def test_reset_drops_cached_reads(make_settings, tmp_path: Path) -> None:
    # Ids start again after a reset: nothing cached under an old id may outlive it.
    with own_app(make_settings, tmp_path) as (app, _url):
        svc = resources(app)
        svc.cache.get_or_set("items:1", lambda: {"name": "old"})
        svc.ai.cache.get_or_set("ai:completion:user:1:abc", lambda: {"text": "old"})
        assert cli(app, "db", "reset", "--force").exit_code == 0
        assert svc.cache.get_or_set("items:1", lambda: "fresh") == "fresh"
        assert svc.ai.cache.get_or_set("ai:completion:user:1:abc", lambda: "fresh") == "fresh"


def test_reset_in_production_needs_an_extra_flag(make_settings, tmp_path: Path) -> None:
    production = {"env": "production", "jwt_secret": "p" * 48}
    with own_app(make_settings, tmp_path, **production) as (app, url):
        make_user(app, "prod@example.com")
        refused = cli(app, "db", "reset", "--force")
        assert refused.exit_code == 1 and "--allow-production" in refused.output
        assert _count_users(url) == 1
        allowed = cli(app, "db", "reset", "--force", "--allow-production")
        assert allowed.exit_code == 0, allowed.output
        assert _count_users(url) == 0


def test_an_unreachable_database_is_one_line_without_the_password(make_settings) -> None:
    url = unreachable_database_url(password="s3cret-pw")
    with app_with(make_settings, database_url=url, database_connect_timeout_seconds=1) as app:
        for args in (("current",), ("upgrade",), ("downgrade",), ("reset", "--force")):
            result = cli(app, "db", *args)
            assert result.exit_code == 1, args
            assert result.output.startswith("Error: Cannot reach the database at 127.0.0.1:")
            assert "start it, or fix the host and port in DATABASE_URL" in result.output
            assert "s3cret-pw" not in result.output
            assert "Traceback" not in result.output
        # History needs no database.
        assert cli(app, "db", "history").exit_code == 0


def _count_users(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM users")).scalar_one())
    finally:
        engine.dispose()


def test_unknown_costs_become_zero_on_downgrade_and_null_again_after(
    make_settings, tmp_path: Path
) -> None:
    """0011: `ai_usage.cost_usd` takes NULL (an unknown price); going back to 0010 writes 0."""
    with own_app(make_settings, tmp_path) as (app, url):
        assert cli(app, "db", "upgrade", "0011").exit_code == 0
        engine = create_engine(url)
        try:
            insert = (
                "INSERT INTO ai_usage (operation, provider, model, prompt_tokens,"
                " completion_tokens, cost_usd, latency_ms, attempts, outcome, cached, created_at)"
                " VALUES ('completion', 'openai', 'local-llama', 5, 5, NULL, 1, 1, 'ok', false,"
                " '2026-12-01 00:00:00')"
            )
            with engine.begin() as conn:
                conn.execute(text(insert))
            assert "cost_usd?" in _schema(url)["ai_usage"]
            down = cli(app, "db", "downgrade", "0010")
            assert down.exit_code == 0, down.output
            with engine.connect() as conn:
                cost = conn.execute(text("SELECT cost_usd FROM ai_usage")).scalar_one()
            assert cost == 0 and "cost_usd" in _schema(url)["ai_usage"]
            assert cli(app, "db", "upgrade").exit_code == 0
            assert "cost_usd?" in _schema(url)["ai_usage"]
        finally:
            engine.dispose()
