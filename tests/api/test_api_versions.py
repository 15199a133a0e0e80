"""The `API-Version` request header: absent or the latest is served as the latest; older
supported versions are served; deprecated ones get Deprecation, Sunset and Link headers;
unknown or retired ones are a 400 listing what is served."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from starlette.testclient import TestClient

from app.contract.spec import load_spec
from app.http.api_versions import ApiVersions
from app.main import create_app
from app.settings import Settings, VersionDeprecation
from tests.asgi import raw_call
from tests.auth_helpers import Account, account
from tests.problems import assert_problem

LIVE = "/api/v1/health/live"


@pytest.fixture(scope="module")
def versioned(make_settings: Any) -> Any:
    return create_app(
        make_settings(
            api_supported_versions="0.9.0",
            api_deprecated_versions={
                "0.8.0": {"deprecated": "2026-01-01", "sunset": "2099-07-01"},
                "0.7.0": {"deprecated": "2019-01-01", "sunset": "2020-01-01"},  # retired
            },
            api_deprecation_url="https://example.com/api/deprecations",
        )
    )


@pytest.mark.parametrize("headers", [{}, {"API-Version": "1.0.0"}])
def test_the_latest_is_the_default(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get(LIVE, headers=headers)
    assert response.status_code == 200
    assert response.headers["api-version"] == "1.0.0"
    assert "deprecation" not in response.headers and "sunset" not in response.headers


@pytest.mark.parametrize(
    "asked", ["0.1.0", "2.0.0", "1.0", "v1", "", "1.0.0-beta", "1.0.0.0", " 1.0.0x", "x" * 500]
)
def test_unsupported_versions_are_refused(client: TestClient, asked: str) -> None:
    response = client.get(LIVE, headers={"API-Version": asked})
    body = assert_problem(response, 400, "unsupported_api_version")
    assert "supported versions: 1.0.0" in body["detail"]
    assert "latest: 1.0.0" in body["detail"]
    assert len(body["detail"]) <= 200
    error = {"location": "header", "field": "API-Version"}
    assert body["errors"] == [{**error, "message": "must be one of: 1.0.0 (latest 1.0.0)"}]


def test_a_repeated_header_is_refused(app: Any) -> None:
    status, headers, body = raw_call(
        app, "GET", LIVE, [(b"api-version", b"1.0.0"), (b"api-version", b"1.0.0")]
    )
    assert status == 400
    assert body["code"] == "unsupported_api_version"
    assert headers[b"api-version"] == b"1.0.0"


# Checks answer in order: unknown path or method, credentials, role, version, validation.
# Each request below is wrong in two adjacent ways; the earlier check answers.
BAD = {"API-Version": "0"}


@pytest.mark.parametrize("method", ["TRACE", "PUT", "CONNECT"])
def test_an_unknown_method_is_405_before_the_version(client: TestClient, method: str) -> None:
    for path in (LIVE, "/api/v1/items", "/api/v1/auth/logout"):
        response = client.request(method, path, headers=BAD)
        assert_problem(response, 405, "method_not_allowed")
        assert response.headers["allow"]


def test_an_unknown_path_is_404_before_the_version(client: TestClient) -> None:
    assert_problem(client.get("/api/v1/nope", headers=BAD), 404, "not_found")


def test_missing_credentials_are_401_before_the_version(client: TestClient) -> None:
    # No Authorization, a bad version and no body: the credentials are wrong first.
    for method, path in (("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/items")):
        response = client.request(method, path, headers=BAD)
        assert_problem(response, 401, "not_authenticated")


def test_bad_credentials_are_401_before_the_version(client: TestClient) -> None:
    headers = {**BAD, "Authorization": "Bearer not-a-token"}
    response = client.post("/api/v1/items", headers=headers, json={})
    assert_problem(response, 401, "token_malformed")
    response = client.get("/api/v1/items", headers={**BAD, "X-API-Key": "sk_nope"})
    assert_problem(response, 401, "api_key_invalid")


def test_a_forbidden_role_is_403_before_the_version(client: TestClient, member: Account) -> None:
    response = client.get("/api/v1/users", headers={**member.headers, **BAD})
    assert_problem(response, 403, "forbidden")


def test_the_version_is_checked_before_validation(client: TestClient, member: Account) -> None:
    # Authenticated, allowed, and an invalid body and query: the version answers first.
    headers = {**member.headers, **BAD}
    response = client.post("/api/v1/items", headers=headers, json={"name": ""})
    assert_problem(response, 400, "unsupported_api_version")
    response = client.get("/api/v1/items?size=0", headers=headers)
    assert_problem(response, 400, "unsupported_api_version")
    # A served version: now validation answers.
    response = client.post("/api/v1/items", headers=member.headers, json={"name": ""})
    assert_problem(response, 422, "validation_error")


def test_anonymous_operations_check_the_version(client: TestClient) -> None:
    response = client.post("/api/v1/auth/login", headers=BAD, json={"email": 1})
    assert_problem(response, 400, "unsupported_api_version")


def test_every_response_carries_the_version(client: TestClient) -> None:
    assert client.get("/api/v1/nope").headers["api-version"] == "1.0.0"
    assert client.get("/metrics").headers["api-version"] == "1.0.0"
    assert client.get("/api/v1/users/me").headers["api-version"] == "1.0.0"  # 401


def test_an_older_supported_version_is_served(versioned: Any) -> None:
    response = versioned.test_client().get(LIVE, headers={"API-Version": "0.9.0"})
    assert response.status_code == 200
    assert response.headers["api-version"] == "0.9.0"
    assert "deprecation" not in response.headers


def test_a_deprecated_version_says_so(versioned: Any) -> None:
    response = versioned.test_client().get(LIVE, headers={"API-Version": "0.8.0"})
    assert response.status_code == 200
    assert response.headers["api-version"] == "0.8.0"
    assert response.headers["deprecation"] == "@1767225600"  # 2026-01-01T00:00:00Z
    assert response.headers["sunset"] == "Wed, 01 Jul 2099 00:00:00 GMT"
    assert response.headers["link"] == (
        '<https://example.com/api/deprecations>; rel="deprecation"; type="text/html"'
    )


def test_deprecation_link_joins_pagination_links(versioned: Any) -> None:
    client = versioned.test_client()
    admin: Account = account(versioned, client, "admin-v@example.com", "admin")
    response = client.get("/api/v1/users", headers={**admin.headers, "API-Version": "0.8.0"})
    assert response.status_code == 200, response.text
    links = response.headers.get_list("link")
    assert any('rel="first"' in link for link in links), links
    assert any('rel="deprecation"' in link for link in links), links


def test_a_version_past_its_sunset_is_refused(versioned: Any) -> None:
    response = versioned.test_client().get(LIVE, headers={"API-Version": "0.7.0"})
    body = assert_problem(response, 400, "unsupported_api_version")
    assert "supported versions: 1.0.0, 0.9.0, 0.8.0; latest: 1.0.0" in body["detail"]


def test_the_sunset_day_itself_retires_a_version() -> None:
    notice = VersionDeprecation(deprecated=date(2026, 1, 1), sunset=date(2026, 6, 1))
    versions = ApiVersions(
        latest="1.0.0", deprecated={"0.8.0": notice}, today=lambda: date(2026, 5, 31)
    )
    assert versions.served() == ["1.0.0", "0.8.0"]
    retired = ApiVersions(
        latest="1.0.0", deprecated={"0.8.0": notice}, today=lambda: date(2026, 6, 1)
    )
    assert retired.served() == ["1.0.0"]


SPAN = {"deprecated": "2026-01-01", "sunset": "2027-01-01"}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"api_supported_versions": "v1"}, "not a version like 1.0.0"),
        ({"api_supported_versions": "1.0.0,1.0"}, "not a version like 1.0.0"),
        ({"api_deprecated_versions": {"latest": SPAN}}, "not a version like 1.0.0"),
        (
            {"api_deprecated_versions": {"0.8.0": {**SPAN, "sunset": "2025-12-31"}}},
            "sunset must come after deprecated",
        ),
        ({"api_deprecated_versions": {"0.8.0": {"sunset": "2026-01-01"}}}, "deprecated"),
        ({"api_deprecated_versions": {"0.8.0": {**SPAN, "sunset": "soon"}}}, "sunset"),
        ({"api_deprecation_url": "has space"}, "API_DEPRECATION_URL"),
    ],
)
def test_bad_version_settings_are_refused(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_deprecated_versions_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "API_DEPRECATED_VERSIONS", '{"0.8.0": {"deprecated": "2026-01-01", "sunset": "2027-01-01"}}'
    )
    monkeypatch.setenv("API_SUPPORTED_VERSIONS", " 0.9.0, 0.9.1 ")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.api.deprecated_versions["0.8.0"].sunset == date(2027, 1, 1)
    assert settings.api.supported_versions == "0.9.0,0.9.1"


def test_the_spec_declares_the_header_and_its_400_everywhere() -> None:
    spec = load_spec()
    header = spec["components"]["parameters"]["APIVersion"]
    assert (header["name"], header["in"], header["required"]) == ("API-Version", "header", False)
    for path, item in spec["paths"].items():
        assert {"$ref": "#/components/parameters/APIVersion"} in item["parameters"], path
        for method, operation in item.items():
            if method != "parameters":
                assert "400" in operation["responses"], (method, path)
