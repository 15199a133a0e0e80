from enum import StrEnum


class CreateCompletionStreamResponse200Event(StrEnum):
    DELTA = "delta"
    DONE = "done"
    ERROR = "error"
    OBJECT = "object"

    def __str__(self) -> str:
        return str(self.value)
