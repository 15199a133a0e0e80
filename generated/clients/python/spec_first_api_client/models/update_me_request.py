from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateMeRequest")


@_attrs_define
class UpdateMeRequest:
    """
    Example:
        {'password': 'a new long password', 'current_password': 'correct horse battery'}

    Attributes:
        full_name (str | Unset): Display name: at least one visible character and no control characters (U+0000-U+001F,
            U+007F-U+009F). The pattern spells out its character classes so ECMA-262 (Swagger UI,
            SDKs), Python and Rust regex engines agree on it; the whitespace it treats as blank
            includes U+00A0, U+2000-U+200B, U+3000 and U+FEFF. (Unpaired surrogate escapes are
            refused for every JSON body: 400 `malformed_json`.)
             Example: Ada Lovelace.
        password (str | Unset): 8-128 characters, not equal to the email. Example: correct horse battery.
        current_password (str | Unset): Required with `password`; checked like a login (the same lockout). Example: old
            password 1.
    """

    full_name: str | Unset = UNSET
    password: str | Unset = UNSET
    current_password: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        full_name = self.full_name

        password = self.password

        current_password = self.current_password

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if full_name is not UNSET:
            field_dict["full_name"] = full_name
        if password is not UNSET:
            field_dict["password"] = password
        if current_password is not UNSET:
            field_dict["current_password"] = current_password

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        full_name = d.pop("full_name", UNSET)

        password = d.pop("password", UNSET)

        current_password = d.pop("current_password", UNSET)

        update_me_request = cls(
            full_name=full_name,
            password=password,
            current_password=current_password,
        )

        return update_me_request
