from enum import StrEnum


class DependencyStatus(StrEnum):
    DOWN = "down"
    NOT_CONFIGURED = "not_configured"
    UP = "up"

    def __str__(self) -> str:
        return str(self.value)
