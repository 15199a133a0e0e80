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
