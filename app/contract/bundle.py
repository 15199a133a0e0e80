"""Bundle the split contract into one self-contained OpenAPI document.

`openapi/openapi.yaml` is the root; paths and components may live in other YAML files
under `openapi/`, reached with relative `$ref`s. Everything that reads the contract (Connexion,
Swagger UI, the served `/openapi.json|yaml`, codegen, Schemathesis, SDK generators) gets the
bundle: one document whose every `$ref` is internal (`#/components/...`).

Rules (deterministic; the same sources always give the same bytes):
- A ref to a component, i.e. `<file>#/<section>/<Name>` in a component file (whose top-level
  keys are `components` sections: `schemas`, `parameters`, `responses`, ...) or
  `#/components/<section>/<Name>` in the root, becomes `#/components/<section>/<Name>`, and
  the component is copied there once, keeping its name. So Swagger UI and the code generator
  still see named components, and a recursive schema is just a ref to itself.
- Any other ref (a path item in `paths/<resource>.yaml`, a fragment) is replaced by the
  content it points at. A cycle of such refs is an error that names the chain.
- Two different definitions under one component name is an error naming both files (names
  are global in the bundle, so they must be unique across files).
- Components appear by section, the root's own first, then each file's in the order of the
  file's first use and their order in that file.
- A discriminator's `mapping` values are refs too (relative to their file, like `$ref`),
  rewritten the same way; they must name components.
- Refs may not leave the root's directory or name a remote URL; a ref to a missing file,
  pointer or component is an error.

Imports only the standard library and PyYAML, so scripts can use it without the app.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

SECTIONS = (
    "securitySchemes",
    "headers",
    "parameters",
    "requestBodies",
    "schemas",
    "responses",
    "examples",
    "links",
    "callbacks",
)
COMPONENT_NAME = re.compile(r"^[A-Za-z0-9._-]+$")  # OpenAPI 3.0's rule for component keys
HEADER = (
    "# Bundled from openapi/openapi.yaml and the files it references by scripts/bundle_spec.py\n"
    "# (`make generate`). Do not edit: edit the sources under openapi/ and regenerate.\n"
)


class BundleError(ValueError):
    """The sources cannot be bundled: a broken, cyclic or ambiguous `$ref`."""


Origin = tuple[Path, str]  # (file, JSON pointer)


# libyaml's safe loader parses the contract ~8x faster than the pure-Python one (cold
# start); both build the same plain data.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class _Bundler:
    root: Path
    docs: dict[Path, Any] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)  # in order of first use
    # (section, name) -> where it is defined, and its bundled content once walked
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    bundled: dict[tuple[str, str], Any] = field(default_factory=dict)
    inlining: list[Origin] = field(default_factory=list)

    def load(self, path: Path) -> Any:
        if path not in self.docs:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise BundleError(f"cannot read {self.show(path)}: {exc.strerror}") from exc
            try:
                self.docs[path] = yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
            except yaml.YAMLError as exc:
                raise BundleError(f"{self.show(path)} is not valid YAML: {exc}") from None
            self.files.append(path)
        return self.docs[path]

    def show(self, path: Path) -> str:
        return f"{self.root.parent.name}/{path.relative_to(self.root.parent).as_posix()}"

    def bundle(self) -> dict[str, Any]:
        root = self.load(self.root)
        if not isinstance(root, dict):
            raise BundleError(f"{self.show(self.root)} is not a mapping")
        # Claim the root's own components first, so collisions never depend on walk order.
        own = root.get("components") or {}
        for section, entries in own.items():
            for name in entries or {}:
                self.claim(section, name, (self.root, f"/components/{section}/{name}"))
        out = {
            key: None if key == "components" else self.walk(value, self.root)
            for key, value in root.items()
        }
        for section, entries in own.items():
            for name, value in (entries or {}).items():
                self.bundled[(section, name)] = self.walk(value, self.root)
        out["components"] = self.components(own)  # in the root's place, else last
        self.check_internal_refs(out)
        return out

    def claim(self, section: str, name: str, origin: Origin) -> bool:
        """Register a component; True when it is new. Raise on a second definition."""
        if section not in SECTIONS:
            raise BundleError(f"{section!r} is not a components section ({', '.join(SECTIONS)})")
        if not COMPONENT_NAME.match(name):
            raise BundleError(f"component name {name!r} must match {COMPONENT_NAME.pattern}")
        known = self.origins.get((section, name))
        if known is None:
            self.origins[(section, name)] = origin
            return True
        if known != origin:
            first, second = (f"{self.show(p)}#{ptr}" for p, ptr in (known, origin))
            msg = f"component name collision: {section}/{name} is defined in {first} and {second}"
            raise BundleError(msg)
        return False

    def components(self, own: dict[str, Any]) -> dict[str, Any]:
        """The bundle's components: the root's first, then each file's in file order."""
        rank = {path: i for i, path in enumerate(self.files)}

        def position(key: tuple[str, str]) -> tuple[int, int]:
            path, _ = self.origins[key]
            doc = self.docs[path]
            entries = doc["components"] if path == self.root else doc
            return rank[path], list(entries[key[0]]).index(key[1])

        order = [*own, *(s for s in SECTIONS if s not in own)]
        out: dict[str, Any] = {}
        for section in order:
            keys = sorted((k for k in self.origins if k[0] == section), key=position)
            if keys:
                out[section] = {name: self.bundled[(section, name)] for _, name in keys}
        return out

    def walk(self, node: Any, here: Path) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                return self.follow(ref, {k: v for k, v in node.items() if k != "$ref"}, here)
            out = {key: self.walk(value, here) for key, value in node.items()}
            discriminator = out.get("discriminator")
            if isinstance(discriminator, dict) and isinstance(discriminator.get("mapping"), dict):
                mapping = {k: self.mapped(v, here) for k, v in discriminator["mapping"].items()}
                out["discriminator"] = {**discriminator, "mapping": mapping}
            return out
        if isinstance(node, list):
            return [self.walk(item, here) for item in node]
        return node

    def follow(self, ref: str, siblings: dict[str, Any], here: Path) -> Any:
        origin = self.target(ref, here)
        path, pointer = origin
        self.resolve(origin, ref, here)  # fail early on a dangling ref
        parts = pointer.split("/")[1:]
        if path == self.root and len(parts) == 3 and parts[0] == "components":
            section, name = parts[1], parts[2]
        elif path != self.root and len(parts) == 2 and parts[0] in SECTIONS:
            section, name = parts
        else:
            return self.inline(origin, siblings, ref, here)
        # New: claim, then walk it (a ref back to it meanwhile is a claimed name, so
        # recursion stops). The root's own components are walked by bundle().
        if self.claim(section, name, origin) and path != self.root:
            self.bundled[(section, name)] = self.walk(self.resolve(origin), path)
        return {"$ref": f"#/components/{section}/{name}", **self.walk(siblings, here)}

    def mapped(self, value: Any, here: Path) -> Any:
        """A discriminator mapping value: a ref (written like a `$ref`, relative to its file)
        becomes the component's bundled ref; a bare schema name stays as it is."""
        if not isinstance(value, str) or not any(c in value for c in "#/"):
            return value
        target = self.follow(value, {}, here)
        if not isinstance(target, dict) or set(target) != {"$ref"}:
            msg = f"{self.show(here)}: discriminator mapping {value} names no component"
            raise BundleError(msg)
        return target["$ref"]

    def inline(self, origin: Origin, siblings: dict[str, Any], ref: str, here: Path) -> Any:
        if siblings:
            keys = ", ".join(sorted(siblings))
            raise BundleError(f"{self.show(here)}: $ref {ref} has sibling keys ({keys})")
        if origin in self.inlining:
            chain = [*self.inlining[self.inlining.index(origin) :], origin]
            shown = " -> ".join(f"{self.show(p)}#{ptr}" for p, ptr in chain)
            raise BundleError(f"$ref cycle: {shown}")
        self.inlining.append(origin)
        try:
            return self.walk(self.resolve(origin), origin[0])
        finally:
            self.inlining.pop()

    def target(self, ref: str, here: Path) -> Origin:
        location, _, fragment = ref.partition("#")
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", location):
            raise BundleError(f"{self.show(here)}: remote $ref {ref} (only relative files)")
        path = (here.parent / unquote(location)).resolve() if location else here
        if not path.is_relative_to(self.root.parent):
            raise BundleError(f"{self.show(here)}: $ref {ref} leaves {self.root.parent.name}/")
        pointer = unquote(fragment)
        if pointer and not pointer.startswith("/"):
            raise BundleError(f"{self.show(here)}: $ref {ref} needs a JSON pointer after #")
        return path, pointer

    def resolve(self, origin: Origin, ref: str = "", here: Path | None = None) -> Any:
        path, pointer = origin
        node = self.load(path)
        for token in pointer.split("/")[1:]:
            key = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                where = f"{self.show(here)}: " if here else ""
                msg = f"{where}$ref {ref or pointer} not found in {self.show(path)}"
                if ref.startswith("#/components/") and path != self.root:
                    msg += " (outside the root, `#` is the file itself: name the component file)"
                raise BundleError(msg)
        return node

    def check_internal_refs(self, doc: dict[str, Any]) -> None:
        components = doc.get("components", {})
        for ref in _refs(doc):
            parts = ref.split("/")
            if len(parts) != 4 or parts[:2] != ["#", "components"]:
                raise BundleError(f"bundle kept a non-component $ref {ref}")
            if parts[3] not in components.get(parts[2], {}):
                raise BundleError(f"$ref {ref} names no component")


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def bundle(root: Path) -> dict[str, Any]:
    """The one document the contract's files make (see the module docstring)."""
    return _Bundler(root.resolve()).bundle()


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, and never YAML anchors/aliases (plain data out)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def dump(doc: dict[str, Any]) -> str:
    """The bundle as YAML text: the committed file and what `/openapi.yaml` serves."""
    body = yaml.dump(
        doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )
    return HEADER + body
