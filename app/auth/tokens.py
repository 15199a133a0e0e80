"""Access tokens (JWT via pyjwt): algorithm pinned, every registered claim required.

Each way a token can be wrong maps to its own 401 `code`, so clients and logs can tell an
expired token from a forged one. A valid token is parsed once; the header is inspected
separately only to explain an algorithm that was refused.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from jwt.algorithms import HMACAlgorithm

from app.accounts.models import Role
from app.errors import AuthenticationError
from app.settings import Settings

REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "aud", "sub", "jti", "role", "sst"]
_ROLES = frozenset(r.value for r in Role)
# jti, fam and sst are hex ids we issue; anything else (NUL, non-ASCII, huge) is refused
# before it reaches a revocation lookup, a query or a constant-time comparison.
_TOKEN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# 9999-12-31T23:59:59Z: an expiry beyond it (or NaN/Infinity) is refused, not computed with.
MAX_TIMESTAMP = 253_402_300_799


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    role: Role
    jti: str
    family_id: str | None
    expires_at: int
    session_stamp: str


class _CheckedSecretHMAC(HMACAlgorithm):
    """HS256 whose server secret is checked once, at startup.

    PyJWT re-checks an HMAC key on every call (as JSON, PEM, SSH and DER, the last through
    `cryptography` raising and catching), about 5% of an authenticated request's CPU. The
    secret is fixed for the process, so its checked bytes are kept and recognised by
    identity; any other key object still gets the full check.
    """

    def __init__(self, secret: str) -> None:
        super().__init__(HMACAlgorithm.SHA256)
        self.secret = super().prepare_key(secret)

    def prepare_key(self, key: str | bytes) -> bytes:
        if key is self.secret:
            return self.secret
        return super().prepare_key(key)


def _pyjwt(hmac: HMACAlgorithm | None) -> jwt.PyJWT:
    """A PyJWT of our own (never the module-wide one), with `hmac` serving HS256."""
    codec = jwt.PyJWT()
    if hmac is not None:
        jws = jwt.PyJWS()
        jws.unregister_algorithm("HS256")
        jws.register_algorithm("HS256", hmac)
        # PyJWT 2.x has no public way to pass its JWS; `_jws` is read by encode/decode.
        # tests/unit/test_tokens.py fails if a PyJWT upgrade stops using it.
        codec._jws = jws
    return codec


class TokenCodec:
    """Issues and verifies access tokens for one configured algorithm and key pair.

    Keys are prepared once here (asymmetric ones parsed into `cryptography` key objects,
    which PyJWT then uses as they are), not on every token.
    """

    def __init__(self, settings: Settings) -> None:
        self.algorithm = settings.auth.jwt_algorithm
        self.issuer = settings.auth.jwt_issuer
        self.audience = settings.auth.jwt_audience
        self.leeway = settings.auth.jwt_leeway_seconds
        self.ttl = settings.auth.access_token_ttl_seconds
        if self.algorithm == "HS256":
            hmac = _CheckedSecretHMAC(settings.auth.jwt_secret.get_secret_value())
            self._jwt = _pyjwt(hmac)
            self._signing_key: Any = hmac.secret
            self._verifying_key: Any = hmac.secret
        else:
            assert settings.auth.jwt_private_key_file is not None
            assert settings.auth.jwt_public_key_file is not None
            algorithm = jwt.get_algorithm_by_name(self.algorithm)
            self._jwt = _pyjwt(None)
            self._signing_key = algorithm.prepare_key(
                settings.auth.jwt_private_key_file.read_bytes()
            )
            self._verifying_key = algorithm.prepare_key(
                settings.auth.jwt_public_key_file.read_bytes()
            )
        self._options: Any = {"require": REQUIRED_CLAIMS}

    def issue(
        self, *, user_id: int, role: Role, family_id: str | None, session_stamp: str
    ) -> tuple[str, AccessClaims]:
        now = int(time.time())
        claims = AccessClaims(
            user_id=user_id,
            role=role,
            jti=uuid.uuid4().hex,
            family_id=family_id,
            expires_at=now + self.ttl,
            session_stamp=session_stamp,
        )
        payload = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": str(user_id),
            "iat": now,
            "nbf": now,
            "exp": claims.expires_at,
            "jti": claims.jti,
            "role": role.value,
            "fam": family_id,
            "sst": session_stamp,
        }
        token = self._jwt.encode(payload, self._signing_key, algorithm=self.algorithm)
        return token, claims

    def decode(self, token: str) -> AccessClaims:
        """Verify `token`; raise AuthenticationError with a specific code on any defect."""
        try:
            payload: dict[str, Any] = self._jwt.decode(
                token,
                self._verifying_key,
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options=self._options,
            )
        except jwt.InvalidAlgorithmError as exc:
            raise self._refused_algorithm(token) from exc
        except jwt.InvalidSignatureError as exc:
            raise _error("token_signature_invalid", "The token signature is invalid.") from exc
        except jwt.ExpiredSignatureError as exc:
            raise _error("token_expired", "The token has expired.") from exc
        except (jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError) as exc:
            raise _error("token_not_yet_valid", "The token is not valid yet.") from exc
        except jwt.InvalidAudienceError as exc:
            raise _error("token_audience_invalid", "The token is for another audience.") from exc
        except jwt.InvalidIssuerError as exc:
            raise _error("token_issuer_invalid", "The token has an unknown issuer.") from exc
        except jwt.MissingRequiredClaimError as exc:
            raise _error(
                "token_claims_missing", f"The token lacks the '{exc.claim}' claim."
            ) from exc
        except (jwt.InvalidTokenError, ValueError, TypeError) as exc:
            # Every other defect (bad base64, JSON, `crit`, a non-string `kid`, ...).
            raise _error("token_malformed", "The token is not a well-formed JWT.") from exc
        return self._claims(payload)

    def _refused_algorithm(self, token: str) -> AuthenticationError:
        try:
            alg = jwt.get_unverified_header(token).get("alg")
        except (jwt.InvalidTokenError, ValueError, TypeError):
            alg = None
        if not isinstance(alg, str):
            return _error("token_malformed", "The token header has no algorithm.")
        if alg.lower() == "none":
            return _error("token_unsigned", "Unsigned tokens (alg none) are not accepted.")
        return _error("token_algorithm_mismatch", f"Tokens must be signed with {self.algorithm}.")

    @staticmethod
    def _claims(payload: dict[str, Any]) -> AccessClaims:
        sub, role, jti, fam = payload["sub"], payload["role"], payload["jti"], payload.get("fam")
        stamp = payload["sst"]
        if not _is_id(sub) or not isinstance(role, str) or role not in _ROLES:
            raise _error("token_claims_missing", "The token's sub or role claim is invalid.")
        if not _is_token_id(jti) or not (fam is None or _is_token_id(fam)):
            raise _error("token_claims_missing", "The token's jti or fam claim is invalid.")
        if not _is_token_id(stamp):
            raise _error("token_claims_missing", "The token's sst claim is invalid.")
        exp = payload["exp"]
        if (
            isinstance(exp, bool)
            or not isinstance(exp, int | float)
            or not 0 < exp <= MAX_TIMESTAMP
        ):
            raise _error("token_claims_missing", "The token's exp claim is invalid.")
        return AccessClaims(
            user_id=int(sub),
            role=Role(role),
            jti=jti,
            family_id=fam,
            expires_at=int(payload["exp"]),
            session_stamp=stamp,
        )


def _is_id(value: Any) -> bool:
    """A positive decimal integer that fits a 64-bit id (int() refuses > 4,300 digits)."""
    return isinstance(value, str) and 0 < len(value) <= 19 and value.isascii() and value.isdigit()


def _is_token_id(value: Any) -> bool:
    return isinstance(value, str) and _TOKEN_ID.fullmatch(value) is not None


def _error(code: str, detail: str) -> AuthenticationError:
    return AuthenticationError(code, detail)
