"""The scaffold's edits to files that exist: the spec's tag and paths, the table list for
Alembic, Schemathesis' expected statuses, and the import contracts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.cli.scaffold import Names

SCHEMATHESIS_MARKER = "# Every check Schemathesis has"
PATHS_END = "\n# Every error `code`"


class EditError(Exception):
    """A file the scaffold edits no longer has the shape it expects."""


def _insert_before(text: str, marker: str, addition: str, *, fallback_end: bool) -> str:
    at = text.find(marker)
    if at < 0:
        if not fallback_end:
            raise EditError(f"cannot find {marker.strip()!r} to insert after")
        return text.rstrip("\n") + "\n" + addition
    return text[:at] + addition + text[at:]


def link_spec(root: Path, names: Names) -> None:
    """Add the tag and the two path lines to openapi/openapi.yaml (text, so its comments and
    layout stay)."""
    p = names.placeholders
    path = root / "openapi" / "openapi.yaml"
    text = path.read_text()
    tag = (
        f"  - name: {p['name']}\n    description: |\n"
        f"      {p['Words']} owned by users (`flask dev new-resource`). A `user` sees and changes\n"
        "      only their own; `admin` sees and changes all; `readonly` reads all. Deleting a\n"
        f"      user deletes their {p['words']}.\n"
    )
    lines = text.split("\n")
    start = lines.index("tags:")
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "-")) or not lines[end].strip()):
        end += 1
    while not lines[end - 1].strip():
        end -= 1
    lines[end:end] = tag.rstrip("\n").split("\n")
    text = "\n".join(lines)
    ref = f"paths/{p['name']}.yaml"
    routes = (
        f'  /{p["url"]}: {{ $ref: "{ref}#/{p["name"]}" }}\n'
        f'  /{p["url"]}/{{{p["id"]}}}: {{ $ref: "{ref}#/{p["word_key"]}" }}\n'
    )
    head, sep, tail = text.partition(PATHS_END)
    if not sep:
        raise EditError("cannot find the end of `paths:` in openapi/openapi.yaml")
    path.write_text(head.rstrip("\n") + "\n" + routes + sep + tail)


def register(root: Path, names: Names) -> None:
    """Import the table in app/tables.py (Alembic's view of the models) and tell
    Schemathesis which statuses a valid conditional write may get."""
    p = names.placeholders
    tables = root / "app" / "tables.py"
    text = tables.read_text()
    line = f"from app.{p['name']}.models import {p['Class']}\n"
    head, _, rest = text.partition("\n__all__ = [\n")
    entries, _, tail = rest.partition("]")
    exported = sorted({*re.findall(r'"(\w+)"', entries), p["Class"]})
    listed = "".join(f'    "{n}",\n' for n in exported)
    tables.write_text(f"{head}{line}\n__all__ = [\n{listed}]{tail}")
    toml = root / "tests" / "contract" / "schemathesis.toml"
    entries = "".join(
        f'[[operations]]\ninclude-operation-id = "{verb}{p["Class"]}"\n'
        "checks.positive_data_acceptance.expected-statuses = "
        '["2xx", "401", "403", "404", "412"]\n\n'
        for verb in ("update", "delete")
    )
    addition = f"# {p['Words']} (`flask dev new-resource`): a stale If-Match is a 412.\n{entries}"
    text = _insert_before(toml.read_text(), SCHEMATHESIS_MARKER, addition, fallback_end=True)
    toml.write_text(text)
    _declare_package(root / "pyproject.toml", p["name"])


def _declare_package(pyproject: Path, name: str) -> None:
    """Place the new package in the import contracts (pyproject.toml): a resource in the
    resources layer, independent of the others (`make lint` runs them)."""
    text = pyproject.read_text()
    layer = re.search(r'^    "auth : users : [^"]*",$', text, flags=re.M)
    modules = re.search(r'^    "app\.health",\n', text, flags=re.M)
    if layer is None or modules is None:
        raise EditError("cannot find the resources in pyproject.toml's import contracts")
    text = text[: layer.end() - 2] + f' : {name}",' + text[layer.end() :]
    modules = re.search(r'^    "app\.health",\n', text, flags=re.M)
    assert modules is not None
    text = text[: modules.end()] + f'    "app.{name}",\n' + text[modules.end() :]
    pyproject.write_text(text)
