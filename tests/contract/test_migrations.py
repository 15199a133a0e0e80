"""Alembic migrations run on the configured backend (SQLite or PostgreSQL) and match the models."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from tests.services import isolated_database


def _config(root: Path, connection) -> Config:
    cfg = Config(str(root / "alembic.ini"))
    cfg.attributes["skip_logging"] = True
    cfg.attributes["connection"] = connection
    return cfg


def test_upgrade_check_downgrade_upgrade(root_dir: Path, tmp_path: Path) -> None:
    with isolated_database(tmp_path) as url:  # already upgraded to head
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                cfg = _config(root_dir, conn)
                command.check(cfg)  # models and migrations agree
                command.downgrade(cfg, "base")
                assert inspect(conn).get_table_names() == ["alembic_version"]
                command.upgrade(cfg, "head")
                head = ScriptDirectory.from_config(cfg).get_current_head()
                version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                assert version == head
        finally:
            engine.dispose()


def test_single_head(root_dir: Path) -> None:
    cfg = Config(str(root_dir / "alembic.ini"))
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1
