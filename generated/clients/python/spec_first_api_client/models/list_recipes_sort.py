from enum import StrEnum


class ListRecipesSort(StrEnum):
    COOKING_TIME = "cooking_time"
    CREATED_AT = "created_at"
    ID = "id"
    TITLE = "title"

    def __str__(self) -> str:
        return str(self.value)
