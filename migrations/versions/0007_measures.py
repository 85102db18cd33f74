"""Measures of success: indicators of a plan, the recommendations they evidence, and their dated
values and targets as history (a corrected value supersedes the old row, which is kept).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CURRENT_VALUE = sa.text("superseded_by_id IS NULL")


def upgrade() -> None:
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("better", sa.String(6), nullable=False),
        sa.Column("owner", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.UniqueConstraint("plan_id", "name"),
        sa.CheckConstraint("better IN ('higher', 'lower')", name="ck_indicator_better"),
    )
    op.create_index("ix_indicator_plan_id", "indicator", ["plan_id"])
    op.create_table(
        "indicator_recommendation",
        sa.Column(
            "indicator_id", sa.Integer(), sa.ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "recommendation_id",
            sa.Integer(),
            sa.ForeignKey("recommendation.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index(
        "ix_indicator_recommendation_recommendation_id", "indicator_recommendation", ["recommendation_id"]
    )
    op.create_table(
        "indicator_value",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "indicator_id", sa.Integer(), sa.ForeignKey("indicator.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.Text(), nullable=True),
        sa.Column("superseded_by_id", sa.Integer(), sa.ForeignKey("indicator_value.id"), nullable=True),
    )
    op.create_index("ix_indicator_value_indicator_id", "indicator_value", ["indicator_id"])
    op.create_index(
        "uq_indicator_value_current",
        "indicator_value",
        ["indicator_id", "period_end"],
        unique=True,
        sqlite_where=CURRENT_VALUE,
        postgresql_where=CURRENT_VALUE,
    )


def downgrade() -> None:
    op.drop_index("uq_indicator_value_current", table_name="indicator_value")
    op.drop_index("ix_indicator_value_indicator_id", table_name="indicator_value")
    op.drop_table("indicator_value")
    op.drop_index("ix_indicator_recommendation_recommendation_id", table_name="indicator_recommendation")
    op.drop_table("indicator_recommendation")
    op.drop_index("ix_indicator_plan_id", table_name="indicator")
    op.drop_table("indicator")
