from enum import StrEnum


class BatchFailureStatus(StrEnum):
    ERROR = "error"

    def __str__(self) -> str:
        return str(self.value)
