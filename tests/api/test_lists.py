"""The list conventions every resource shares, through `GET /users` (the first list on the
shared helper): `q` search with literal `%`/`_`, the created-at window, sort allow-lists,
exact totals, pages past the end and RFC 8288 `Link` headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import connexion
import pytest
from starlette.testclient import TestClient

from app.accounts.models import User
from tests.auth_helpers import Account, make_user, resources
from tests.problems import assert_problem

USERS = "/api/v1/users"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _set(app: connexion.FlaskApp, user: User, **fields: Any) -> None:
    with resources(app).db.transaction() as session:
        row = session.get(User, user.id)
        assert row is not None
        for name, value in fields.items():
            setattr(row, name, value)


def _emails(client: TestClient, admin: Account, query: str) -> list[str]:
    response = client.get(f"{USERS}?{query}", headers=admin.headers)
    assert response.status_code == 200, response.text
    return [u["email"] for u in response.json()["data"]["items"]]


@pytest.fixture
def named(app: connexion.FlaskApp) -> dict[str, User]:
    """Accounts whose names hold LIKE wildcards and non-ASCII letters."""
    names = {
        "pct@example.com": "100% Ada",
        "plain@example.com": "1000 Ada",
        "under@example.com": "snake_case",
        "nounder@example.com": "snakeXcase",
        "slash@example.com": "back\\slash",
        "greek@example.com": "ΣΟΦΙΑ Papadopoulou",
        "umlaut@example.com": "Jürgen Groß",
    }
    made = {}
    for email, name in names.items():
        made[email] = user = make_user(app, email)
        _set(app, user, full_name=name)
    return made


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("%", ["pct@example.com"]),  # not a wildcard: only the name with a percent sign
        ("0% a", ["pct@example.com"]),
        ("_", ["under@example.com"]),  # not "any one character"
        ("e_c", ["under@example.com"]),
        ("\\", ["slash@example.com"]),  # the escape character itself is literal too
        ("σοφια", ["greek@example.com"]),  # case-insensitive beyond ASCII, on every backend
        ("JÜRGEN", ["umlaut@example.com"]),
        ("PCT@EXAMPLE", ["pct@example.com"]),  # the email is searched as well
        ("nobody", []),
    ],
)
def test_q_is_a_literal_case_insensitive_substring(
    client: TestClient, admin: Account, named: dict[str, User], q: str, expected: list[str]
) -> None:
    response = client.get(USERS, params={"q": q, "size": 100}, headers=admin.headers)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert sorted(u["email"] for u in data["items"]) == sorted(expected)
    assert data["total"] == len(expected)


def test_created_window_is_exclusive_on_both_ends(
    app: connexion.FlaskApp, client: TestClient, admin: Account
) -> None:
    for day in range(5):
        user = make_user(app, f"day{day}@example.com")
        _set(app, user, created_at=T0 + timedelta(days=day))
    after, before = (T0 + timedelta(days=1)).isoformat(), (T0 + timedelta(days=3)).isoformat()
    query = {"created_after": after, "created_before": before}
    response = client.get(USERS, params=query, headers=admin.headers)
    assert [u["email"] for u in response.json()["data"]["items"]] == ["day2@example.com"]
    # Offsets other than Z mean the same instant.
    shifted = (T0 + timedelta(days=3)).astimezone(timezone(timedelta(hours=2))).isoformat()
    query = {"created_before": shifted, "sort": "email", "order": "asc", "role": "user"}
    response = client.get(USERS, params=query, headers=admin.headers)
    emails = [u["email"] for u in response.json()["data"]["items"]]
    assert emails == ["day0@example.com", "day1@example.com", "day2@example.com"]


@pytest.mark.parametrize(
    "window",
    [
        "created_after=2026-11-25T10:00:00Z&created_before=2026-11-25T10:00:00Z",  # empty
        "created_after=2026-11-26T00:00:00Z&created_before=2026-11-25T00:00:00Z",  # inverted
    ],
)
def test_an_empty_or_inverted_window_matches_nothing(
    client: TestClient, admin: Account, window: str
) -> None:
    # Each bound is valid alone and the spec cannot relate two parameters: no 400.
    response = client.get(f"{USERS}?{window}", headers=admin.headers)
    assert response.status_code == 200
    assert response.json()["data"]["items"] == [] and response.json()["data"]["total"] == 0


def test_bounds_beyond_python_datetime_still_work(client: TestClient, admin: Account) -> None:
    everyone = "created_after=0001-01-01T00:00:00%2B01:00&created_before=9999-12-31T23:59:59-01:00"
    response = client.get(f"{USERS}?{everyone}", headers=admin.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["total"] == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("created_after=yesterday", "created_after"),
        ("created_after=2026-11-25T10:00:00", "created_after"),  # no offset: ambiguous
        ("created_before=2026-11-25", "created_before"),  # a date is not a date-time
        ("created_after=2026-02-30T00:00:00Z", "created_after"),
        ("q=", "q"),
        ("q=%00", "q"),
        (f"q={'x' * 101}", "q"),
        ("sort=password_hash", "sort"),
        ("size=0", "size"),
        ("size=101", "size"),
        ("page=0", "page"),
        ("order=sideways", "order"),
    ],
)
def test_bad_list_parameters_are_400_naming_the_parameter(
    client: TestClient, admin: Account, query: str, field: str
) -> None:
    body = assert_problem(
        client.get(f"{USERS}?{query}", headers=admin.headers), 400, "invalid_parameter"
    )
    assert [(e["location"], e["field"]) for e in body["errors"]] == [("query", field)]


def test_an_unknown_sort_lists_the_allowed_fields(client: TestClient, admin: Account) -> None:
    body = assert_problem(
        client.get(f"{USERS}?sort=password_hash", headers=admin.headers), 400, "invalid_parameter"
    )
    message = body["errors"][0]["message"]
    for allowed in ("id", "email", "full_name", "role", "created_at"):
        assert allowed in message


def _links(response: Any) -> dict[str, str]:
    out = {}
    for part in response.headers["link"].split(", "):
        target, rel = part.split("; ")
        out[rel.removeprefix('rel="').removesuffix('"')] = target.strip("<>")
    return out


def test_link_header_walks_the_pages(
    app: connexion.FlaskApp, client: TestClient, admin: Account
) -> None:
    for i in range(6):
        make_user(app, f"u{i}@example.com")  # 7 users with the admin: 3 pages of 3
    first = client.get(f"{USERS}?size=3&sort=email&order=asc&role=user", headers=admin.headers)
    assert first.json()["data"]["pages"] == 2  # 6 users with role user
    links = _links(first)
    assert links == {
        "first": f"{USERS}?size=3&sort=email&order=asc&role=user&page=1",
        "next": f"{USERS}?size=3&sort=email&order=asc&role=user&page=2",
        "last": f"{USERS}?size=3&sort=email&order=asc&role=user&page=2",
    }
    seen = [u["email"] for u in first.json()["data"]["items"]]
    second = client.get(links["next"], headers=admin.headers)
    seen += [u["email"] for u in second.json()["data"]["items"]]
    assert seen == [f"u{i}@example.com" for i in range(6)]  # no overlap, nothing skipped
    assert set(_links(second)) == {"first", "prev", "last"}
    assert _links(second)["prev"].endswith("&page=1")


def test_a_page_past_the_end_is_empty_with_the_true_total(
    client: TestClient, admin: Account
) -> None:
    response = client.get(f"{USERS}?page=9&size=5", headers=admin.headers)
    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["items"], data["total"], data["page"], data["pages"]) == ([], 1, 9, 1)
    assert _links(response) == {
        "first": f"{USERS}?size=5&page=1",
        "prev": f"{USERS}?size=5&page=1",  # back to the last page that exists
        "last": f"{USERS}?size=5&page=1",
    }


def test_link_targets_ignore_the_host_header(client: TestClient, admin: Account) -> None:
    headers = {**admin.headers, "Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    response = client.get(f"{USERS}?size=5", headers=headers)
    assert "evil" not in response.headers["link"]
    assert all(t.startswith("/api/v1/users?") for t in _links(response).values())


def test_equal_sort_keys_never_repeat_or_skip_rows(
    app: connexion.FlaskApp, client: TestClient, admin: Account
) -> None:
    # Every user gets the same created_at: only the id tiebreaker orders them.
    for i in range(7):
        _set(app, make_user(app, f"same{i}@example.com"), created_at=T0)
    _set(app, admin.user, created_at=T0)
    seen: list[str] = []
    for page in (1, 2, 3):
        seen += _emails(client, admin, f"sort=created_at&order=desc&size=3&page={page}")
    assert len(seen) == 8 and len(set(seen)) == 8
