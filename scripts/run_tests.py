"""Run pytest and fail when no test ran.

pytest exits 5 when it collects nothing; that must never pass silently (a broken
conftest or a wrong path would otherwise look green).
"""

from __future__ import annotations

import sys

import pytest

NO_TESTS_COLLECTED = 5


def main(argv: list[str]) -> int:
    code = int(pytest.main(argv))
    if code == NO_TESTS_COLLECTED:
        print("error: no tests ran (pytest exit code 5)", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
