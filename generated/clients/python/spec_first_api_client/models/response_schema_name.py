from enum import StrEnum


class ResponseSchemaName(StrEnum):
    GENERATEDRECIPE = "GeneratedRecipe"
    TEXTSUMMARY = "TextSummary"

    def __str__(self) -> str:
        return str(self.value)
