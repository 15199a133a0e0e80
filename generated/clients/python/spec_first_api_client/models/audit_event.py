from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.actor_kind import ActorKind
from ..models.audit_action import AuditAction
from ..models.audit_event_target_type_type_1 import AuditEventTargetTypeType1
from ..models.audit_event_target_type_type_2_type_1 import AuditEventTargetTypeType2Type1
from ..models.audit_event_target_type_type_3_type_1 import AuditEventTargetTypeType3Type1

if TYPE_CHECKING:
    from ..models.audit_event_details import AuditEventDetails


T = TypeVar("T", bound="AuditEvent")


@_attrs_define
class AuditEvent:
    """One audit record. It outlives its actor and target: ids are kept as plain numbers and
    the actor's email is a snapshot. `details` is small and never holds a password, token,
    key or hash.

        Example:
            {'id': 41, 'occurred_at': '2026-11-25T10:00:00Z', 'action': 'user.role_changed', 'actor_id': 1, 'actor_email':
                'admin@example.com', 'actor_kind': 'jwt', 'target_type': 'user', 'target_id': 7, 'details': {'email':
                'ada@example.com', 'from': 'user', 'to': 'readonly'}, 'request_id': '9f1c2d3e4b5a46789abc0def12345678',
                'client_address': '203.0.113.7'}

        Attributes:
            id (int):  Example: 41.
            occurred_at (datetime.datetime):  Example: 2026-11-25T10:00:00Z.
            action (AuditAction): What happened (a closed set). Admin actions: `user.role_changed` (details `from`, `to`),
                `user.deactivated`, `user.reactivated`, `user.deleted` (details `email`, `role`).
                Credential changes: `user.password_changed` (details `email`, `api_keys_revoked`: how
                many keys the change revoked), `api_key.created` (details `owner_id`, `name`,
                `prefix`, and `expires_at` for a key that expires), `api_key.revoked` (details `owner_id`, `name`, `prefix`).
                Security events: `auth.login_failed` (details `email`, `reason`: `invalid_credentials`,
                `user_inactive`, or `invalid_current_password` for a credential change),
                `auth.locked_out` (details `email`, `scope`: `email` or `client`, `retry_after`; once
                per lockout window, not per refused attempt), `auth.refresh_token_reused` (details
                `family_id`: the revoked login session).
                 Example: user.role_changed.
            actor_id (int | None): The acting user's id (null for `cli` and `anonymous`). Example: 1.
            actor_email (None | str): The acting user's email when the event happened. Example: admin@example.com.
            actor_kind (ActorKind): How the actor acted: a bearer access token (`jwt`), an API key, a background job for
                its owner, the command line (`flask users ...`), or nobody authenticated (`anonymous`:
                failed logins, replayed refresh tokens).
                 Example: jwt.
            target_type (AuditEventTargetTypeType1 | AuditEventTargetTypeType2Type1 | AuditEventTargetTypeType3Type1 |
                None): What the action was done to. Example: user.
            target_id (int | None):  Example: 7.
            details (AuditEventDetails): Facts of the event (per action, see `AuditAction`); flat, scalar values. Example:
                {'email': 'ada@example.com', 'from': 'user', 'to': 'readonly'}.
            request_id (None | str): The HTTP request's id (null from the command line). Example:
                9f1c2d3e4b5a46789abc0def12345678.
            client_address (None | str): The client's address as the server resolved it. Example: 203.0.113.7.
    """

    id: int
    occurred_at: datetime.datetime
    action: AuditAction
    actor_id: int | None
    actor_email: None | str
    actor_kind: ActorKind
    target_type: AuditEventTargetTypeType1 | AuditEventTargetTypeType2Type1 | AuditEventTargetTypeType3Type1 | None
    target_id: int | None
    details: AuditEventDetails
    request_id: None | str
    client_address: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        occurred_at = self.occurred_at.isoformat()

        action = self.action.value

        actor_id: int | None
        actor_id = self.actor_id

        actor_email: None | str
        actor_email = self.actor_email

        actor_kind = self.actor_kind.value

        target_type: None | str
        if isinstance(self.target_type, AuditEventTargetTypeType1):
            target_type = self.target_type.value
        elif isinstance(self.target_type, AuditEventTargetTypeType2Type1):
            target_type = self.target_type.value
        elif isinstance(self.target_type, AuditEventTargetTypeType3Type1):
            target_type = self.target_type.value
        else:
            target_type = self.target_type

        target_id: int | None
        target_id = self.target_id

        details = self.details.to_dict()

        request_id: None | str
        request_id = self.request_id

        client_address: None | str
        client_address = self.client_address

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "occurred_at": occurred_at,
                "action": action,
                "actor_id": actor_id,
                "actor_email": actor_email,
                "actor_kind": actor_kind,
                "target_type": target_type,
                "target_id": target_id,
                "details": details,
                "request_id": request_id,
                "client_address": client_address,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_event_details import AuditEventDetails  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        action = AuditAction(d.pop("action"))

        def _parse_actor_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        actor_id = _parse_actor_id(d.pop("actor_id"))

        def _parse_actor_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor_email = _parse_actor_email(d.pop("actor_email"))

        actor_kind = ActorKind(d.pop("actor_kind"))

        def _parse_target_type(
            data: object,
        ) -> AuditEventTargetTypeType1 | AuditEventTargetTypeType2Type1 | AuditEventTargetTypeType3Type1 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                target_type_type_1 = AuditEventTargetTypeType1(data)

                return target_type_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                target_type_type_2_type_1 = AuditEventTargetTypeType2Type1(data)

                return target_type_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                target_type_type_3_type_1 = AuditEventTargetTypeType3Type1(data)

                return target_type_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                AuditEventTargetTypeType1 | AuditEventTargetTypeType2Type1 | AuditEventTargetTypeType3Type1 | None, data
            )

        target_type = _parse_target_type(d.pop("target_type"))

        def _parse_target_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        target_id = _parse_target_id(d.pop("target_id"))

        details = AuditEventDetails.from_dict(d.pop("details"))

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        def _parse_client_address(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_address = _parse_client_address(d.pop("client_address"))

        audit_event = cls(
            id=id,
            occurred_at=occurred_at,
            action=action,
            actor_id=actor_id,
            actor_email=actor_email,
            actor_kind=actor_kind,
            target_type=target_type,
            target_id=target_id,
            details=details,
            request_id=request_id,
            client_address=client_address,
        )

        audit_event.additional_properties = d
        return audit_event

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
