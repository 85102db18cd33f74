"""A plan's school term dates: the day the council gives each school term ("summer term" ->
31 July), so a tracker's "Summer term" timescale is dated (data_access/domain/rules.py
parse_timescale); chosen on upload and remembered like the column and status mappings.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan") as batch:
        batch.add_column(sa.Column("term_dates", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan") as batch:
        batch.drop_column("term_dates")
