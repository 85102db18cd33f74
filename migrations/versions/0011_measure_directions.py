"""A plan's setting of which way is better for a measure of success, by indicator name: used when a
file does not say (the upload preview asks, and remembers the answer here; the command line's import
uses it, else refuses without --better). Never guessed.

Revision ID: 0011
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measure_direction",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("better", sa.String(6), nullable=False),
        sa.Column("set_by", sa.Text(), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("plan_id", "name"),
        sa.CheckConstraint("better IN ('higher', 'lower')", name="ck_measure_direction_better"),
    )
    op.create_index("ix_measure_direction_plan_id", "measure_direction", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_measure_direction_plan_id", table_name="measure_direction")
    op.drop_table("measure_direction")
