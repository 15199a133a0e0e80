"""SQLModel tables. Import every table module here so Alembic sees its metadata."""

from app.models.credentials import ApiKey, RefreshToken
from app.models.user import Role, User

__all__ = ["ApiKey", "RefreshToken", "Role", "User"]
