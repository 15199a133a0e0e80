"""`ai_usage.cost_usd` may be NULL: the model's price was unknown (never a made-up 0).

Downgrading writes 0 into the unknown costs, as the table said before.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COST = sa.Numeric(14, 6, asdecimal=True)


def upgrade() -> None:
    with op.batch_alter_table("ai_usage") as batch:
        batch.alter_column("cost_usd", existing_type=COST, nullable=True)


def downgrade() -> None:
    op.execute(sa.text("UPDATE ai_usage SET cost_usd = 0 WHERE cost_usd IS NULL"))
    with op.batch_alter_table("ai_usage") as batch:
        batch.alter_column("cost_usd", existing_type=COST, nullable=False)
