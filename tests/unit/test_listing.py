"""The pieces of the shared list helper: LIKE escaping, Link headers, date-time parameters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.errors import InvalidInputError
from app.http.links import page_links
from app.http.parsing import query_datetime
from app.infra.pagination import escape_like


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("50%", "50\\%"), ("a_b", "a\\_b"), ("c:\\d", "c:\\\\d"), ("\\%", "\\\\\\%"), ("ok", "ok")],
)
def test_escape_like(text: str, escaped: str) -> None:
    assert escape_like(text) == escaped


def rels(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(", "):
        target, rel = part.split("; ")
        out[rel[5:-1]] = target[1:-1]
    return out


def test_links_in_the_middle_of_the_pages() -> None:
    header = page_links("/api/v1/items", [("q", "a b"), ("page", "2")], page=2, pages=3)
    assert rels(header) == {
        "first": "/api/v1/items?q=a+b&page=1",
        "prev": "/api/v1/items?q=a+b&page=1",
        "next": "/api/v1/items?q=a+b&page=3",
        "last": "/api/v1/items?q=a+b&page=3",
    }


def test_links_of_an_empty_result_point_at_page_one() -> None:
    assert rels(page_links("/x", [], page=1, pages=0)) == {
        "first": "/x?page=1",
        "last": "/x?page=1",
    }


def test_repeated_parameters_are_kept_and_special_characters_encoded() -> None:
    header = page_links("/x", [("tag", "a"), ("tag", "b&c"), ("page", "1")], page=1, pages=2)
    assert rels(header)["next"] == "/x?tag=a&tag=b%26c&page=2"
    # `<`, `>`, `,`, `;` and spaces in values cannot break the header's syntax.
    hostile = page_links("/x", [("q", '<a>, b; rel="x"')], page=1, pages=1)
    assert rels(hostile)["first"] == "/x?q=%3Ca%3E%2C+b%3B+rel%3D%22x%22&page=1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-25T10:00:00Z", datetime(2026, 11, 25, 10, tzinfo=UTC)),
        ("2026-11-25t10:00:00z", datetime(2026, 11, 25, 10, tzinfo=UTC)),
        ("2026-11-25T12:00:00+02:00", datetime(2026, 11, 25, 10, tzinfo=UTC)),
        ("2026-11-25T10:00:00.5-00:30", datetime(2026, 11, 25, 10, 30, 0, 500000, tzinfo=UTC)),
        ("2026-12-31T23:59:60Z", datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)),  # leap
        ("0001-01-01T00:00:00+01:00", datetime.min.replace(tzinfo=UTC)),
        ("9999-12-31T23:59:59-01:00", datetime.max.replace(tzinfo=UTC)),
        (None, None),
    ],
)
def test_query_datetime_accepts_rfc3339_with_an_offset(
    value: str | None, expected: datetime | None
) -> None:
    assert query_datetime("created_after", value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "now",
        "2026-11-25",
        "2026-11-25T10:00:00",
        "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z",
    ],
)
def test_query_datetime_refuses_everything_else(value: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        query_datetime("created_before", value)
    assert info.value.code == "invalid_parameter"
    assert info.value.errors[0]["field"] == "created_before"
