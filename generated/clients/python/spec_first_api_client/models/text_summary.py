from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="TextSummary")


@_attrs_define
class TextSummary:
    """A summary with its key points.

    Example:
        {'summary': 'Water evaporates, condenses and falls as rain.', 'key_points': ['evaporation', 'condensation',
            'precipitation'], 'confidence_score': 0.8}

    Attributes:
        summary (str):  Example: Water evaporates, condenses and falls as rain..
        key_points (list[str]):  Example: ['evaporation', 'condensation', 'precipitation'].
        confidence_score (float):  Example: 0.8.
    """

    summary: str
    key_points: list[str]
    confidence_score: float

    def to_dict(self) -> dict[str, Any]:
        summary = self.summary

        key_points = self.key_points

        confidence_score = self.confidence_score

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "summary": summary,
                "key_points": key_points,
                "confidence_score": confidence_score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        summary = d.pop("summary")

        key_points = cast(list[str], d.pop("key_points"))

        confidence_score = d.pop("confidence_score")

        text_summary = cls(
            summary=summary,
            key_points=key_points,
            confidence_score=confidence_score,
        )

        return text_summary
