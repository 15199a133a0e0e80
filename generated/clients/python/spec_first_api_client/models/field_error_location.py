from enum import StrEnum


class FieldErrorLocation(StrEnum):
    BODY = "body"
    COOKIE = "cookie"
    HEADER = "header"
    OUTPUT = "output"
    PATH = "path"
    QUERY = "query"

    def __str__(self) -> str:
        return str(self.value)
