"""The markdown API reference (`flask dev docs`): files rendered from the bundled spec.

`render(spec)` returns {relative path: text}: `README.md` (operations by tag), one page per
tag, `schemas.md`, and `problems/<code>.md` per problem type (from the same catalogue as
the app's `/docs/problems/<code>` pages). Plain string building, no template engine; the
output depends only on the spec (its order, never a set or a hash), so it is byte-stable
and `make check-generated` can compare it. Unknown `x-` extensions are listed generically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from app.cli.spec_markdown import (
    anchor,
    cell,
    extensions,
    json_block,
    ref_name,
    resolve,
    roles,
    schema_type,
)
from app.contract.problem_types import (
    DEFAULT_TYPE_BASE,
    PAGES_PATH,
    ProblemType,
    catalogue,
    example_body,
    status_phrase,
)

HEADER = "<!-- Generated from openapi/ by `flask dev docs`. Do not edit. -->\n\n"
METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
_CODE_MENTION = re.compile(r"`([a-z][a-z0-9_]*)`")

Files = dict[str, str]
# (method, path, operation, the path item's shared parameters)
Operation = tuple[str, str, dict[str, Any], list[Any]]


def render(spec: Mapping[str, Any]) -> Files:
    """Every file of the reference, by path relative to the output directory."""
    problems = catalogue(spec)
    ops = _operations_by_tag(spec)
    files: Files = {"README.md": _index(spec, ops, problems)}
    for tag, entries in ops.items():
        files[f"{tag}.md"] = _tag_page(spec, tag, entries, problems)
    files["schemas.md"] = _schemas_page(spec)
    files["problems/README.md"] = _problems_index(problems)
    for code, problem in problems.items():
        files[f"problems/{code}.md"] = _problem_page(problem)
    return {path: HEADER + text.rstrip("\n") + "\n" for path, text in files.items()}


def _operations_by_tag(
    spec: Mapping[str, Any],
) -> dict[str, list[Operation]]:
    """tag -> [(method, path, operation, path-level parameters)], tags in the spec's order."""
    ops: dict[str, list[Operation]] = {tag["name"]: [] for tag in spec.get("tags", [])}
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["default"])[0]
                ops.setdefault(tag, []).append((method, path, op, item.get("parameters", [])))
    return {tag: entries for tag, entries in ops.items() if entries}


def _problem_links(text: str, problems: Mapping[str, ProblemType], prefix: str) -> list[str]:
    codes = dict.fromkeys(c for c in _CODE_MENTION.findall(text) if c in problems)
    return [f"[`{c}`]({prefix}{c}.md)" for c in codes]


# --- pages ---------------------------------------------------------------------------------


def _index(
    spec: Mapping[str, Any],
    ops: Mapping[str, list[Operation]],
    problems: Mapping[str, ProblemType],
) -> str:
    info = spec["info"]
    base = spec["servers"][0]["url"]
    out = [f"# {info['title']} {info['version']}\n\n"]
    out.append(f"Paths are relative to `{base}`. Roles come from each operation's `x-roles`.\n")
    out.append(
        "See also: [schemas](schemas.md), "
        f"[problem types](problems/README.md) ({len(problems)} error codes).\n\n"
    )
    tags = {t["name"]: t.get("description", "") for t in spec.get("tags", [])}
    for tag, entries in ops.items():
        out.append(f"## [{tag}]({tag}.md)\n\n{cell(tags.get(tag, ''))}\n\n")
        out.append("| method | path | operation | roles | summary |\n|---|---|---|---|---|\n")
        for method, path, op, _ in entries:
            link = f"[`{path}`]({tag}.md#{anchor(method, path)})"
            out.append(
                f"| {method.upper()} | {link} | `{op['operationId']}` | {cell(roles(op))} "
                f"| {cell(op.get('summary', ''))} |\n"
            )
        out.append("\n")
    return "".join(out)


def _tag_page(
    spec: Mapping[str, Any],
    tag: str,
    entries: Iterable[Operation],
    problems: Mapping[str, ProblemType],
) -> str:
    description = next((t.get("description", "") for t in spec["tags"] if t["name"] == tag), "")
    out = [f"# {tag}\n\n{description.strip()}\n\n[All operations](README.md)\n\n"]
    for entry in entries:
        out.append(_operation(spec, entry, problems))
    return "".join(out)


def _operation(
    spec: Mapping[str, Any], entry: Operation, problems: Mapping[str, ProblemType]
) -> str:
    method, path, op, shared = entry
    out = [f"## {method.upper()} {path}\n\n"]
    out.append(f"`{op['operationId']}`: {op.get('summary', '')}\n\n")
    if op.get("description"):
        out.append(f"{op['description'].strip()}\n\n")
    out.append(f"- Roles: {roles(op)}\n")
    if op.get("deprecated"):
        out.append("- **Deprecated**\n")
    out.append(extensions(op))
    out.append("\n")
    params = [resolve(spec, p) for p in [*shared, *op.get("parameters", [])]]
    if params:
        out.append("### Parameters\n\n| name | in | required | type | description |\n")
        out.append("|---|---|---|---|---|\n")
        for p in params:
            out.append(
                f"| `{p['name']}` | {p['in']} | {'yes' if p.get('required') else 'no'} "
                f"| {cell(schema_type(p.get('schema')))} | {cell(p.get('description', ''))} |\n"
            )
        out.append("\n")
    body = resolve(spec, op.get("requestBody"))
    if isinstance(body, dict):
        out.append(f"### Request body{' (required)' if body.get('required') else ''}\n\n")
        for media, content in body.get("content", {}).items():
            out.append(f"`{media}`: {schema_type(content.get('schema'))}\n\n")
            out.append(_fields(spec, content.get("schema")))
            if "example" in content:
                out.append(json_block(content["example"]) + "\n")
    out.append("### Responses\n\n| status | description | problem codes |\n|---|---|---|\n")
    details: list[str] = []
    for status, ref in op.get("responses", {}).items():
        response = resolve(spec, ref)
        text = response.get("description", "")
        codes = _problem_links(text, problems, "problems/")
        for content in response.get("content", {}).values():
            example = content.get("example")
            if isinstance(example, dict) and example.get("code") in problems:
                link = f"[`{example['code']}`](problems/{example['code']}.md)"
                codes = codes if link in codes else [*codes, link]
        out.append(f"| {status} | {cell(text)} | {', '.join(codes)} |\n")
        if ref_name(ref) is None:  # shared error responses are described once, by code
            details.append(_response_details(spec, status, response))
    out.append("\n" + "".join(details))
    return "".join(out)


def _fields(spec: Mapping[str, Any], schema: Any) -> str:
    """The top-level fields of an object schema, one line each."""
    resolved = resolve(spec, schema)
    if not isinstance(resolved, dict):
        return ""
    required = set(resolved.get("required", []))
    lines = []
    for name, prop in resolved.get("properties", {}).items():
        target = resolve(spec, prop)
        about = target.get("description", "") if isinstance(target, dict) else ""
        flag = " (required)" if name in required else ""
        lines.append(
            f"- `{name}`{flag}: {schema_type(prop)}{'. ' + cell(about) if about else ''}\n"
        )
    return "".join(lines) + ("\n" if lines else "")


def _response_details(spec: Mapping[str, Any], status: str, response: Mapping[str, Any]) -> str:
    out = [f"#### {status}\n\n"]
    headers = response.get("headers", {})
    if headers:
        out.append("Headers: " + ", ".join(f"`{name}`" for name in headers) + "\n\n")
    for media, content in response.get("content", {}).items():
        out.append(f"`{media}`: {schema_type(content.get('schema'))}\n\n")
        if "example" in content:
            out.append(json_block(content["example"]) + "\n")
        for name, example in content.get("examples", {}).items():
            value = resolve(spec, example).get("value")
            out.append(f"Example `{name}`:\n\n{json_block(value)}\n")
    return "".join(out)


def _schemas_page(spec: Mapping[str, Any]) -> str:
    out = ["# Schemas\n\n[All operations](README.md)\n\n"]
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        out.append(f"## {name}\n\n")
        if isinstance(schema, dict) and schema.get("description"):
            out.append(f"{schema['description'].strip()}\n\n")
        props = schema.get("properties") if isinstance(schema, dict) else None
        if props:
            required = set(schema.get("required", []))
            out.append("| field | type | required | description |\n|---|---|---|---|\n")
            for field, prop in props.items():
                description = prop.get("description", "") if isinstance(prop, dict) else ""
                needed = "yes" if field in required else "no"
                out.append(
                    f"| `{field}` | {cell(schema_type(prop))} | {needed} | {cell(description)} |\n"
                )
            out.append("\n")
        else:
            out.append(f"Type: {schema_type(schema)}\n\n")
    return "".join(out)


def _problems_index(problems: Mapping[str, ProblemType]) -> str:
    out = [
        "# Problem types\n\n",
        "Every error is `application/problem+json` (RFC 9457) with a stable `code`; its "
        f"`type` is `{DEFAULT_TYPE_BASE}<code>` (a page the API serves), or "
        "`PROBLEM_TYPE_BASE_URL` + code where these pages are hosted.\n\n",
        "| code | status | title |\n|---|---|---|\n",
    ]
    for code, p in problems.items():
        out.append(f"| [`{code}`]({code}.md) | {p.status} | {cell(p.title)} |\n")
    return "".join(out)


def _problem_page(problem: ProblemType) -> str:
    return (
        f"# {problem.title}\n\n"
        f"`{problem.code}`: HTTP {problem.status} {status_phrase(problem.status)}. "
        f"Type URI: `{DEFAULT_TYPE_BASE}{problem.code}` (served by the API at "
        f"`{PAGES_PATH}/{problem.code}`).\n\n"
        f"## What it means\n\n{problem.meaning}\n\n"
        f"## How to fix it\n\n{problem.fix}\n\n"
        f"## Example\n\n{json_block(example_body(problem, DEFAULT_TYPE_BASE))}\n"
        "[All problem types](README.md)\n"
    )
