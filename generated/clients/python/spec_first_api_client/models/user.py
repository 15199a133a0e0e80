from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role

T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """An account. Never includes the password hash.

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
    """

    id: int
    email: str
    full_name: str
    role: Role
    is_active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email = self.email

        full_name = self.full_name

        role = self.role.value

        is_active = self.is_active

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        email = d.pop("email")

        full_name = d.pop("full_name")

        role = Role(d.pop("role"))

        is_active = d.pop("is_active")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        user = cls(
            id=id,
            email=email,
            full_name=full_name,
            role=role,
            is_active=is_active,
            created_at=created_at,
            updated_at=updated_at,
        )

        user.additional_properties = d
        return user

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
