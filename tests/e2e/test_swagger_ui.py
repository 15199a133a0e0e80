"""Swagger UI 5 in a real (headless) Chromium, as the operator's console: it renders under
the strict CSP, its Authorize button works with a bearer token and with an API key, "Try it
out" (on from the start) runs `GET /users/me` and `POST /items` with a body and shows the
2xx body, and the console's settings hold (deep links, operationIds, filter, durations,
authorization kept across reloads).

Screenshots of the answered requests go to `$E2E_ARTIFACTS_DIR` (a CI job can keep them),
else to pytest's temporary directory."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from app.contract.spec import load_spec
from app.http.docs_routes import SWAGGER_UI_CONFIG, SWAGGER_UI_DIR
from tests.auth_helpers import PASSWORD
from tests.live_server import live_server, server_env
from tests.services import IN_CI

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
GET_ME = "operations-users-getMe"
CREATE_ITEM = "operations-items-createItem"
PNG = b"\x89PNG\r\n\x1a\n"
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
    env = server_env(database_url, redis_url, make_settings().redis.key_prefix + "-e2e")
    with live_server(env, tmp_path_factory.mktemp("e2e") / "server.log") as base:
        yield base


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: Any) -> Path:
    configured = os.environ.get("E2E_ARTIFACTS_DIR")
    if not configured:
        return Path(tmp_path_factory.mktemp("swagger-ui"))
    path = Path(configured)
    path.mkdir(parents=True, exist_ok=True)
    return path


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


def _operation(driver: WebDriver, dom_id: str) -> Any:
    return WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, dom_id))


def _expand(driver: WebDriver, op: Any) -> None:
    if "is-open" not in (op.get_attribute("class") or ""):
        _click(driver, op.find_element(By.CSS_SELECTOR, ".opblock-summary"))


def _execute(driver: WebDriver, op: Any) -> tuple[str, str]:
    """Execute an expanded operation; "Try it out" is already on (`tryItOutEnabled`), so
    its button offers to cancel it. Returns the live response's status and its body."""
    assert _within(driver, op, "button.try-out__btn").text.strip() == "Cancel"
    _click(driver, _within(driver, op, "button.execute"))
    status = _within(driver, op, ".live-responses-table .response .response-col_status")
    body = _within(driver, op, ".live-responses-table .response .response-col_description")
    return status.text.strip(), body.text


def _try_get_me(driver: WebDriver) -> tuple[str, str]:
    op = _operation(driver, GET_ME)
    _expand(driver, op)
    return _execute(driver, op)


def _screenshot(driver: WebDriver, op: Any, path: Path) -> None:
    """The operation with its answer on screen, saved as a PNG."""
    answer = op.find_element(By.CSS_SELECTOR, ".live-responses-table")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", answer)
    assert driver.save_screenshot(str(path))
    assert path.read_bytes().startswith(PNG)


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


# In view of the models' scroll box: expand the collapsed ones, return each one's text.
_EXPAND_AND_READ = """
const box = arguments[0];
box.querySelectorAll('.model-container > .model-box > .model-box-control[aria-expanded="false"]')
  .forEach(b => b.click());
return Object.fromEntries(
  [...box.querySelectorAll('.model-container')].map(c => [c.dataset.name, c.innerText]));
"""
# Scroll the box on by most of its height; whether it was at the end already.
_SCROLL_ON = """
const box = arguments[0];
const end = box.scrollTop + box.clientHeight >= box.scrollHeight - 1;
box.scrollTop += Math.floor(box.clientHeight * 0.8);
return end;
"""


def _read_models(driver: WebDriver, expected: dict[str, set[str]]) -> dict[str, str]:
    """Every model's text, expanded. Swagger UI 5 virtualizes the list once a spec has 100
    schemas (only what is in view of its scroll box exists), so the box is read a screen at
    a time, each screen once every model in it shows its properties."""
    box = _wait(driver, ".swagger-ui section.models .models-scroll")
    texts: dict[str, str] = {}
    for _ in range(len(expected) + 10):  # a screen holds one model at least

        def expanded(d: WebDriver) -> dict[str, str] | bool:
            shown: dict[str, str] = d.execute_script(_EXPAND_AND_READ, box)
            done = all(all(p in t for p in expected.get(n, ())) for n, t in shown.items())
            return shown if shown and done else False

        texts.update(WebDriverWait(driver, 10).until(expanded))
        if driver.execute_script(_SCROLL_ON, box):
            return texts
    raise AssertionError("the models list never ended")


@pytest.mark.slow  # a minute of scrolling Chromium through every model: `make test-slow` (CI)
def test_every_schema_renders_by_name(browser: WebDriver, server: str) -> None:
    # The served spec is the bundle: refs between named components, resolved by Swagger UI.
    _open_docs(browser, server)
    # Expanded, each object schema shows its properties (allOf ones: those of every part).
    schemas = load_spec()["components"]["schemas"]
    expected = {name: _property_names(schemas, schema) for name, schema in schemas.items()}
    texts = _read_models(browser, expected)
    assert sorted(texts) == sorted(schemas)
    for name, text in texts.items():
        assert "Resolver error" not in text and "Could not resolve" not in text, name
    assert browser.find_elements(By.CSS_SELECTOR, ".swagger-ui .errors-wrapper") == []


def test_without_credentials_try_it_out_is_401(browser: WebDriver, creds: dict[str, str]) -> None:
    _open_docs(browser, creds["base"])
    status, body = _try_get_me(browser)
    assert status.startswith("401"), status
    assert "not_authenticated" in body


@pytest.mark.parametrize(("scheme", "secret"), [("bearerAuth", "token"), ("apiKeyAuth", "key")])
def test_authorize_then_try_it_out(
    browser: WebDriver, creds: dict[str, str], artifacts: Path, scheme: str, secret: str
) -> None:
    _open_docs(browser, creds["base"])
    _authorize(browser, scheme, creds[secret])
    status, body = _try_get_me(browser)
    assert status.startswith("200"), f"{status}: {body}"
    assert "swagger@example.com" in body
    op = _operation(browser, GET_ME)
    assert "Request duration" in op.text  # displayRequestDuration
    _screenshot(browser, op, artifacts / f"get-me-{scheme}.png")


def test_try_it_out_posts_a_body_and_shows_the_201(
    browser: WebDriver, creds: dict[str, str], artifacts: Path
) -> None:
    _open_docs(browser, creds["base"])
    _authorize(browser, "bearerAuth", creds["token"])
    op = _operation(browser, CREATE_ITEM)
    _expand(browser, op)
    editor = _within(browser, op, "textarea.body-param__text")
    assert "Blue mug" in (editor.get_attribute("value") or "")  # the spec's example
    name = f"Console mug {uuid.uuid4().hex[:8]}"
    typed = json.dumps({"name": name, "price": "9.90", "tags": ["console"]})
    _click(browser, editor)
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(Keys.DELETE)
    editor.send_keys(typed)
    status, body = _execute(browser, op)
    assert status.startswith("201"), f"{status}: {body}"
    assert name in body and '"success": true' in body
    _screenshot(browser, op, artifacts / "create-item.png")


def test_authorization_is_kept_across_a_reload(browser: WebDriver, creds: dict[str, str]) -> None:
    # persistAuthorization: an operator signs in once per browser, not once per page load.
    _open_docs(browser, creds["base"])
    _authorize(browser, "apiKeyAuth", creds["key"])
    browser.refresh()
    _wait(browser, ".swagger-ui .opblock")
    status, body = _try_get_me(browser)
    assert status.startswith("200"), f"{status}: {body}"


def test_swagger_ui_5_runs_with_the_console_config(browser: WebDriver, server: str) -> None:
    _open_docs(browser, server)
    pin = json.loads((SWAGGER_UI_DIR / "swagger-ui-dist.json").read_text())
    version = browser.execute_script("return window.versions.swaggerUI.version")
    assert version == pin["version"]
    assert version.startswith("5.")
    configs = browser.execute_script(
        "const all = window.ui.getConfigs();"
        "return JSON.stringify(Object.fromEntries(arguments[0].map(k => [k, all[k]])))",
        list(SWAGGER_UI_CONFIG),
    )
    assert json.loads(configs) == SWAGGER_UI_CONFIG


def test_deep_links_open_an_operation_that_shows_its_operation_id(
    browser: WebDriver, server: str
) -> None:
    browser.get("about:blank")  # else a URL that differs only in its hash is no new page
    browser.get(f"{server}/api/v1/docs/#/items/createItem")
    op = _operation(browser, CREATE_ITEM)
    WebDriverWait(browser, 20).until(lambda _d: "is-open" in (op.get_attribute("class") or ""))
    assert op.find_element(By.CSS_SELECTOR, ".opblock-summary-operation-id").text == "createItem"
    _expand(browser, _operation(browser, GET_ME))
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("#/users/getMe"))


def test_the_filter_narrows_the_console_to_a_tag(browser: WebDriver, server: str) -> None:
    _open_docs(browser, server)
    # docExpansion "list": every tag open, every operation closed.
    assert not browser.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock.is-open")
    _wait(browser, ".swagger-ui input.operation-filter-input").send_keys("items")

    def tags(d: WebDriver) -> set[str]:
        return {
            e.get_attribute("data-tag") or ""
            for e in d.find_elements(By.CSS_SELECTOR, ".opblock-tag")
        }

    # The list re-renders as the filter applies: an element read mid-render is stale.
    WebDriverWait(browser, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: tags(d) == {"items"}
    )


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
