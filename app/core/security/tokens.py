"""Access tokens (JWT via pyjwt): algorithm pinned, every registered claim required.

Each way a token can be wrong maps to its own 401 `code`, so clients and logs can tell an
expired token from a forged one.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

from app.core.security.errors import AuthError
from app.settings import Settings

REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "aud", "sub", "jti", "role"]
ROLES = frozenset({"admin", "user", "readonly"})


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    role: str
    jti: str
    family_id: str | None
    expires_at: int


class TokenCodec:
    """Issues and verifies access tokens for one configured algorithm and key pair."""

    def __init__(self, settings: Settings) -> None:
        self.algorithm = settings.jwt_algorithm
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self.leeway = settings.jwt_leeway_seconds
        self.ttl = settings.access_token_ttl_seconds
        if self.algorithm == "HS256":
            secret = settings.jwt_secret.get_secret_value()
            self._signing_key: Any = secret
            self._verifying_key: Any = secret
        else:
            assert settings.jwt_private_key_file is not None
            assert settings.jwt_public_key_file is not None
            self._signing_key = settings.jwt_private_key_file.read_bytes()
            self._verifying_key = settings.jwt_public_key_file.read_bytes()

    def issue(self, *, user_id: int, role: str, family_id: str | None) -> tuple[str, AccessClaims]:
        now = int(time.time())
        claims = AccessClaims(
            user_id=user_id,
            role=role,
            jti=uuid.uuid4().hex,
            family_id=family_id,
            expires_at=now + self.ttl,
        )
        payload = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": str(user_id),
            "iat": now,
            "nbf": now,
            "exp": claims.expires_at,
            "jti": claims.jti,
            "role": role,
            "fam": family_id,
        }
        token = jwt.encode(payload, self._signing_key, algorithm=self.algorithm)
        return token, claims

    def decode(self, token: str) -> AccessClaims:
        """Verify `token`; raise AuthError with a specific code on any defect."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError as exc:
            raise AuthError("token_malformed", "The token is not a well-formed JWT.") from exc
        alg = header.get("alg")
        if not isinstance(alg, str):
            raise AuthError("token_malformed", "The token header has no algorithm.")
        if alg.lower() == "none":
            raise AuthError("token_unsigned", "Unsigned tokens (alg none) are not accepted.")
        if alg != self.algorithm:
            raise AuthError(
                "token_algorithm_mismatch", f"Tokens must be signed with {self.algorithm}."
            )
        payload = self._verified_payload(token)
        return self._claims(payload)

    def _verified_payload(self, token: str) -> dict[str, Any]:
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                self._verifying_key,
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.InvalidSignatureError as exc:
            raise AuthError("token_signature_invalid", "The token signature is invalid.") from exc
        except jwt.ExpiredSignatureError as exc:
            raise AuthError("token_expired", "The token has expired.") from exc
        except (jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError) as exc:
            raise AuthError("token_not_yet_valid", "The token is not valid yet.") from exc
        except jwt.InvalidAudienceError as exc:
            raise AuthError("token_audience_invalid", "The token is for another audience.") from exc
        except jwt.InvalidIssuerError as exc:
            raise AuthError("token_issuer_invalid", "The token has an unknown issuer.") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise AuthError(
                "token_claims_missing", f"The token lacks the '{exc.claim}' claim."
            ) from exc
        except jwt.InvalidTokenError as exc:
            raise AuthError("token_malformed", "The token could not be decoded.") from exc
        return payload

    @staticmethod
    def _claims(payload: dict[str, Any]) -> AccessClaims:
        sub, role, jti, fam = payload["sub"], payload["role"], payload["jti"], payload.get("fam")
        if not isinstance(sub, str) or not sub.isdigit() or role not in ROLES:
            raise AuthError("token_claims_missing", "The token's sub or role claim is invalid.")
        if not isinstance(jti, str) or not (fam is None or isinstance(fam, str)):
            raise AuthError("token_claims_missing", "The token's jti or fam claim is invalid.")
        return AccessClaims(
            user_id=int(sub), role=role, jti=jti, family_id=fam, expires_at=int(payload["exp"])
        )
