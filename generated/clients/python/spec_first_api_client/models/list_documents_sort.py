from enum import StrEnum


class ListDocumentsSort(StrEnum):
    CREATED_AT = "created_at"
    ID = "id"
    PUBLISHED_AT = "published_at"
    TITLE = "title"
    UPDATED_AT = "updated_at"

    def __str__(self) -> str:
        return str(self.value)
