"""API keys and token pairs as wire models."""

from __future__ import annotations

from decimal import Decimal

from app.auth.models import ApiKey
from app.auth.service import IssuedTokens
from generated import models as api


def api_key_out(key: ApiKey) -> api.ApiKey:
    cap = None if key.daily_usd is None else f"{Decimal(key.daily_usd):.6f}"
    return api.ApiKey(
        id=key.id,
        name=key.name,
        prefix=key.prefix,
        created_at=key.created_at,
        expires_at=key.expires_at,
        last_used_at=key.last_used_at,
        daily_usd=cap,
    )


def tokens_out(tokens: IssuedTokens) -> api.TokenPair:
    return api.TokenPair(
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        token_type="Bearer",  # noqa: S106 - the OAuth token type, not a secret
        expires_in=tokens.expires_in,
        refresh_expires_in=tokens.refresh_expires_in,
    )
