"""The versioned prompt template behind each usage row (`recipe/v1`), so a prompt change
shows in cost and outcome reports, next to the evals (`flask ai eval`).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ai_usage") as batch:
        batch.add_column(sa.Column("prompt_version", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ai_usage") as batch:
        batch.drop_column("prompt_version")
