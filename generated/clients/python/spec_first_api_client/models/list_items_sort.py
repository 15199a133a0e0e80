from enum import StrEnum


class ListItemsSort(StrEnum):
    CREATED_AT = "created_at"
    ID = "id"
    NAME = "name"
    PRICE = "price"
    UPDATED_AT = "updated_at"

    def __str__(self) -> str:
        return str(self.value)
