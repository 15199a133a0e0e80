from enum import StrEnum


class ListJobsSort(StrEnum):
    CREATED_AT = "created_at"
    ID = "id"

    def __str__(self) -> str:
        return str(self.value)
