"""The audit trail written by the services: one row per action with the right fields, in the
action's transaction (a rollback leaves none, a failed write fails the action), security
events in their own transaction (a failed write never changes the caller's error), and one
`audit` log record per committed row."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlmodel import select

from app.accounts.models import Role, User
from app.accounts.principal import Principal
from app.audit.models import ActorKind, AuditAction, AuditEvent
from app.audit.trail import ANONYMOUS, Actor, AuditTrail
from app.auth import api_keys
from app.auth.login_throttle import LoginThrottle
from app.auth.models import ApiKey
from app.auth.service import AuthService
from app.errors import AuthenticationError, ConflictError, InvalidInputError, TooManyAttemptsError
from app.infra.logging import configure_logging
from app.users import service as users
from tests.audit_log import audit_lines
from tests.auth_helpers import PASSWORD, make_user, resources


def rows(app: Any) -> list[AuditEvent]:
    with resources(app).db.unit_of_work() as uow:
        return list(uow.session.exec(select(AuditEvent).order_by(AuditEvent.id)).all())


def trail_of(user: User, *, request_id: str = "req-1") -> AuditTrail:
    return AuditTrail(Actor(ActorKind.JWT, user.id, user.email), request_id, "203.0.113.9")


def stored_user(app: Any, user_id: int | None) -> User | None:
    with resources(app).db.unit_of_work() as uow:
        return uow.session.get(User, user_id)


@pytest.fixture
def boss(app: Any) -> User:
    return make_user(app, "boss@example.com", Role.ADMIN)


@pytest.fixture
def ada(app: Any) -> User:
    return make_user(app, "ada@example.com")


def admin_update(app: Any, user_id: int | None, trail: AuditTrail, **changes: Any) -> User:
    res = resources(app)
    assert user_id is not None
    with res.db.unit_of_work() as uow:
        return users.admin_update(uow, res.auth, user_id, audit=trail, **changes)


def test_a_role_change_writes_one_row_with_every_field(app, boss: User, ada: User) -> None:
    admin_update(app, ada.id, trail_of(boss), role=Role.READONLY)
    [row] = rows(app)
    assert row.action == AuditAction.USER_ROLE_CHANGED
    assert (row.actor_id, row.actor_email, row.actor_kind) == (boss.id, boss.email, "jwt")
    assert (row.target_type, row.target_id) == ("user", ada.id)
    assert row.details == {"email": "ada@example.com", "from": "user", "to": "readonly"}
    assert (row.request_id, row.client_address) == ("req-1", "203.0.113.9")
    assert row.occurred_at.tzinfo is not None


@pytest.mark.parametrize(
    ("changes", "actions"),
    [
        ({"is_active": False}, ["user.deactivated"]),
        ({"role": Role.ADMIN, "is_active": False}, ["user.role_changed", "user.deactivated"]),
        ({"role": Role.USER}, []),  # no change, no row
        ({"is_active": True}, []),
    ],
)
def test_each_real_change_writes_one_row(
    app, boss: User, ada: User, changes: dict[str, Any], actions: list[str]
) -> None:
    admin_update(app, ada.id, trail_of(boss), **changes)
    assert [r.action for r in rows(app)] == actions


def test_reactivation_is_audited(app, boss: User) -> None:
    gone = make_user(app, "gone@example.com", active=False)
    admin_update(app, gone.id, trail_of(boss), is_active=True)
    assert [(r.action, r.target_id) for r in rows(app)] == [("user.reactivated", gone.id)]


def test_the_row_outlives_its_target_and_its_actor(app, boss: User, ada: User) -> None:
    res = resources(app)
    other = make_user(app, "other@example.com", Role.ADMIN)
    with res.db.unit_of_work() as uow:
        users.delete_user(uow, ada.id or 0, cache=res.cache, audit=trail_of(boss))
    with res.db.unit_of_work() as uow:  # now the actor goes too
        users.delete_user(uow, boss.id or 0, cache=res.cache, audit=trail_of(other))
    first, second = rows(app)
    assert (first.action, first.target_id, first.actor_id) == ("user.deleted", ada.id, boss.id)
    assert first.details == {"email": "ada@example.com", "role": "user"}
    assert first.actor_email == "boss@example.com"  # the snapshot survives the account
    assert (second.target_id, second.actor_id) == (boss.id, other.id)
    assert stored_user(app, boss.id) is None and stored_user(app, ada.id) is None


def test_creating_and_revoking_an_api_key_are_audited_without_its_secret(app, ada: User) -> None:
    res = resources(app)
    principal = Principal(user=ada, method="bearer")
    with res.db.unit_of_work() as uow:
        created = api_keys.create_key(
            uow, principal, name="nightly", expires_at=None, audit=trail_of(ada)
        )
        key_id = created.key.id or 0
        api_keys.revoke_key(
            uow,
            principal,
            key_id=key_id,
            audit=trail_of(ada),
            revocations=res.auth.revocations,
        )
    made, revoked = rows(app)
    expected = {"owner_id": ada.id, "name": "nightly", "prefix": created.key.prefix}
    for row, action in ((made, "api_key.created"), (revoked, "api_key.revoked")):
        assert (row.action, row.target_type, row.target_id) == (action, "api_key", key_id)
        assert row.details == expected
        dumped = json.dumps(row.model_dump(mode="json"))
        assert created.secret not in dumped and created.key.key_hash not in dumped


def test_a_refused_action_writes_nothing(app, boss: User) -> None:
    with pytest.raises(ConflictError):  # the last admin cannot be demoted
        admin_update(app, boss.id, trail_of(boss), role=Role.USER)
    assert rows(app) == []


def test_a_rolled_back_action_leaves_no_row_and_no_log_record(
    app, boss: User, ada: User, audit_log: pytest.LogCaptureFixture
) -> None:
    res = resources(app)

    def change_then_fail() -> None:
        with res.db.unit_of_work() as uow, uow.transaction():
            # The service's write joins this transaction, which then fails.
            users.admin_update(uow, res.auth, ada.id or 0, role=Role.ADMIN, audit=trail_of(boss))
            raise RuntimeError("after the action")

    with pytest.raises(RuntimeError, match="after the action"):
        change_then_fail()
    assert rows(app) == []
    assert stored_user(app, ada.id).role == Role.USER  # type: ignore[union-attr]
    assert audit_lines(audit_log) == []
    # The control: the same change, committed, writes both.
    admin_update(app, ada.id, trail_of(boss), role=Role.ADMIN)
    assert len(rows(app)) == 1
    assert [line["action"] for line in audit_lines(audit_log)] == ["user.role_changed"]


def test_a_failing_audit_write_fails_the_action(app, boss: User, ada: User) -> None:
    # A NUL cannot be stored (app/infra/db.py refuses it on every backend): a real failure.
    broken = AuditTrail(Actor(ActorKind.JWT, boss.id, "boss\x00@example.com"), "req-1")
    with pytest.raises(InvalidInputError):
        admin_update(app, ada.id, broken, role=Role.READONLY)
    with pytest.raises(InvalidInputError):
        admin_update(app, ada.id, broken, is_active=False)
    res = resources(app)
    with res.db.unit_of_work() as uow, pytest.raises(InvalidInputError):
        users.delete_user(uow, ada.id or 0, cache=res.cache, audit=broken)
    user = stored_user(app, ada.id)
    assert user is not None and user.role == Role.USER and user.is_active
    assert rows(app) == []


def test_the_log_record_carries_the_event(
    app, boss: User, ada: User, audit_log: pytest.LogCaptureFixture
) -> None:
    admin_update(app, ada.id, trail_of(boss, request_id="log-req-7"), is_active=False)
    [row] = rows(app)
    [line] = audit_lines(audit_log)
    assert line["event"] == "audit" and line["level"] == "info"
    assert line["audit_id"] == row.id
    assert line["action"] == "user.deactivated"
    assert line["request_id"] == "log-req-7"
    assert (line["actor_id"], line["actor_email"], line["actor_kind"]) == (
        boss.id,
        boss.email,
        "jwt",
    )
    assert (line["target_type"], line["target_id"]) == ("user", ada.id)
    assert line["details"] == {"email": "ada@example.com"}
    assert line["client_address"] == "203.0.113.9"


def test_audit_records_survive_a_quiet_log_level() -> None:
    root = logging.getLogger()
    saved = root.level
    try:
        configure_logging("ERROR")
        assert not root.isEnabledFor(logging.INFO)
        assert logging.getLogger("audit").isEnabledFor(logging.INFO)
        assert not logging.getLogger("app.access").isEnabledFor(logging.INFO)  # the control
    finally:
        root.setLevel(saved)


def test_a_failed_login_writes_a_security_event(app, ada: User) -> None:
    res = resources(app)
    trail = AuditTrail(ANONYMOUS, "req-9", "198.51.100.4")
    for email in ("Ada@example.com", "nobody@example.com"):
        with res.db.unit_of_work() as uow, pytest.raises(AuthenticationError):
            res.auth.login(uow, email=email, password="wrong pass", client="c", audit=trail)
    known, unknown = rows(app)
    assert known.action == unknown.action == AuditAction.AUTH_LOGIN_FAILED
    assert (known.target_type, known.target_id) == ("user", ada.id)
    assert known.details == {"email": "ada@example.com", "reason": "invalid_credentials"}
    assert (unknown.target_type, unknown.target_id) == (None, None)
    assert unknown.details == {"email": "nobody@example.com", "reason": "invalid_credentials"}
    assert (known.actor_kind, known.actor_id, known.request_id) == ("anonymous", None, "req-9")
    assert "wrong pass" not in json.dumps([r.model_dump(mode="json") for r in rows(app)])


def test_an_inactive_account_login_is_audited_with_its_reason(app) -> None:
    make_user(app, "off@example.com", active=False)
    res = resources(app)
    with res.db.unit_of_work() as uow, pytest.raises(Exception, match="deactivated"):
        res.auth.login(uow, email="off@example.com", password=PASSWORD, client="c")
    [row] = rows(app)
    assert row.details == {"email": "off@example.com", "reason": "user_inactive"}
    assert row.client_address == "c"  # without a trail: anonymous, from `client`


def test_a_successful_login_writes_nothing(app, ada: User) -> None:
    res = resources(app)
    with res.db.unit_of_work() as uow:
        res.auth.login(uow, email="ada@example.com", password=PASSWORD, client="c")
    assert rows(app) == []


def test_a_failing_security_event_write_keeps_the_callers_error(
    app, ada: User, audit_log: pytest.LogCaptureFixture
) -> None:
    res = resources(app)
    broken = AuditTrail(ANONYMOUS, "req\x00", "c")
    with res.db.unit_of_work() as uow, pytest.raises(AuthenticationError) as info:
        res.auth.login(
            uow, email="ada@example.com", password="wrong pass", client="c", audit=broken
        )
    assert info.value.code == "invalid_credentials"
    assert rows(app) == []
    [line] = audit_lines(audit_log)
    assert (line["event"], line["level"]) == ("audit_write_failed", "error")
    assert (line["action"], line["target_id"]) == ("auth.login_failed", ada.id)
    [record] = [r for r in audit_log.records if r.name == "audit"]
    assert record.msg["exc_info"] is True  # type: ignore[index]  # logged with its traceback


def _throttled(auth: AuthService, throttle: LoginThrottle) -> AuthService:
    return AuthService(
        passwords=auth.passwords,
        tokens=auth.tokens,
        revocations=auth.revocations,
        throttle=throttle,
        refresh_ttl_seconds=auth.refresh_ttl_seconds,
    )


def test_a_lockout_is_audited_once_per_window(app, ada: User) -> None:
    res = resources(app)
    throttle = LoginThrottle.create(
        redis=res.redis,
        key_prefix=res.settings.redis.key_prefix,  # emptied after every test
        per_email="2/minute",
        per_client="1000/minute",
        register_per_client="1000/minute",
    )
    auth = _throttled(res.auth, throttle)
    trail = AuditTrail(ANONYMOUS, "req-lock", "c")
    for _ in range(2):
        with res.db.unit_of_work() as uow, pytest.raises(AuthenticationError):
            auth.login(uow, email="ada@example.com", password="wrong pass", client="c", audit=trail)
    for _ in range(3):  # refused: only the first refusal is a new lockout
        with res.db.unit_of_work() as uow, pytest.raises(TooManyAttemptsError):
            auth.login(uow, email="ada@example.com", password=PASSWORD, client="c", audit=trail)
    actions = [r.action for r in rows(app)]
    assert actions == ["auth.login_failed", "auth.login_failed", "auth.locked_out"]
    locked = rows(app)[-1]
    assert locked.details["email"] == "ada@example.com"
    assert locked.details["scope"] == "email"
    assert 1 <= int(locked.details["retry_after"] or 0) <= 60
    assert locked.request_id == "req-lock"


def test_a_reused_refresh_token_is_audited(app, ada: User) -> None:
    res = resources(app)
    with res.db.unit_of_work() as uow:
        first = res.auth.login(uow, email="ada@example.com", password=PASSWORD, client="c")
    with res.db.unit_of_work() as uow:
        res.auth.refresh(uow, refresh_token=first.refresh_token)
    assert rows(app) == []  # a normal rotation is not an event
    trail = AuditTrail(ANONYMOUS, "req-reuse", "c")
    with res.db.unit_of_work() as uow, pytest.raises(AuthenticationError) as info:
        res.auth.refresh(uow, refresh_token=first.refresh_token, audit=trail)
    assert info.value.code == "refresh_token_reused"
    [row] = rows(app)
    assert (row.action, row.target_type, row.target_id) == (
        "auth.refresh_token_reused",
        "user",
        ada.id,
    )
    assert set(row.details) == {"family_id"}
    assert first.refresh_token not in json.dumps(row.model_dump(mode="json"))


@pytest.mark.parametrize(
    "details",
    [
        {"password": "x"},
        {"refresh_token": "x"},
        {"key_hash": "x"},
        {"client_secret": "x"},
        {"nested": {"a": 1}},
        {f"k{i}": "x" * 200 for i in range(20)},  # over the size bound
    ],
)
def test_details_refuse_credentials_nesting_and_bulk(details: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="audit"):
        AuditTrail().event(AuditAction.USER_DELETED, details=details)


def test_long_detail_text_is_cut() -> None:
    event = AuditTrail().event(AuditAction.USER_DELETED, details={"email": "x" * 1000})
    assert event.details == {"email": "x" * 254}


def test_api_key_ids_of_other_users_write_nothing(app, ada: User) -> None:
    res = resources(app)
    bob = make_user(app, "bob@example.com")
    with res.db.unit_of_work() as uow:
        created = api_keys.create_key(
            uow,
            Principal(user=ada, method="bearer"),
            name="k",
            expires_at=None,
            audit=trail_of(ada),
        )
    before = rows(app)
    with res.db.unit_of_work() as uow, pytest.raises(Exception, match="does not exist"):
        api_keys.revoke_key(
            uow,
            Principal(user=bob, method="bearer"),
            key_id=created.key.id or 0,
            audit=trail_of(bob),
            revocations=res.auth.revocations,
        )
    assert [r.action for r in before] == ["api_key.created"]
    assert rows(app) == before
    with res.db.unit_of_work() as uow:
        assert uow.session.get(ApiKey, created.key.id).revoked_at is None  # type: ignore[union-attr]
