"""The UTC day budgets are counted in, and a refusal's `Retry-After` (seconds to its
reset). The caps themselves are reservations: app/ai/budget.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class Quota:
    limit: int  # 0 = unlimited
    used: int
    resets_at: datetime

    @property
    def exhausted(self) -> bool:
        return self.limit > 0 and self.used >= self.limit

    @property
    def retry_after(self) -> int:
        return max(1, int((self.resets_at - datetime.now(UTC)).total_seconds()))


def today_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """[start of today, start of tomorrow) in UTC."""
    now = now or datetime.now(UTC)
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)
