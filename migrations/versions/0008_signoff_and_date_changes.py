"""Sign-off and approved date changes (issue 25): the board's decisions kept with the plan.

signoff_event (signed off / sent back / undone) and due_date_change (approved / not approved /
refused) are append-only: the database refuses updates (triggers below), so a decision is undone
by another event, never by an edit. Deleting a plan still deletes them with its actions.
action_update keeps what a tracker wrote in its sign-off and date-change columns.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("signoff_event", "due_date_change")


def _no_update_sqlite(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} rows cannot be changed: add an event instead'); END"
    )


NO_UPDATE_POSTGRES_FUNCTION = (
    "CREATE FUNCTION board_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'decision rows cannot be changed: add an event instead'; END $$"
)


def _no_update_postgres(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION board_event_append_only()"
    )


def upgrade() -> None:
    with op.batch_alter_table("action_update") as batch:
        batch.add_column(sa.Column("signoff_raw", sa.Text(), nullable=True))
        batch.add_column(sa.Column("date_change_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("date_change_approved_by", sa.Text(), nullable=True))
    op.create_table(
        "signoff_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), sa.ForeignKey("action.id", ondelete="CASCADE"), nullable=False),
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("review.id", ondelete="CASCADE"), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("links", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("kind IN ('signed_off', 'sent_back', 'undone')", name="ck_signoff_event_kind"),
        sa.CheckConstraint("source IN ('tracker', 'app', 'command line')", name="ck_signoff_event_source"),
    )
    op.create_index("ix_signoff_event_action", "signoff_event", ["action_id"])
    op.create_table(
        "due_date_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), sa.ForeignKey("action.id", ondelete="CASCADE"), nullable=False),
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("review.id", ondelete="CASCADE"), nullable=True),
        sa.Column("from_date", sa.Date(), nullable=True),
        sa.Column("to_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("approved_by", sa.Text(), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("state IN ('approved', 'not_approved', 'refused')", name="ck_due_date_change_state"),
        sa.CheckConstraint(
            "source IN ('tracker', 'between_reviews', 'app')", name="ck_due_date_change_source"
        ),
    )
    op.create_index("ix_due_date_change_action", "due_date_change", ["action_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(NO_UPDATE_POSTGRES_FUNCTION)
        for table in TABLES:
            op.execute(_no_update_postgres(table))
    else:
        for table in TABLES:
            op.execute(_no_update_sqlite(table))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_no_update ON {table}")
        op.execute("DROP FUNCTION board_event_append_only()")
    op.drop_index("ix_due_date_change_action", table_name="due_date_change")
    op.drop_table("due_date_change")
    op.drop_index("ix_signoff_event_action", table_name="signoff_event")
    op.drop_table("signoff_event")
    with op.batch_alter_table("action_update") as batch:
        batch.drop_column("date_change_approved_by")
        batch.drop_column("date_change_reason")
        batch.drop_column("signoff_raw")
