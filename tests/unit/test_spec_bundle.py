"""The spec bundler: relative refs become one document with named components; cycles,
collisions and dangling refs fail loudly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from app.contract import bundle as spec_bundle
from app.contract.bundle import BundleError, bundle, dump
from app.contract.spec import SPEC_PATH

OP = {"responses": {"200": {"description": "ok"}}}


def write(root: Path, files: dict[str, Any]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content if isinstance(content, str) else yaml.safe_dump(content))
    return root / "openapi.yaml"


def spec(paths: dict[str, Any], components: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}
    doc["paths"] = paths
    if components is not None:
        doc["components"] = components
    return doc


def test_external_refs_become_named_components_and_path_items_are_inlined(
    tmp_path: Path,
) -> None:
    root = write(
        tmp_path,
        {
            "openapi.yaml": spec({"/a": {"$ref": "paths/a.yaml#/a"}}),
            "paths/a.yaml": {
                "a": {"get": {"responses": {"200": {"$ref": "../components/c.yaml#/responses/Ok"}}}}
            },
            "components/c.yaml": {
                "responses": {
                    "Ok": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/schemas/Thing"}}},
                    }
                },
                "schemas": {
                    "Thing": {
                        "type": "object",
                        "properties": {"kind": {"$ref": "kinds.yaml#/schemas/Kind"}},
                    }
                },
            },
            "components/kinds.yaml": {"schemas": {"Kind": {"type": "string"}}},
        },
    )
    doc = bundle(root)
    assert doc["paths"]["/a"]["get"]["responses"]["200"] == {"$ref": "#/components/responses/Ok"}
    assert doc["components"]["responses"]["Ok"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Thing"
    }
    # Components keep their names, in the order of their files' first use.
    assert list(doc["components"]["schemas"]) == ["Thing", "Kind"]
    assert doc["components"]["schemas"]["Thing"]["properties"]["kind"] == {
        "$ref": "#/components/schemas/Kind"
    }
    assert yaml.safe_load(dump(doc)) == doc


def test_recursive_schemas_stay_refs(tmp_path: Path) -> None:
    node = {
        "type": "object",
        "properties": {
            "children": {"type": "array", "items": {"$ref": "#/schemas/Node"}},
            "parent": {"$ref": "other.yaml#/schemas/Parent"},
        },
    }
    root = write(
        tmp_path,
        {
            "openapi.yaml": spec(
                {
                    "/n": {
                        "get": {
                            "responses": {
                                "200": {
                                    "description": "ok",
                                    "content": {
                                        "application/json": {
                                            "schema": {"$ref": "c/nodes.yaml#/schemas/Node"}
                                        }
                                    },
                                }
                            }
                        }
                    }
                }
            ),
            "c/nodes.yaml": {"schemas": {"Node": node}},
            "c/other.yaml": {"schemas": {"Parent": {"$ref": "nodes.yaml#/schemas/Node"}}},
        },
    )
    schemas = bundle(root)["components"]["schemas"]
    assert schemas["Node"]["properties"]["children"]["items"] == {
        "$ref": "#/components/schemas/Node"
    }
    assert schemas["Parent"] == {"$ref": "#/components/schemas/Node"}


def test_a_cycle_of_inlined_refs_names_the_chain(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "openapi.yaml": spec({"/a": {"$ref": "paths/a.yaml#/a"}}),
            "paths/a.yaml": {"a": {"$ref": "b.yaml#/b"}},
            "paths/b.yaml": {"b": {"$ref": "a.yaml#/a"}},
        },
    )
    with pytest.raises(BundleError, match=r"\$ref cycle: .*paths/a.yaml#/a -> .*paths/b.yaml#/b"):
        bundle(root)


def test_one_name_in_two_files_is_a_collision(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "openapi.yaml": spec(
                {
                    "/a": {"get": {"responses": {"200": {"$ref": "x.yaml#/responses/Ok"}}}},
                    "/b": {"get": {"responses": {"200": {"$ref": "y.yaml#/responses/Ok"}}}},
                }
            ),
            "x.yaml": {"responses": {"Ok": {"description": "x"}}},
            "y.yaml": {"responses": {"Ok": {"description": "y"}}},
        },
    )
    with pytest.raises(BundleError, match=r"collision: responses/Ok .*x\.yaml.* and .*y\.yaml"):
        bundle(root)


def test_a_file_component_may_not_shadow_one_of_the_root(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "openapi.yaml": spec(
                {"/a": {"get": {"responses": {"200": {"$ref": "x.yaml#/responses/Ok"}}}}},
                {"responses": {"Ok": {"description": "root"}}},
            ),
            "x.yaml": {"responses": {"Ok": {"description": "x"}}},
        },
    )
    with pytest.raises(BundleError, match="collision"):
        bundle(root)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("missing.yaml#/responses/Ok", "cannot read"),
        ("x.yaml#/responses/Gone", "not found"),
        ("#/components/responses/Gone", "not found"),
        ("https://example.com/x.yaml#/responses/Ok", "remote"),
        ("../outside.yaml#/responses/Ok", "leaves"),
        ("x.yaml#responses/Ok", "JSON pointer"),
        ("x.yaml#/nonsense/Ok", "not found"),
    ],
)
def test_bad_refs_fail_with_a_reason(tmp_path: Path, ref: str, message: str) -> None:
    root = write(
        tmp_path / "openapi",
        {
            "openapi.yaml": spec({"/a": {"get": {"responses": {"200": {"$ref": ref}}}}}),
            "x.yaml": {"responses": {"Ok": {"description": "x"}}},
        },
    )
    write(tmp_path, {"outside.yaml": {"responses": {"Ok": {"description": "o"}}}})
    with pytest.raises(BundleError, match=message):
        bundle(root)


def test_components_need_a_known_section_and_a_valid_name(tmp_path: Path) -> None:
    for components, message in (
        ({"widgets": {"Ok": {}}}, "not a components section"),
        ({"schemas": {"Not ok": {}}}, "must match"),
    ):
        with pytest.raises(BundleError, match=message):
            bundle(write(tmp_path, {"openapi.yaml": spec({}, components)}))


def test_a_root_style_ref_in_another_file_explains_itself(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "openapi.yaml": spec({"/a": {"$ref": "p.yaml#/a"}}, {"responses": {"Ok": {}}}),
            "p.yaml": {"a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Ok"}}}}},
        },
    )
    with pytest.raises(BundleError, match="name the component file"):
        bundle(root)


def test_an_inlined_ref_with_siblings_is_refused(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "openapi.yaml": spec({"/a": {"$ref": "p.yaml#/a", "summary": "ignored by OpenAPI"}}),
            "p.yaml": {"a": {"get": OP}},
        },
    )
    with pytest.raises(BundleError, match="sibling keys"):
        bundle(root)


def test_discriminator_mappings_are_rewritten_like_refs(tmp_path: Path) -> None:
    # Written relative to their file (so Redocly resolves the sources too), bundled as
    # `#/components/schemas/...`; a bare schema name is left alone.
    pet = {
        "oneOf": [{"$ref": "#/schemas/Cat"}, {"$ref": "#/schemas/Dog"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"cat": "#/schemas/Cat", "dog": "Dog"},
        },
    }
    body = {"content": {"application/json": {"schema": {"$ref": "c.yaml#/schemas/Pet"}}}}
    files = {
        "openapi.yaml": spec({"/a": {"post": {**OP, "requestBody": body}}}),
        "c.yaml": {"schemas": {"Pet": pet, "Cat": {"type": "object"}, "Dog": {"type": "object"}}},
    }
    doc = bundle(write(tmp_path, files))
    assert doc["components"]["schemas"]["Pet"]["discriminator"]["mapping"] == {
        "cat": "#/components/schemas/Cat",
        "dog": "Dog",
    }
    pet["discriminator"]["mapping"] = {"cat": "#/schemas/Nope"}
    with pytest.raises(BundleError, match="not found"):
        bundle(write(tmp_path, files))
    pet["discriminator"]["mapping"] = {"cat": "#/schemas/Cat/type"}
    with pytest.raises(BundleError, match="names no component"):
        bundle(write(tmp_path, files))


def test_dump_is_plain_yaml_without_anchors(tmp_path: Path) -> None:
    # YAML anchors in a source file are expanded, never carried into the bundle.
    root = write(
        tmp_path,
        {
            "openapi.yaml": "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
            "  /a: {get: {responses: &r {'200': {description: ok}}}}\n"
            "  /b: {get: {responses: *r}}\n",
        },
    )
    text = dump(bundle(root))
    assert "&" not in text and "*" not in text
    assert yaml.safe_load(text)["paths"]["/b"] == {"get": OP}


def test_the_contract_is_parsed_with_libyaml_and_means_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # libyaml parses the contract ~8x faster (cold start); the pure-Python loader is the
    # reference for what the files mean.
    assert spec_bundle._LOADER is yaml.CSafeLoader
    fast = bundle(SPEC_PATH)
    monkeypatch.setattr(spec_bundle, "_LOADER", yaml.SafeLoader)
    assert bundle(SPEC_PATH) == fast


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "openapi.yaml").write_text("openapi: 3.0.3\npaths: { /x: { $ref: 'p.yaml#/x' } }\n")
    (tmp_path / "p.yaml").write_text("x:\n  get:\n    description: a: b\n")
    with pytest.raises(BundleError, match=r"p\.yaml is not valid YAML: mapping values"):
        bundle(tmp_path / "openapi.yaml")
