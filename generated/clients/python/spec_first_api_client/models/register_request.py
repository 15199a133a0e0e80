from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RegisterRequest")


@_attrs_define
class RegisterRequest:
    """
    Example:
        {'email': 'ada@example.com', 'password': 'correct horse battery', 'full_name': 'Ada Lovelace'}

    Attributes:
        email (str): An ASCII email address: an RFC 5322 dot-atom local part, `@`, a hostname whose last
            label is alphabetic. This pattern is the whole rule (deliberately no `format: email`,
            which validators interpret differently; no deliverability check). Compared
            case-insensitively.
             Example: ada@example.com.
        password (str): 8-128 characters, not equal to the email. Example: correct horse battery.
        full_name (str): Display name: at least one visible character and no control characters (U+0000-U+001F,
            U+007F-U+009F). The pattern spells out its character classes so ECMA-262 (Swagger UI,
            SDKs), Python and Rust regex engines agree on it; the whitespace it treats as blank
            includes U+00A0, U+2000-U+200B, U+3000 and U+FEFF. (Unpaired surrogate escapes are
            refused for every JSON body: 400 `malformed_json`.)
             Example: Ada Lovelace.
    """

    email: str
    password: str
    full_name: str

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        password = self.password

        full_name = self.full_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "password": password,
                "full_name": full_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        password = d.pop("password")

        full_name = d.pop("full_name")

        register_request = cls(
            email=email,
            password=password,
            full_name=full_name,
        )

        return register_request
