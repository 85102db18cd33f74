"""The monthly update round (issue 26): what a red or amber action does about it and asks of the board.

action_update gains `mitigation` (what is being done about a red or amber status), `board_ask`
("what we need from the board") and `no_update` (set on a row a closed round carried forward from
the previous review because nobody updated it: shown, never silently unchanged). An action's
organisation (partner agency) is action.partner, as before.

Revision ID: 0010
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action_update") as batch:
        batch.add_column(sa.Column("mitigation", sa.Text(), nullable=True))
        batch.add_column(sa.Column("board_ask", sa.Text(), nullable=True))
        batch.add_column(sa.Column("no_update", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("action_update") as batch:
        batch.drop_column("no_update")
        batch.drop_column("board_ask")
        batch.drop_column("mitigation")
