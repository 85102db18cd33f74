"""Board meetings: the dates a plan's board meets (plan settings), so that "overdue as at" can
default to the next meeting on or after a review (data_access/domain/meetings.py).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "board_meeting",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id", ondelete="CASCADE"), nullable=False),
        sa.Column("meets_on", sa.Date(), nullable=False),
        sa.UniqueConstraint("plan_id", "meets_on"),
    )
    op.create_index("ix_board_meeting_plan_id", "board_meeting", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_board_meeting_plan_id", table_name="board_meeting")
    op.drop_table("board_meeting")
