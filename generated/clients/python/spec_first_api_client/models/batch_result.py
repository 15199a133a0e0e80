from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.batch_failure import BatchFailure
    from ..models.batch_success import BatchSuccess
    from ..models.token_usage import TokenUsage


T = TypeVar("T", bound="BatchResult")


@_attrs_define
class BatchResult:
    """
    Example:
        {'results': [], 'succeeded': 0, 'failed': 0, 'usage': {'prompt_tokens': 0, 'completion_tokens': 0,
            'total_tokens': 0}, 'cost_usd': '0.000000'}

    Attributes:
        results (list[BatchFailure | BatchSuccess]): One per request, in input order; a failed request does not fail the
            batch.
        succeeded (int):  Example: 1.
        failed (int):  Example: 1.
        usage (TokenUsage): Tokens as the provider counted them, summed over every attempt (repairs and retries
            included). Example: {'prompt_tokens': 42, 'completion_tokens': 128, 'total_tokens': 170}.
        cost_usd (None | str): The successes' costs summed; null when one of them has no known price (its
            `unknown_price` warning names the model). Example: 0.000000.
    """

    results: list[BatchFailure | BatchSuccess]
    succeeded: int
    failed: int
    usage: TokenUsage
    cost_usd: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_success import BatchSuccess  # noqa: PLC0415

        results = []
        for results_item_data in self.results:
            results_item: dict[str, Any]
            if isinstance(results_item_data, BatchSuccess):
                results_item = results_item_data.to_dict()
            else:
                results_item = results_item_data.to_dict()

            results.append(results_item)

        succeeded = self.succeeded

        failed = self.failed

        usage = self.usage.to_dict()

        cost_usd: None | str
        cost_usd = self.cost_usd

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "results": results,
                "succeeded": succeeded,
                "failed": failed,
                "usage": usage,
                "cost_usd": cost_usd,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_failure import BatchFailure  # noqa: PLC0415
        from ..models.batch_success import BatchSuccess  # noqa: PLC0415
        from ..models.token_usage import TokenUsage  # noqa: PLC0415

        d = dict(src_dict)
        results = []
        _results = d.pop("results")
        for results_item_data in _results:

            def _parse_results_item(data: object) -> BatchFailure | BatchSuccess:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    results_item_type_0 = BatchSuccess.from_dict(data)

                    return results_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                results_item_type_1 = BatchFailure.from_dict(data)

                return results_item_type_1

            results_item = _parse_results_item(results_item_data)

            results.append(results_item)

        succeeded = d.pop("succeeded")

        failed = d.pop("failed")

        usage = TokenUsage.from_dict(d.pop("usage"))

        def _parse_cost_usd(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cost_usd = _parse_cost_usd(d.pop("cost_usd"))

        batch_result = cls(
            results=results,
            succeeded=succeeded,
            failed=failed,
            usage=usage,
            cost_usd=cost_usd,
        )

        batch_result.additional_properties = d
        return batch_result

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
