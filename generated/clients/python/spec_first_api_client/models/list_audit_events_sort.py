from enum import StrEnum


class ListAuditEventsSort(StrEnum):
    ID = "id"
    OCCURRED_AT = "occurred_at"

    def __str__(self) -> str:
        return str(self.value)
