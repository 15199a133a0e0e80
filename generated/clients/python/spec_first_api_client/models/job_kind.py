from enum import StrEnum


class JobKind(StrEnum):
    COMPLETION = "completion"
    RECIPE = "recipe"

    def __str__(self) -> str:
        return str(self.value)
