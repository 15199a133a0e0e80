"""The problem-type catalogue: every error `code` with its status, title and help text.

The catalogue is part of the contract: the spec's root `x-problem-types` (the file
`openapi/problems.yaml`). Each code's problem `type` is a URI built from one base
(`PROBLEM_TYPE_BASE_URL`): `<base><code>`, or the base with `{code}` replaced. The default
base, `/docs/problems/`, is a path on the API itself, where `app/http/docs_routes.py` serves
the pages rendered here; `flask dev docs` renders the same entries as markdown.

Imports only the standard library, so the CLI and scripts can read the catalogue too.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

EXTENSION = "x-problem-types"
PAGES_PATH = "/docs/problems"
DEFAULT_TYPE_BASE = f"{PAGES_PATH}/"
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
EXAMPLE_REQUEST_ID = "9f1c2d3e4b5a46789abc0def12345678"


@dataclass(frozen=True, slots=True)
class ProblemType:
    code: str
    status: int
    title: str
    meaning: str
    fix: str


def catalogue(spec: Mapping[str, Any]) -> dict[str, ProblemType]:
    """The spec's problem types by code, in the spec's order; ValueError when malformed."""
    entries = spec.get(EXTENSION)
    if not isinstance(entries, dict) or not entries:
        raise ValueError(f"the spec has no {EXTENSION} mapping")
    found: dict[str, ProblemType] = {}
    for code, entry in entries.items():
        if not isinstance(code, str) or not CODE.match(code):
            raise ValueError(f"{EXTENSION}: {code!r} is not a snake_case code")
        if not isinstance(entry, dict) or set(entry) != {"status", "title", "meaning", "fix"}:
            raise ValueError(f"{EXTENSION}.{code}: needs exactly status, title, meaning, fix")
        status = entry["status"]
        if not isinstance(status, int) or not 400 <= status <= 599:
            raise ValueError(f"{EXTENSION}.{code}: status must be an HTTP error status")
        texts = [entry[k] for k in ("title", "meaning", "fix")]
        if not all(isinstance(t, str) and t.strip() for t in texts):
            raise ValueError(f"{EXTENSION}.{code}: title, meaning and fix must be text")
        found[code] = ProblemType(code, status, *(t.strip() for t in texts))
    return found


def type_uri(base: str, code: str) -> str:
    """The `type` of a problem with this code."""
    return base.replace("{code}", code) if "{code}" in base else f"{base}{code}"


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def example_body(problem: ProblemType, base: str) -> dict[str, Any]:
    """A representative problem document of this type (`detail` varies per occurrence)."""
    return {
        "type": type_uri(base, problem.code),
        "title": problem.title,
        "status": problem.status,
        "detail": problem.meaning.split(". ")[0].rstrip(".") + ".",
        "code": problem.code,
        "request_id": EXAMPLE_REQUEST_ID,
    }


# Inline `code` in the help texts becomes <code> (on already escaped text).
_BACKTICKS = re.compile(r"`([^`]+)`")


def _inline(text: str) -> str:
    return _BACKTICKS.sub(r"<code>\1</code>", html.escape(text))


def _page(title: str, body: str) -> bytes:
    # No script, style or external resource: the API's CSP (`default-src 'none'`) applies.
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n<main>\n{body}</main>\n"
        "</body>\n</html>\n"
    ).encode()


def render_page(problem: ProblemType, base: str) -> bytes:
    """One code's HTML page: what it means, how to fix it, an example body."""
    example = json.dumps(example_body(problem, base), indent=2, ensure_ascii=False)
    body = (
        f'<p><a href="{PAGES_PATH}">All problem types</a></p>\n'
        f"<h1>{html.escape(problem.title)}</h1>\n"
        f"<p><code>{problem.code}</code>, HTTP {problem.status} "
        f"{html.escape(status_phrase(problem.status))}</p>\n"
        f"<h2>What it means</h2>\n<p>{_inline(problem.meaning)}</p>\n"
        f"<h2>How to fix it</h2>\n<p>{_inline(problem.fix)}</p>\n"
        f"<h2>Example</h2>\n<pre><code>{html.escape(example)}</code></pre>\n"
    )
    return _page(f"{problem.code}: {problem.title}", body)


def render_index(problems: Mapping[str, ProblemType]) -> bytes:
    """The list of every code, linking to its page."""
    rows = "".join(
        f'<li><a href="{PAGES_PATH}/{p.code}"><code>{p.code}</code></a> '
        f"({p.status}): {html.escape(p.title)}</li>\n"
        for p in problems.values()
    )
    body = (
        "<h1>Problem types</h1>\n<p>Every error <code>code</code> this API answers with, "
        'as <code>application/problem+json</code>. <a href="/docs">API reference</a>.</p>\n'
        f"<ul>\n{rows}</ul>\n"
    )
    return _page("Problem types", body)
