from enum import StrEnum


class RecipeGenerateRequestProvider(StrEnum):
    ANTHROPIC = "anthropic"
    AZURE = "azure"
    FAKE = "fake"
    OPENAI = "openai"

    def __str__(self) -> str:
        return str(self.value)
