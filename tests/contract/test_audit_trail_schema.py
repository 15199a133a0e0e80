"""The audit trail's closed sets equal the spec's enums, and migration 0010 creates and
drops `audit_events` (with its filter indexes and no foreign key) on the configured backend."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

from app.audit.models import ActorKind, AuditAction
from app.contract.spec import load_spec
from tests.services import isolated_database

SCHEMAS = load_spec()["components"]["schemas"]


def test_audit_action_equals_the_spec_enum() -> None:
    assert sorted(SCHEMAS["AuditAction"]["enum"]) == sorted(a.value for a in AuditAction)


def test_actor_kind_equals_the_spec_enum() -> None:
    assert sorted(SCHEMAS["ActorKind"]["enum"]) == sorted(k.value for k in ActorKind)


def test_the_list_filter_is_the_same_enum() -> None:
    operation = load_spec()["paths"]["/admin/audit"]["get"]
    [action] = [p for p in operation["parameters"] if p.get("name") == "action"]
    assert action["schema"] == {"$ref": "#/components/schemas/AuditAction"}


def _config(root: Path, connection) -> Config:
    cfg = Config(str(root / "alembic.ini"))
    cfg.attributes["skip_logging"] = True
    cfg.attributes["connection"] = connection
    return cfg


def test_migration_0010_up_and_down(root_dir: Path, tmp_path: Path) -> None:
    with isolated_database(tmp_path) as url:  # already at head
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                cfg = _config(root_dir, conn)
                command.downgrade(cfg, "0009")
                assert "audit_events" not in inspect(conn).get_table_names()
                command.upgrade(cfg, "0010")
                found = inspect(conn)
                assert found.get_foreign_keys("audit_events") == []
                indexes = {i["name"]: i["column_names"] for i in found.get_indexes("audit_events")}
                assert indexes == {
                    "ix_audit_events_occurred": ["occurred_at", "id"],
                    "ix_audit_events_actor_occurred": ["actor_id", "occurred_at"],
                    "ix_audit_events_action_occurred": ["action", "occurred_at"],
                }
                # A row naming a user outlives the user (no foreign key, no cascade).
                conn.execute(
                    text(
                        "INSERT INTO users (id, email, full_name, password_hash, role, is_active,"
                        " session_stamp, created_at, updated_at) VALUES (41, 'a@example.com', 'a',"
                        " 'h', 'admin', true, 's', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    )
                )
                conn.execute(
                    text(
                        "INSERT INTO audit_events (occurred_at, action, actor_id, actor_kind,"
                        " target_type, target_id, details) VALUES (CURRENT_TIMESTAMP,"
                        " 'user.deleted', 41, 'jwt', 'user', 41, '{}')"
                    )
                )
                conn.execute(text("DELETE FROM users WHERE id = 41"))
                left = conn.execute(text("SELECT actor_id, target_id FROM audit_events")).all()
                assert [tuple(r) for r in left] == [(41, 41)]
                command.downgrade(cfg, "0009")
                assert "audit_events" not in inspect(conn).get_table_names()
                command.upgrade(cfg, "head")
        finally:
            engine.dispose()
