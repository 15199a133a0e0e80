from enum import StrEnum


class AuditAction(StrEnum):
    API_KEY_CREATED = "api_key.created"
    API_KEY_REVOKED = "api_key.revoked"
    AUTH_LOCKED_OUT = "auth.locked_out"
    AUTH_LOGIN_FAILED = "auth.login_failed"
    AUTH_REFRESH_TOKEN_REUSED = "auth.refresh_token_reused"
    USER_DEACTIVATED = "user.deactivated"
    USER_DELETED = "user.deleted"
    USER_PASSWORD_CHANGED = "user.password_changed"
    USER_REACTIVATED = "user.reactivated"
    USER_ROLE_CHANGED = "user.role_changed"

    def __str__(self) -> str:
        return str(self.value)
