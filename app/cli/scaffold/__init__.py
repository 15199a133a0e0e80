"""`flask dev new-resource NAME`: write a complete owned resource the way items is built.

It writes the spec (paths and components, linked from openapi/openapi.yaml), the package
`app/<name>/` (handlers, service, table, mapping: small, because app/owned/ does the
work), an Alembic migration, and tests in `tests/<name>/` (API, BOLA, role matrix,
contract), then registers the table (app/tables.py) and the statuses Schemathesis may
see on conditional writes (tests/contract/schemathesis.toml). Templates are in
`templates/`, with `{{placeholders}}`.

It refuses a name that is not a lowercase identifier, is a Python or SQL keyword, or
collides with anything that exists (package, module, tag, path, table, operationId,
schema, tests folder), and writes nothing then. Run `make generate` and `make migrate`
afterwards (the command says so).
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml
from sqlalchemy.dialects.postgresql.base import RESERVED_WORDS as POSTGRES_RESERVED
from sqlalchemy.dialects.sqlite.base import SQLiteIdentifierPreparer
from sqlalchemy.sql.compiler import RESERVED_WORDS as ANSI_RESERVED

from app.cli.scaffold.edits import EditError, link_spec, register
from app.contract.bundle import bundle

TEMPLATES = Path(__file__).with_name("templates")
NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)*$")
MAX_NAME = 40  # index names (`ix_<name>_owner_created`) stay within PostgreSQL's 63
SQL_KEYWORDS = frozenset(
    w.lower()
    for w in (*ANSI_RESERVED, *POSTGRES_RESERVED, *SQLiteIdentifierPreparer.reserved_words)
)


class ScaffoldError(Exception):
    """The name is refused; nothing was written."""


@dataclass(frozen=True)
class Names:
    """Every spelling of one resource name (`purchase_orders`)."""

    name: str  # purchase_orders: tag, package, table, cache namespace
    singular: str  # purchase_order

    @property
    def placeholders(self) -> dict[str, str]:
        words = self.name.replace("_", " ")
        word = self.singular.replace("_", " ")
        return {
            "name": self.name,
            "word_key": self.singular,
            "Class": _pascal(self.singular),
            "Plural": _pascal(self.name),
            "CONST": self.name.upper(),
            "url": self.name.replace("_", "-"),
            "id": f"{self.singular}_id",
            "words": words,
            "Words": words.capitalize(),
            "word": word,
            "Word": word.capitalize(),
        }

    @property
    def operation_ids(self) -> set[str]:
        p = self.placeholders
        return {f"list{p['Plural']}"} | {
            f"{verb}{p['Class']}" for verb in ("create", "get", "update", "delete")
        }

    @property
    def schemas(self) -> set[str]:
        cls = self.placeholders["Class"]
        tails = ("", "Name", "Description", "CreateRequest", "UpdateRequest", "Page")
        return {cls + t for t in (*tails, "Envelope", "PageEnvelope")}


def _pascal(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def singular_of(name: str) -> str:
    """`categories` -> `category`, `boxes` -> `box`, `notes` -> `note`; else the name."""
    if name.endswith("ies") and len(name) > 3:
        return name[:-3] + "y"
    if name.endswith(("ches", "shes", "sses", "xes", "zes")):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def refusals(root: Path, names: Names) -> list[str]:
    """Why `names` cannot be added under `root` (empty: it can)."""
    problems: list[str] = []
    for label, value in (("name", names.name), ("singular", names.singular)):
        if not NAME.match(value) or len(value) > MAX_NAME:
            problems.append(
                f"{label} {value!r} is not lowercase words joined by `_` (at most {MAX_NAME})"
            )
        elif keyword.iskeyword(value) or keyword.issoftkeyword(value):
            problems.append(f"{label} {value!r} is a Python keyword")
        elif value in SQL_KEYWORDS:
            problems.append(f"{label} {value!r} is an SQL keyword")
    if problems:
        return problems
    if names.singular == names.name:
        problems.append(f"give a singular different from {names.name!r} (--singular)")
    spec = bundle(root / "openapi" / "openapi.yaml")
    taken = {
        "package or module in app/": _app_modules(root),
        "tag": {t["name"] for t in spec.get("tags", [])},
        "path": {p.strip("/").split("/")[0].replace("-", "_") for p in spec.get("paths", {})},
        "operationId": {
            op["operationId"]
            for item in spec.get("paths", {}).values()
            for op in item.values()
            if isinstance(op, dict) and "operationId" in op
        },
        "schema": set(spec.get("components", {}).get("schemas", {})),
        "table": _tables(root),
        "tests folder": {p.name for p in (root / "tests").iterdir() if p.is_dir()},
    }
    wanted = {
        "package or module in app/": {names.name},
        "tag": {names.name},
        "path": {names.name},
        "operationId": names.operation_ids,
        "schema": names.schemas,
        "table": {names.name},
        "tests folder": {names.name},
    }
    for what, existing in taken.items():
        clash = sorted(wanted[what] & existing)
        if clash:
            problems.append(f"{what} {', '.join(clash)} already exists")
    for spec_file in ("paths", "components"):
        if (root / "openapi" / spec_file / f"{names.name}.yaml").exists():
            problems.append(f"openapi/{spec_file}/{names.name}.yaml already exists")
    return problems


def _app_modules(root: Path) -> set[str]:
    return {p.stem for p in (root / "app").iterdir() if not p.name.startswith("_")}


def _tables(root: Path) -> set[str]:
    """Table names the models declare (read from the source, so nothing is imported)."""
    found = set()
    for path in (root / "app").rglob("*.py"):
        found |= set(re.findall(r'__tablename__\s*=\s*"([^"]+)"', path.read_text()))
    return found | {"alembic_version"}


def _render(template: str, values: dict[str, str]) -> str:
    text = (TEMPLATES / template).read_text()
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    left = re.findall(r"\{\{\w+\}\}", text)
    assert not left, f"{template}: unfilled {left}"
    return text


def _migration_head(root: Path) -> tuple[str, str | None]:
    """(next revision id, current head) from migrations/versions (ids `0001`, `0002`...)."""
    revisions: dict[str, str | None] = {}
    for path in (root / "migrations" / "versions").glob("*.py"):
        text = path.read_text()
        rev = re.search(r'^revision: str = "([^"]+)"', text, re.M)
        down = re.search(r'^down_revision: str \| None = (?:"([^"]+)"|None)', text, re.M)
        if rev:
            revisions[rev.group(1)] = down.group(1) if down else None
    parents = {d for d in revisions.values() if d}
    heads = sorted(set(revisions) - parents)
    if len(heads) > 1:
        raise ScaffoldError(f"migrations have several heads ({', '.join(heads)}): merge first")
    head = heads[0] if heads else None
    numbers = [int(r) for r in revisions if r.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}", head


def plan(root: Path, names: Names) -> dict[Path, str]:
    """Every new file and its content (nothing written yet)."""
    values = dict(names.placeholders)
    revision, head = _migration_head(root)
    values |= {
        "revision": revision,
        "down_revision": head or "",
        "down_revision_literal": f'"{head}"' if head else "None",
        "date": datetime.now(UTC).date().isoformat(),
    }
    n = names.name
    files = {
        f"openapi/paths/{n}.yaml": "paths.yaml.tmpl",
        f"openapi/components/{n}.yaml": "components.yaml.tmpl",
        f"app/{n}/__init__.py": "init.py.tmpl",
        f"app/{n}/models.py": "models.py.tmpl",
        f"app/{n}/service.py": "service.py.tmpl",
        f"app/{n}/mapping.py": "mapping.py.tmpl",
        f"app/{n}/handlers.py": "handlers.py.tmpl",
        f"migrations/versions/{revision}_{n}.py": "migration.py.tmpl",
        f"tests/{n}/__init__.py": "test_init.py.tmpl",
        f"tests/{n}/operation_recipes.py": "test_recipes.py.tmpl",
        f"tests/{n}/test_api.py": "test_api.py.tmpl",
        f"tests/{n}/test_bola.py": "test_bola.py.tmpl",
        f"tests/{n}/test_roles.py": "test_roles.py.tmpl",
        f"tests/{n}/test_contract.py": "test_contract.py.tmpl",
    }
    out = {root / target: _render(template, values) for target, template in files.items()}
    for path, text in out.items():
        if path.suffix == ".yaml":
            yaml.safe_load(text)  # a template that renders to broken YAML fails here
    return out


def new_resource(root: Path, name: str, singular: str | None = None) -> list[Path]:
    """Write the resource under `root`; returns the files written or changed."""
    names = Names(name, singular or singular_of(name))
    problems = refusals(root, names)
    if problems:
        raise ScaffoldError("; ".join(problems))
    files = plan(root, names)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    try:
        link_spec(root, names)
        register(root, names)
    except EditError as exc:
        raise ScaffoldError(str(exc)) from None
    changed = [root / "openapi/openapi.yaml", root / "app/tables.py", root / "pyproject.toml"]
    return [*files, *changed, root / "tests/contract/schemathesis.toml"]
