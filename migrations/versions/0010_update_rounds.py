"""The monthly update round (issue 26): what a red or amber action does about it and asks of the board.

action_update gains `mitigation` (what is being done about a red or amber status), `board_ask`
("what we need from the board") and `no_update` (set on a row a closed round carried forward from
the previous review because nobody updated it: shown, never silently unchanged). An action's
organisation (partner agency) is action.partner, as before.

update_round: a plan's round (review date, deadline, who opened and closed it, the review it
closed into); one open round per plan (a partial unique index). round_update: each update of an
action in a round, only ever added, versioned per action (unique), so concurrent updates conflict
instead of overwriting. plan.lead_identities: who may update each lead's actions (JSON).

Revision ID: 0010
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


OPEN_ROUND = sa.text("state = 'open'")


def upgrade() -> None:
    with op.batch_alter_table("action_update") as batch:
        batch.add_column(sa.Column("mitigation", sa.Text(), nullable=True))
        batch.add_column(sa.Column("board_ask", sa.Text(), nullable=True))
        batch.add_column(sa.Column("no_update", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("plan") as batch:
        batch.add_column(sa.Column("lead_identities", sa.Text(), nullable=True))
    op.create_table(
        "update_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id", ondelete="CASCADE"), nullable=False),
        sa.Column("as_at", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("opened_by", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_by", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("review.id", ondelete="SET NULL"), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("state IN ('open', 'closed')", name="ck_update_round_state"),
    )
    op.create_index("ix_update_round_plan_id", "update_round", ["plan_id"])
    op.create_index(
        "uq_update_round_open",
        "update_round",
        ["plan_id"],
        unique=True,
        sqlite_where=OPEN_ROUND,
        postgresql_where=OPEN_ROUND,
    )
    op.create_table(
        "round_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey("update_round.id", ondelete="CASCADE"), nullable=False),
        sa.Column("action_id", sa.Integer(), sa.ForeignKey("action.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("progress", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("mitigation", sa.Text(), nullable=True),
        sa.Column("board_ask", sa.Text(), nullable=True),
        sa.Column("requested_due", sa.Date(), nullable=True),
        sa.Column("due_change_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "action_id", "version"),
        sa.CheckConstraint(
            "status IN ('complete', 'green', 'amber', 'red', 'unknown')", name="ck_round_update_status"
        ),
        sa.CheckConstraint("source IN ('app', 'command line', 'tracker')", name="ck_round_update_source"),
    )
    op.create_index("ix_round_update_round_id", "round_update", ["round_id"])
    op.create_index("ix_round_update_action_id", "round_update", ["action_id"])


def downgrade() -> None:
    op.drop_index("ix_round_update_action_id", table_name="round_update")
    op.drop_index("ix_round_update_round_id", table_name="round_update")
    op.drop_table("round_update")
    op.drop_index("uq_update_round_open", table_name="update_round")
    op.drop_index("ix_update_round_plan_id", table_name="update_round")
    op.drop_table("update_round")
    with op.batch_alter_table("plan") as batch:
        batch.drop_column("lead_identities")
    with op.batch_alter_table("action_update") as batch:
        batch.drop_column("no_update")
        batch.drop_column("board_ask")
        batch.drop_column("mitigation")
