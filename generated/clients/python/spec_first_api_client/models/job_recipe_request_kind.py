from enum import StrEnum


class JobRecipeRequestKind(StrEnum):
    RECIPE = "recipe"

    def __str__(self) -> str:
        return str(self.value)
