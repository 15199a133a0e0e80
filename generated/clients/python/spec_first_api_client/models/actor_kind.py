from enum import StrEnum


class ActorKind(StrEnum):
    ANONYMOUS = "anonymous"
    API_KEY = "api_key"
    CLI = "cli"
    JOB = "job"
    JWT = "jwt"

    def __str__(self) -> str:
        return str(self.value)
