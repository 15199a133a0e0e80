"""Start an async job (202 + Location), poll it until it finishes, read its result
(requests)."""

import os
import time

import requests

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1")
http = requests.Session()
http.headers["Authorization"] = f"Bearer {os.environ['API_TOKEN']}"

started = http.post(
    f"{API_URL}/ai/jobs",
    json={"kind": "recipe", "recipe": {"ingredients": ["tomatoes", "onion", "garlic"]}},
)
started.raise_for_status()
job = started.json()["data"]

# queued -> running -> succeeded | failed | cancelled
deadline = time.monotonic() + 30
while job["status"] in ("queued", "running") and time.monotonic() < deadline:
    time.sleep(0.2)
    polled = http.get(f"{API_URL}/ai/jobs/{job['id']}")
    polled.raise_for_status()
    job = polled.json()["data"]
print("job", job["id"], job["status"])
# `result` is what POST /recipes/generate answers as `data`; `problem` says why one failed.
print("recipe:", job["result"]["recipe"]["title"])
