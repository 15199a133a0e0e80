"""Accounts as wire models."""

from __future__ import annotations

from app.accounts.models import User
from generated import models as api


def user_out(user: User) -> api.User:
    return api.User.model_validate(user, from_attributes=True)
