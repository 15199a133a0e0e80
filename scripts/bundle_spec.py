"""Bundle openapi/openapi.yaml and the files it `$ref`s into one document, or check it.

    python scripts/bundle_spec.py [--check] openapi/openapi.yaml generated/openapi.yaml

The output is what the app serves at /openapi.yaml, byte for byte (same bundler, same
dumper: app/contract/bundle.py), so tools outside the app (SDK generators, linters, docs
hosting) read exactly what the server enforces. Deterministic: no timestamp, stable order.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a file, not -m

from drift import write_or_check

from app.contract.bundle import BundleError, bundle, dump


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("spec", type=Path, help="the root document")
    parser.add_argument("target", type=Path)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    try:
        text = dump(bundle(args.spec))
    except BundleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return write_or_check(args.target, text, args.spec, check=args.check)


if __name__ == "__main__":
    sys.exit(main())
