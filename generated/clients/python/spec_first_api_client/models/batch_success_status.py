from enum import StrEnum


class BatchSuccessStatus(StrEnum):
    OK = "ok"

    def __str__(self) -> str:
        return str(self.value)
