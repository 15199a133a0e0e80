"""Who is calling: the result of authentication, carried through Connexion's token_info."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

AuthMethod = Literal["bearer", "api_key"]


@dataclass(frozen=True)
class Principal:
    user_id: int
    role: str
    method: AuthMethod
    jti: str | None = None
    family_id: str | None = None
    expires_at: int | None = None
    api_key_id: int | None = None

    def to_token_info(self) -> dict[str, Any]:
        """Connexion stores this dict and passes it to handlers as `token_info`."""
        return {
            "sub": str(self.user_id),
            "role": self.role,
            "method": self.method,
            "jti": self.jti,
            "fam": self.family_id,
            "exp": self.expires_at,
            "api_key_id": self.api_key_id,
        }

    @classmethod
    def from_token_info(cls, info: dict[str, Any]) -> Principal:
        return cls(
            user_id=int(info["sub"]),
            role=str(info["role"]),
            method=info["method"],
            jti=info.get("jti"),
            family_id=info.get("fam"),
            expires_at=info.get("exp"),
            api_key_id=info.get("api_key_id"),
        )
