from enum import StrEnum


class JobCompletionRequestKind(StrEnum):
    COMPLETION = "completion"

    def __str__(self) -> str:
        return str(self.value)
