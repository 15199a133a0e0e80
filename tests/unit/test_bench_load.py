"""The harness's "other load" counts foreign user processes, not the benchmark's own
helpers or the kernel threads cleaning up after its connections."""

from __future__ import annotations

import os

from bench.load import KTHREADD, OtherLoad


def test_what_counts_as_foreign() -> None:
    load = OtherLoad(lambda: {4242})
    assert load._foreign(999_001, "pytest", 1, 999_001)  # someone else's test run
    assert not load._foreign(999_002, "kworker/0:1", KTHREADD, 0)  # kernel housekeeping
    assert not load._foreign(KTHREADD, "kthreadd", 0, 0)
    assert not load._foreign(999_003, "postgres", 1, 999_003)  # serves our requests
    assert not load._foreign(999_004, "uvicorn", 4242, 4242)  # a server we started
    assert not load._foreign(os.getpid(), "python", 1, 1)  # the harness itself
