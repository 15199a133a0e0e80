"""Register, log in, rotate the refresh token, mint an API key and call the API with it
(the generated Python SDK: `pip install generated/clients/python`)."""

import os
import uuid

from spec_first_api_client import AuthenticatedClient, Client
from spec_first_api_client.api.auth import create_api_key, login, refresh, register
from spec_first_api_client.api.users import get_me
from spec_first_api_client.models import (
    ApiKeyCreateRequest,
    LoginRequest,
    RefreshRequest,
    RegisterRequest,
)

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1")
EMAIL = os.environ.get("EMAIL", f"sdk-{uuid.uuid4().hex[:10]}@example.com")
PASSWORD = os.environ.get("PASSWORD", "correct-horse-battery-9")

# raise_on_unexpected_status: a status the spec does not declare raises; declared errors
# come back as a typed `Problem` (see docs/examples/errors/).
anonymous = Client(base_url=API_URL, raise_on_unexpected_status=True)
register.sync(
    client=anonymous, body=RegisterRequest(email=EMAIL, password=PASSWORD, full_name="Ada")
)
tokens = login.sync(client=anonymous, body=LoginRequest(email=EMAIL, password=PASSWORD))

# Refresh tokens are single-use: keep the new pair, forget the old one.
tokens = refresh.sync(
    client=anonymous, body=RefreshRequest(refresh_token=tokens.data.refresh_token)
)
api = AuthenticatedClient(base_url=API_URL, token=tokens.data.access_token)

key = create_api_key.sync(client=api, body=ApiKeyCreateRequest(name="nightly-import"))

# A machine client sends the key alone, in its own header.
machine = AuthenticatedClient(
    base_url=API_URL, token=key.data.key, prefix="", auth_header_name="X-API-Key"
)
print("logged in as", get_me.sync(client=machine).data.email)
