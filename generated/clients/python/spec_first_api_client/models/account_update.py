from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.token_pair import TokenPair


T = TypeVar("T", bound="AccountUpdate")


@_attrs_define
class AccountUpdate:
    """The caller's account after `PATCH /users/me`. After a password change, `session` holds
    the caller's new login session (every earlier one, the calling one included, has ended).

        Example:
            {'id': 7, 'email': 'ada@example.com', 'full_name': 'Ada Lovelace', 'role': 'user', 'is_active': True,
                'created_at': '2026-11-25T10:00:00Z', 'updated_at': '2026-11-25T10:00:00Z'}

        Attributes:
            id (int):  Example: 7.
            email (str): Stored lowercased (see `Email`). Example: ada@example.com.
            full_name (str):  Example: Ada Lovelace.
            role (Role): `admin` manages users; `user` reads and writes its own objects; `readonly` may only read. Example:
                user.
            is_active (bool):  Example: True.
            created_at (datetime.datetime):  Example: 2026-11-25T10:00:00Z.
            updated_at (datetime.datetime):  Example: 2026-11-25T10:00:00Z.
            session (TokenPair | Unset):  Example: {'access_token': 'eyJhbGciOiJIUzI1NiJ9.e30.sig', 'refresh_token':
                'Q2hhbmdlIG1lIHRvIGEgcmVhbCB0b2tlbg', 'token_type': 'Bearer', 'expires_in': 900, 'refresh_expires_in': 604800}.
    """

    id: int
    email: str
    full_name: str
    role: Role
    is_active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    session: TokenPair | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email = self.email

        full_name = self.full_name

        role = self.role.value

        is_active = self.is_active

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        session: dict[str, Any] | Unset = UNSET
        if not isinstance(self.session, Unset):
            session = self.session.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "email": email,
                "full_name": full_name,
                "role": role,
                "is_active": is_active,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if session is not UNSET:
            field_dict["session"] = session

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.token_pair import TokenPair  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        email = d.pop("email")

        full_name = d.pop("full_name")

        role = Role(d.pop("role"))

        is_active = d.pop("is_active")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        _session = d.pop("session", UNSET)
        session: TokenPair | Unset
        if isinstance(_session, Unset):
            session = UNSET
        else:
            session = TokenPair.from_dict(_session)

        account_update = cls(
            id=id,
            email=email,
            full_name=full_name,
            role=role,
            is_active=is_active,
            created_at=created_at,
            updated_at=updated_at,
            session=session,
        )

        account_update.additional_properties = d
        return account_update

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
