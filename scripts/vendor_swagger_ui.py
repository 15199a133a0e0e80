"""Vendor Swagger UI from npm's `swagger-ui-dist` into app/http/swagger_ui/, or check it.

    python scripts/vendor_swagger_ui.py            # re-vendor the pinned version
    python scripts/vendor_swagger_ui.py 5.36.0     # move the pin to another version
    python scripts/vendor_swagger_ui.py --check    # the files match the pin (offline)

Why vendored: the PyPI `swagger-ui-bundle` package stops at Swagger UI 4.15.5, the docs must
not load from a CDN (the strict CSP allows only this origin), and `make run` needs nothing
but Python. So the few files the page uses are committed, with their licenses, and pinned in
`swagger-ui-dist.json`: the package's npm integrity (sha512 of the tarball, checked before
anything is extracted) and each file's sha256. `npm pack` fetches the tarball through the
registry npm is configured with; no registry address is written anywhere.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "app/http/swagger_ui"
PIN = TARGET / "swagger-ui-dist.json"
PACKAGE = "swagger-ui-dist"
# What index.j2 loads, plus the licenses: Apache-2.0 (LICENSE, NOTICE) and the notices of
# what the bundle contains. No source maps (3 MB the page never needs), no standalone
# preset (its top bar loads other specs by URL; an operator's console has one).
FILES = (
    "LICENSE",
    "NOTICE",
    "favicon-16x16.png",
    "favicon-32x32.png",
    "index.css",
    "swagger-ui-bundle.js",
    "swagger-ui-bundle.js.LICENSE.txt",
    "swagger-ui.css",
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check(pin: dict[str, object]) -> list[str]:
    """What differs between the committed files and the pin (empty: all match)."""
    files = pin["files"]
    assert isinstance(files, dict)
    wrong = [n for n in FILES if n not in files]
    for name, digest in files.items():
        path = TARGET / name
        if not path.is_file() or sha256(path.read_bytes()) != digest:
            wrong.append(name)
    return wrong


def vendor(version: str, integrity: str | None) -> dict[str, object]:
    """Fetch `swagger-ui-dist@version`, verify it, extract FILES; returns the new pin."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(  # noqa: S603 - fixed argv, the version is checked below
            ["npm", "pack", f"{PACKAGE}@{version}", "--json", "--pack-destination", tmp],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        meta = json.loads(out)[0]
        if meta["version"] != version:
            raise SystemExit(f"npm gave {PACKAGE} {meta['version']}, not {version}")
        tarball = (Path(tmp) / meta["filename"]).read_bytes()
        actual = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
        if integrity is not None and actual != integrity:
            raise SystemExit(f"{PACKAGE}@{version}: integrity {actual}, pinned {integrity}")
        with tarfile.open(Path(tmp) / meta["filename"]) as tar:
            contents = {}
            for name in FILES:
                member = tar.extractfile(f"package/{name}")
                if member is None:
                    raise SystemExit(f"{PACKAGE}@{version} has no {name}")
                contents[name] = member.read()
    for name, data in contents.items():
        (TARGET / name).write_bytes(data)
    return {
        "package": PACKAGE,
        "version": version,
        "license": "Apache-2.0",
        "integrity": actual,
        "files": {name: sha256(data) for name, data in sorted(contents.items())},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("version", nargs="?", help="another version to pin")
    parser.add_argument("--check", action="store_true", help="compare instead of fetching")
    args = parser.parse_args()
    pin = json.loads(PIN.read_text())
    if args.check:
        wrong = check(pin)
        if wrong:
            print(f"{TARGET}: not the pinned {PACKAGE} {pin['version']}: {wrong}")
            return 1
        return 0
    same = args.version in (None, pin["version"])
    new = vendor(args.version or pin["version"], pin["integrity"] if same else None)
    PIN.write_text(json.dumps(new, indent=2) + "\n")
    print(f"vendored {PACKAGE} {new['version']} into {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
