"""Register, log in, rotate the refresh token, mint an API key and call the API with it
(requests)."""

import os
import uuid

import requests

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1")
EMAIL = os.environ.get("EMAIL", f"requests-{uuid.uuid4().hex[:10]}@example.com")
PASSWORD = os.environ.get("PASSWORD", "correct-horse-battery-9")

http = requests.Session()  # (pass timeout= on every call in real code)
credentials = {"email": EMAIL, "password": PASSWORD}
http.post(f"{API_URL}/auth/register", json={**credentials, "full_name": "Ada"}).raise_for_status()

login = http.post(f"{API_URL}/auth/login", json=credentials)
login.raise_for_status()
tokens = login.json()["data"]

# Refresh tokens are single-use: keep the new pair, forget the old one.
rotated = http.post(f"{API_URL}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
rotated.raise_for_status()
access_token = rotated.json()["data"]["access_token"]

key = http.post(
    f"{API_URL}/auth/api-keys",
    json={"name": "nightly-import"},
    headers={"Authorization": f"Bearer {access_token}"},
)
key.raise_for_status()

# A machine client sends the key alone.
me = requests.get(
    f"{API_URL}/users/me", headers={"X-API-Key": key.json()["data"]["key"]}, timeout=10
)
me.raise_for_status()
print("logged in as", me.json()["data"]["email"])
