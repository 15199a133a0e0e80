"""Every error is RFC 9457 problem+json with a stable `code` to branch on (never the title),
field-level `errors` where relevant and the `request_id` (also the X-Request-ID header).
With requests."""

import os

import requests

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1")
auth = {"Authorization": f"Bearer {os.environ['API_TOKEN']}"}


def show(response: requests.Response) -> None:
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    fields = [error["field"] for error in problem.get("errors", [])]
    print(response.status_code, problem["code"], *fields[:1])


show(requests.get(f"{API_URL}/users/me", timeout=10))  # no credentials
bad = {"name": "Mug", "price": "12.345"}
show(requests.post(f"{API_URL}/items", json=bad, headers=auth, timeout=10))  # a bad field
show(requests.get(f"{API_URL}/items/999999999", headers=auth, timeout=10))  # not yours, or none
