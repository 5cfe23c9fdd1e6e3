"""revenue: mrr_movement (the MRR bridge of the Painel)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-21 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import domain.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mrr_movement",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("billing_account_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("new", "expansion", "contraction", "churn", name="movementkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("delta_cents", sa.BigInteger(), nullable=False),
        sa.Column("mrr_after_cents", sa.BigInteger(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", domain.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", domain.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_mrr_movement_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mrr_movement")),
    )
    with op.batch_alter_table("mrr_movement", schema=None) as batch_op:
        batch_op.create_index("ix_mrr_movement_org_day", ["organization_id", "occurred_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mrr_movement", schema=None) as batch_op:
        batch_op.drop_index("ix_mrr_movement_org_day")
    op.drop_table("mrr_movement")
