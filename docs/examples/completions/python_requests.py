"""A completion whose answer is validated against a schema of the spec (`response_schema`),
with requests."""

import os

import requests

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1")

answer = requests.post(
    f"{API_URL}/ai/completions",
    json={"prompt": "Summarise the water cycle.", "response_schema": "TextSummary"},
    headers={"Authorization": f"Bearer {os.environ['API_TOKEN']}"},
    timeout=60,
)
answer.raise_for_status()
completion = answer.json()["data"]
print("model:", completion["model"])
print("summary:", completion["object"]["summary"])
print("key points:", len(completion["object"]["key_points"]))
print("tokens:", completion["usage"]["total_tokens"])
