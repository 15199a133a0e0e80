"""SQLModel tables. Import every table module here so Alembic sees its metadata."""

from app.accounts.models import Role, User
from app.ai.budget_table import AIBudgetCounter
from app.audit.models import ActorKind, AuditAction, AuditEvent
from app.auth.models import ApiKey, RefreshToken
from app.completions.models import AIUsage
from app.documents.models import Document, DocumentStatus, DocumentTag
from app.idempotency.models import IdempotencyKey
from app.items.models import Item, ItemTag
from app.jobs.models import Job, JobKind, JobStatus
from app.recipes.models import Recipe

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
