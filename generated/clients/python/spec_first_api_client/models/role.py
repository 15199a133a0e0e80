from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    READONLY = "readonly"
    USER = "user"

    def __str__(self) -> str:
        return str(self.value)
