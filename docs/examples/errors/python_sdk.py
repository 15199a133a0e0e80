"""Every error is RFC 9457 problem+json with a stable `code` to branch on (never the title).
The generated Python SDK returns it as a typed `Problem` (not an exception), because the
spec declares each operation's problem responses; a status the spec does not declare
raises `errors.UnexpectedStatus` when the client has `raise_on_unexpected_status=True`."""

import os

from spec_first_api_client import AuthenticatedClient, Client
from spec_first_api_client.api.items import create_item, get_item
from spec_first_api_client.api.users import get_me
from spec_first_api_client.models import ItemCreateRequest, Problem
from spec_first_api_client.types import Unset

API_URL = os.environ.get("API_URL", "http://127.0.0.1:8000/api/v1")
anonymous = Client(base_url=API_URL, raise_on_unexpected_status=True)
api = AuthenticatedClient(
    base_url=API_URL, token=os.environ["API_TOKEN"], raise_on_unexpected_status=True
)


def show(answer: object) -> None:
    assert isinstance(answer, Problem), answer
    fields = [] if isinstance(answer.errors, Unset) else [e.field for e in answer.errors]
    print(answer.status, answer.code, *fields[:1])


show(get_me.sync(client=anonymous))  # no credentials
show(create_item.sync(client=api, body=ItemCreateRequest(name="Mug", price="12.345")))
show(get_item.sync(999999999, client=api))  # not yours, or none
