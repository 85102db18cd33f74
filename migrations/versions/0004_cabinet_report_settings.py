"""Cabinet report settings: a plan's overall inspection judgement and the name of the board that
monitors it, for the Background section of the cabinet report (data_access/papers/word_report.py).
The inspection type and dates were already columns of plan.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan") as batch:
        batch.add_column(sa.Column("judgement", sa.Text(), nullable=True))
        batch.add_column(sa.Column("board_name", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan") as batch:
        batch.drop_column("board_name")
        batch.drop_column("judgement")
