"""Small parts that keep hostile input away from crashes: path convertors, the API key shape."""

from __future__ import annotations

import pytest

from app.auth.api_keys import MAX_KEY_LENGTH, looks_like_key
from app.http import connexion_compat

HUGE = "9" * 5000


def test_int_convertor_never_raises() -> None:
    convertor = connexion_compat._IntConvertor()
    assert convertor.convert("42") == 42
    assert convertor.convert("-7") == -7
    assert convertor.convert(HUGE) == HUGE  # left for parameter validation to refuse
    assert convertor.to_string(42) == "42"


@pytest.mark.parametrize("raw", ["", ".", "+", "-.", "1.5e"])
def test_float_convertor_never_raises(raw: str) -> None:
    assert connexion_compat._FloatConvertor().convert(raw) == raw


def test_float_convertor_converts() -> None:
    assert connexion_compat._FloatConvertor().convert("1.5") == 1.5


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        ("ak_abcd1234_kQ3v8Zr1sT0uYw2xPq5nLm7bVc4dEf6g-_x", True),
        ("ak_abcd1234_x", True),
        ("ak_abcd1234_" + "x" * (MAX_KEY_LENGTH - 12), True),
        ("ak_abcd1234_" + "x" * (MAX_KEY_LENGTH - 11), False),
        ("ak_ABCD1234_x", False),
        ("ak_abcd123_x", False),
        ("ak_abcd1234_", False),
        ("ak_abcd1234_x\x00", False),
        ("ak_\x00bcd1234_x", False),
        ("ak_abcd1234_x\n", False),
        ("ak_abcd1234_\u00e9", False),
        ("ak_abcd1234_\u0661", False),
        ("xx_abcd1234_x", False),
        ("", False),
    ],
)
def test_api_key_shape(key: str, ok: bool) -> None:
    assert looks_like_key(key) is ok
