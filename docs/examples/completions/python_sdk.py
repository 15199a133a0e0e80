"""A completion whose answer is validated against a schema of the spec (`response_schema`),
with the generated Python SDK."""

import os

from spec_first_api_client import AuthenticatedClient
from spec_first_api_client.api.completions import create_completion
from spec_first_api_client.models import TextSummary

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1")
api = AuthenticatedClient(base_url=API_URL, token=os.environ["API_TOKEN"], timeout=60)

# The request body is a plain dict here: the spec's "`messages` or `prompt`" (a oneOf)
# has no generated model.
completion = create_completion.sync(
    client=api, body={"prompt": "Summarise the water cycle.", "response_schema": "TextSummary"}
).data
# `object` is the answer, valid against TextSummary: read it as that generated model.
summary = TextSummary.from_dict(completion.object_.to_dict())
print("model:", completion.model)
print("summary:", summary.summary)
print("key points:", len(summary.key_points))
print("tokens:", completion.usage.total_tokens)
