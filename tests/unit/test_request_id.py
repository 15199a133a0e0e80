import os
import re

import pytest

from app.http.request_id import MAX_LENGTH, accept_or_generate


@pytest.mark.parametrize("value", ["abc", "A-b_c.d:e", "x" * MAX_LENGTH, "0"])
def test_well_formed_ids_are_kept(value: str) -> None:
    assert accept_or_generate(value) == value


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "x" * (MAX_LENGTH + 1),
        "x" * 201,
        "a\nb",
        "a\r\nX-Evil: 1",
        "a b",
        "é",
        "a/b",
        "<script>",
    ],
)
def test_malformed_ids_are_replaced(value: str | None) -> None:
    generated = accept_or_generate(value)
    assert generated != value
    assert len(generated) == 32
    assert generated.isalnum()


def test_generated_ids_are_unique() -> None:
    assert len({accept_or_generate(None) for _ in range(100)}) == 100


def test_generated_ids_are_unique_hex_without_os_entropy(monkeypatch: pytest.MonkeyPatch) -> None:
    # An id is not a secret: uuid4 read os.urandom on every request (1-3% of a request's CPU
    # in the profile); the module PRNG (reseeded in forked workers) is enough.
    def no_entropy(_n: int) -> bytes:
        raise AssertionError("request ids must not read the OS entropy pool")

    monkeypatch.setattr(os, "urandom", no_entropy)
    ids = {accept_or_generate(None) for _ in range(1000)}
    assert len(ids) == 1000
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
