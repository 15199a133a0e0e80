"""Every file under docs/examples/ runs against the live server and prints what its topic
promises, so the examples cannot rot: curl (bash + jq), Python with requests and with the
generated SDK (in the fresh venv where the SDK is installed), TypeScript (compiled by the
pinned tsc, run by node). A new example file is picked up without editing this test."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import httpx
import pytest

from tests.auth_helpers import PASSWORD
from tests.sdk_clients import ROOT, Server, node_env, run
from tests.services import IN_CI

# One worker runs the module: its server (`api_server`) is started once.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("examples")]
EXAMPLES = ROOT / "docs/examples"
KINDS = ("curl.sh", "python_requests.py", "python_sdk.py", "typescript_*.ts")
# What every language's example of a topic prints (lines or parts of lines).
PROMISES = {
    "authentication": ["logged in as "],
    "items": [
        "page 1 of 2: Mug 1, Mug 2",
        "price now 9.99",
        "412 precondition_failed",
        "deleted: 204",
    ],
    "completions": ["model: fake-1", "summary: fake summary", "key points: 1", "tokens: "],
    # curl prints the raw events (`event: done`); the others print the text, then `done: stop`.
    "streaming": ["Fake", "done", "stop"],
    "jobs": [" succeeded\n", "recipe: fake title"],
    "errors": ["401 not_authenticated\n", "422 validation_error price\n", "404 not_found\n"],
}
FILES = sorted(
    p.relative_to(EXAMPLES) for p in EXAMPLES.glob("*/*") if p.suffix in {".sh", ".py", ".ts"}
)


def test_every_topic_has_every_kind_of_example() -> None:
    assert sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir()) == sorted(PROMISES)
    for topic in PROMISES:
        for kind in KINDS:
            assert list((EXAMPLES / topic).glob(kind)), f"docs/examples/{topic}/{kind} missing"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack)))


def test_readme_snippets_are_cut_from_the_examples() -> None:
    # README's "Client SDKs" code is tested because it is a part of an example file: each
    # block (split at `# ...` / `// ...`) is a run of lines of one file, indentation aside.
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Client SDKs\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(python|ts)\n(.*?)```", section, re.S)
    assert len(blocks) >= 5
    suffix = {"python": ".py", "ts": ".ts"}
    for lang, body in blocks:
        files = [_lines(p.read_text()) for p in EXAMPLES.glob(f"*/*{suffix[lang]}")]
        for part in re.split(r"^\s*(?:#|//) \.\.\.$", body, flags=re.M):
            assert any(_contains(f, _lines(part)) for f in files), f"not in docs/examples:\n{part}"


@pytest.fixture
def token(api_server: Server) -> str:
    """A fresh account's access token, as the authentication example gets one."""
    email = f"example-{uuid.uuid4().hex[:10]}@example.com"
    body = {"email": email, "password": PASSWORD}
    created = httpx.post(f"{api_server.api}/auth/register", json={**body, "full_name": "Ex"})
    assert created.status_code == 201, created.text
    login = httpx.post(f"{api_server.api}/auth/login", json=body, timeout=10)
    assert login.status_code == 200, login.text
    return str(login.json()["data"]["access_token"])


def _command(example: Path, request: pytest.FixtureRequest) -> tuple[list[str], dict[str, str]]:
    if example.suffix == ".sh":
        if not shutil.which("jq"):
            if IN_CI:
                pytest.fail("jq is needed for the curl examples")
            pytest.skip("apt-get install jq to run the curl examples")
        return ["bash", str(EXAMPLES / example)], dict(os.environ)
    if example.suffix == ".py":
        python: Path = request.getfixturevalue("sdk_python")
        return [str(python), str(EXAMPLES / example)], dict(os.environ)
    build: Path = request.getfixturevalue("ts_build")
    compiled = build / "docs/examples" / example.with_suffix(".js")
    return ["node", str(compiled)], node_env()


@pytest.mark.parametrize("example", FILES, ids=str)
def test_example(
    example: Path, api_server: Server, token: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    cmd, env = _command(example, request)
    env |= {"API_URL": api_server.api, "API_TOKEN": token}
    result = run(cmd, env=env, cwd=tmp_path)
    for promise in PROMISES[example.parts[0]]:
        assert promise in result.stdout, f"{promise!r} not in:\n{result.stdout}"
    assert not list(tmp_path.iterdir()), "an example left files behind"
