"""SQLModel tables. Import every table module here so Alembic sees its metadata."""

from app.models.ai_budget import AIBudgetCounter
from app.models.ai_usage import AIUsage
from app.models.audit import ActorKind, AuditAction, AuditEvent
from app.models.credentials import ApiKey, RefreshToken
from app.models.document import Document, DocumentStatus, DocumentTag
from app.models.idempotency import IdempotencyKey
from app.models.item import Item, ItemTag
from app.models.job import Job, JobKind, JobStatus
from app.models.recipe import Recipe
from app.models.user import Role, User

__all__ = [
    "AIBudgetCounter",
    "AIUsage",
    "ActorKind",
    "ApiKey",
    "AuditAction",
    "AuditEvent",
    "Document",
    "DocumentStatus",
    "DocumentTag",
    "IdempotencyKey",
    "Item",
    "ItemTag",
    "Job",
    "JobKind",
    "JobStatus",
    "Recipe",
    "RefreshToken",
    "Role",
    "User",
]
