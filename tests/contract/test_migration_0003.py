"""Upgrading an existing SQLite database (revision 0002, with data) to head keeps every row
and id, gives each account its own session stamp, and leaves every table AUTOINCREMENT.

Alembic runs the way `make migrate` runs it (migrations/env.py builds its own engine from
DATABASE_URL), which turns SQLite's foreign keys off while tables are rebuilt. The control
runs the same upgrade on a connection with foreign keys on and loses the child rows, so the
data checks can fail.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

TABLES = ("users", "api_keys", "refresh_tokens")
T0 = "2026-01-01 00:00:00"


def _config(root: Path) -> Config:
    cfg = Config(str(root / "alembic.ini"))
    cfg.attributes["skip_logging"] = True
    return cfg


def _database_at_0002(root: Path, path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database at revision 0002 with users (ids 1, 2, 4: 3 was deleted), keys, tokens."""
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    command.upgrade(_config(root), "0002")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys=ON")
        for uid in (1, 2, 3, 4):
            db.execute(
                "INSERT INTO users (id, email, full_name, password_hash, role, is_active,"
                " created_at, updated_at) VALUES (?, ?, 'N', 'h', 'user', 1, ?, ?)",
                (uid, f"u{uid}@example.com", T0, T0),
            )
        db.execute("DELETE FROM users WHERE id = 3")
        for kid, uid in ((10, 1), (11, 4), (12, 4)):
            db.execute(
                "INSERT INTO api_keys (id, user_id, name, prefix, key_hash, created_at)"
                " VALUES (?, ?, 'k', ?, 'h', ?)",
                (kid, uid, f"ak_{kid:08d}", T0),
            )
        for tid, uid in ((20, 2), (21, 4)):
            db.execute(
                "INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at,"
                " expires_at) VALUES (?, ?, 'fam', ?, ?, '2027-01-01 00:00:00')",
                (tid, uid, f"hash-{tid}", T0),
            )
    return url


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    columns = {
        "users": "id, email, full_name, password_hash, role, is_active, created_at, updated_at",
        "api_keys": "id, user_id, name, prefix, key_hash, created_at, revoked_at",
        "refresh_tokens": "id, user_id, family_id, token_hash, expires_at, used_at, revoked_at",
    }
    with sqlite3.connect(path) as db:
        return {
            t: db.execute(f"SELECT {columns[t]} FROM {t} ORDER BY id").fetchall() for t in TABLES
        }


def test_upgrade_keeps_rows_ids_and_links(
    root_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    _database_at_0002(root_dir, path, monkeypatch)
    before = _rows(path)
    assert [len(before[t]) for t in TABLES] == [3, 3, 2]

    command.upgrade(_config(root_dir), "head")

    assert _rows(path) == before
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        stamps = [s for (s,) in db.execute("SELECT session_stamp FROM users")]
        assert len(set(stamps)) == 3, "every account has a stamp of its own"
        assert all(len(s) == 32 and int(s, 16) >= 0 for s in stamps)
        for table in TABLES:
            (sql,) = db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone()
            assert "AUTOINCREMENT" in sql, sql
        assert (
            "DEFAULT"
            not in db.execute("SELECT sql FROM sqlite_master WHERE name = 'users'").fetchone()[0]
        ), "the backfill default is dropped"
        # The highest id ever used (4) is remembered: deleting it does not free it.
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("DELETE FROM users WHERE id = 4")
        assert db.execute("SELECT count(*) FROM api_keys WHERE user_id = 4").fetchone() == (0,)
        db.execute(
            "INSERT INTO users (email, full_name, password_hash, role, is_active, created_at,"
            " updated_at, session_stamp) VALUES ('new@example.com', 'N', 'h', 'user', 1, ?, ?,"
            " 'x')",
            (T0, T0),
        )
        (new_id,) = db.execute("SELECT id FROM users WHERE email = 'new@example.com'").fetchone()
    assert new_id == 5


def test_control_with_foreign_keys_on_the_rebuild_loses_child_rows(
    root_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    url = _database_at_0002(root_dir, path, monkeypatch)
    before = _rows(path)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
            cfg = _config(root_dir)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
    finally:
        engine.dispose()
    after = _rows(path)
    assert after["users"] == before["users"]
    assert after["api_keys"] == [] and after["refresh_tokens"] == []
