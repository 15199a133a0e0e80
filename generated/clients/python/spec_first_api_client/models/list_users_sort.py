from enum import StrEnum


class ListUsersSort(StrEnum):
    CREATED_AT = "created_at"
    EMAIL = "email"
    FULL_NAME = "full_name"
    ID = "id"
    ROLE = "role"

    def __str__(self) -> str:
        return str(self.value)
