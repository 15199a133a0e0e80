"""Swagger UI in a real (headless) Chromium: it renders, and its Authorize button works
with a bearer token and with an API key ("Try it out" on GET /users/me returns 200)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from app.contract.spec import load_spec
from tests.auth_helpers import PASSWORD
from tests.live_server import live_server, server_env
from tests.services import IN_CI

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
GET_ME_XPATH = '//div[@id="operations-users-getMe"]'
# One worker runs the whole module: its server and browser are started once.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        if IN_CI:
            pytest.fail("chromium/chromium-driver missing: .ci/run installs them")
        pytest.skip("apt-get install chromium chromium-driver to run browser tests")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ):
        options.add_argument(flag)
    # The console log, to catch anything the Content-Security-Policy blocks.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_window_size(1280, 1024)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def server(
    database_url: str, redis_url: str | None, make_settings: Any, tmp_path_factory: Any
) -> Iterator[str]:
    env = server_env(database_url, redis_url, make_settings().redis_key_prefix + "-e2e")
    with live_server(env, tmp_path_factory.mktemp("e2e") / "server.log") as base:
        yield base


@pytest.fixture
def creds(server: str, database_url: str) -> dict[str, str]:
    """A fresh account for each test, made through the live API: register, login, API key."""
    email = {"email": "swagger@example.com", "password": PASSWORD}
    assert (
        httpx.post(f"{server}/api/v1/auth/register", json={**email, "full_name": "S"}).status_code
        == 201
    )
    tokens = httpx.post(f"{server}/api/v1/auth/login", json=email, timeout=10).json()["data"]
    key = httpx.post(
        f"{server}/api/v1/auth/api-keys",
        json={"name": "swagger"},
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    ).json()["data"]["key"]
    return {"base": server, "token": tokens["access_token"], "key": key}


def _wait(driver: WebDriver, css: str, timeout: float = 20) -> Any:
    return WebDriverWait(driver, timeout).until(ec.element_to_be_clickable((By.CSS_SELECTOR, css)))


def _click(driver: WebDriver, element: Any) -> None:
    """Scroll into view first: the auth dialog scrolls, and a covered element can't be clicked."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def _open_docs(driver: WebDriver, base: str) -> None:
    driver.get(f"{base}/docs")
    _wait(driver, ".swagger-ui .opblock")
    # persistAuthorization keeps credentials in localStorage: start every test clean.
    driver.execute_script("window.localStorage.clear()")
    driver.get(f"{base}/docs")
    _wait(driver, ".swagger-ui .opblock")


def _authorize(driver: WebDriver, scheme: str, value: str) -> None:
    _wait(driver, ".swagger-ui .auth-wrapper button.authorize").click()
    _wait(driver, ".dialog-ux .auth-container")
    container = next(
        c
        for c in driver.find_elements(By.CSS_SELECTOR, ".dialog-ux .auth-container")
        if scheme in c.text
    )
    field = container.find_element(By.CSS_SELECTOR, "input")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    field.send_keys(value)
    _click(driver, container.find_element(By.CSS_SELECTOR, "button.authorize"))
    _click(driver, container.find_element(By.CSS_SELECTOR, "button.btn-done"))
    WebDriverWait(driver, 10).until(
        ec.invisibility_of_element_located((By.CSS_SELECTOR, ".dialog-ux"))
    )


def _within(driver: WebDriver, scope: Any, css: str, timeout: float = 20) -> Any:
    return WebDriverWait(driver, timeout).until(
        lambda _d: next(
            (e for e in scope.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()), False
        )
    )


def _try_get_me(driver: WebDriver) -> tuple[str, str]:
    op = WebDriverWait(driver, 20).until(lambda d: d.find_element(By.XPATH, GET_ME_XPATH))
    _click(driver, op.find_element(By.CSS_SELECTOR, ".opblock-summary"))
    _click(driver, _within(driver, op, "button.try-out__btn"))
    _click(driver, _within(driver, op, "button.execute"))
    status = _within(driver, op, ".live-responses-table .response .response-col_status")
    body = _within(driver, op, ".live-responses-table .response .response-col_description")
    return status.text.strip(), body.text


def test_docs_render(browser: WebDriver, server: str) -> None:
    _open_docs(browser, server)
    assert "Spec-first Flask LLM API" in browser.find_element(By.CSS_SELECTOR, ".info .title").text
    assert len(browser.find_elements(By.CSS_SELECTOR, ".opblock")) >= 15


def _property_names(schemas: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    if "$ref" in schema:
        return _property_names(schemas, schemas[schema["$ref"].rsplit("/", 1)[1]])
    names = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        names |= _property_names(schemas, part)
    return names


def test_every_schema_renders_by_name(browser: WebDriver, server: str) -> None:
    # The served spec is the bundle: refs between named components, resolved by Swagger UI.
    _open_docs(browser, server)
    _wait(browser, ".swagger-ui section.models .model-container")
    containers = browser.find_elements(
        By.CSS_SELECTOR, ".swagger-ui section.models .model-container"
    )
    names = [c.get_attribute("data-name") for c in containers]
    assert sorted(names) == sorted(load_spec()["components"]["schemas"])
    # Expand every model in one go (clicking each through WebDriver costs seconds).
    browser.execute_script(
        "document.querySelectorAll('.swagger-ui section.models .model-box-control')"
        ".forEach(b => b.click())"
    )
    # Expanded, each object schema shows its properties (allOf ones: those of every part).
    schemas = load_spec()["components"]["schemas"]
    expected = {name: _property_names(schemas, schema) for name, schema in schemas.items()}

    def rendered(_d: WebDriver) -> bool:
        texts = {c.get_attribute("data-name"): c.text for c in containers}
        return all(all(p in texts[n] for p in props) for n, props in expected.items())

    WebDriverWait(browser, 10).until(rendered)
    text = browser.find_element(By.CSS_SELECTOR, ".swagger-ui section.models").text
    assert (
        "UserEnvelope" in text and "Resolver error" not in text and "Could not resolve" not in text
    )
    assert browser.find_elements(By.CSS_SELECTOR, ".swagger-ui .errors-wrapper") == []


def test_without_credentials_try_it_out_is_401(browser: WebDriver, creds: dict[str, str]) -> None:
    _open_docs(browser, creds["base"])
    status, body = _try_get_me(browser)
    assert status.startswith("401"), status
    assert "not_authenticated" in body


@pytest.mark.parametrize(("scheme", "secret"), [("bearerAuth", "token"), ("apiKeyAuth", "key")])
def test_authorize_then_try_it_out(
    browser: WebDriver, creds: dict[str, str], scheme: str, secret: str
) -> None:
    _open_docs(browser, creds["base"])
    _authorize(browser, scheme, creds[secret])
    status, body = _try_get_me(browser)
    assert status.startswith("200"), f"{status}: {body}"
    assert "swagger@example.com" in body


def test_docs_work_under_the_content_security_policy(
    browser: WebDriver, creds: dict[str, str]
) -> None:
    # The docs page is served with a strict CSP (inline scripts only by hash): rendering,
    # Authorize and "Try it out" must not trip it.
    browser.get_log("browser")  # drop what earlier tests logged
    _open_docs(browser, creds["base"])
    _authorize(browser, "bearerAuth", creds["token"])
    status, _ = _try_get_me(browser)
    assert status.startswith("200"), status
    blocked = [
        e["message"] for e in browser.get_log("browser") if "Content Security" in e["message"]
    ]
    assert not blocked, blocked
