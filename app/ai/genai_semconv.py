"""The OpenTelemetry GenAI attribute names this app records, in one place, pinned to the
semantic-conventions release they come from (the GenAI conventions are still
"development": names move between releases, so they are spelled out here, once)."""

from __future__ import annotations

# https://opentelemetry.io/docs/specs/semconv/gen-ai/ as of semantic conventions 1.37.0
SCHEMA_URL = "https://opentelemetry.io/schemas/1.37.0"

OPERATION_NAME = "gen_ai.operation.name"  # "chat"
PROVIDER_NAME = "gen_ai.provider.name"  # 1.37+: openai, azure.ai.openai, anthropic
SYSTEM = "gen_ai.system"  # before 1.37 (still read by many backends): the same value
REQUEST_MODEL = "gen_ai.request.model"
REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens"
REQUEST_TEMPERATURE = "gen_ai.request.temperature"
RESPONSE_MODEL = "gen_ai.response.model"
RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons"
USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens"
USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens"
OUTPUT_TYPE = "gen_ai.output.type"  # "json" for a structured answer, else "text"
INPUT_MESSAGES = "gen_ai.input.messages"  # only with OTEL_GENAI_CAPTURE_CONTENT=true
OUTPUT_MESSAGES = "gen_ai.output.messages"  # only with OTEL_GENAI_CAPTURE_CONTENT=true
ERROR_TYPE = "error.type"

# This app's own (not GenAI conventions): which try of the repair loop.
ATTEMPT = "app.ai.attempt"  # 1 = the first ask, 2.. = repairs
PROMPT_VERSION = "app.ai.prompt_version"  # the versioned prompt asked (`recipe/v1`), if any

# Our provider names -> the conventions' well-known values.
PROVIDER_VALUES = {"openai": "openai", "azure": "azure.ai.openai", "anthropic": "anthropic"}
