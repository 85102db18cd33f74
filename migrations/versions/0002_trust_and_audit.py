"""Trust and audit: tracker text in unbounded columns on every backend, one current review per
plan and date, remembered status codes, archived plans, review content hashes, and the audit
trail (append-only: the database refuses updates and deletes).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Columns that hold tracker (or user) text: PostgreSQL enforced these lengths and refused files
# SQLite accepted (a 215-character timescale, an 82-character action ID). Text on both.
WIDENED = {
    "plan": {"name": 200, "organisation": 200},
    "recommendation": {"ref": 40, "sort_key": 80, "theme": 200},
    "action": {"key": 80, "sort_key": 80, "lead": 300, "partner": 300},
    "review": {"label": 80, "source": 400, "sheet": 200, "imported_by": 200},
    "action_update": {"status_raw": 200, "due_raw": 200},
}
NOT_NULL = {("plan", "name"), ("recommendation", "ref"), ("recommendation", "sort_key"), ("action", "key"),
            ("action", "sort_key"), ("review", "label"), ("review", "source"), ("review", "sheet")}
CURRENT = sa.text("replaced_by_id IS NULL")

NO_CHANGE_SQLITE = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit rows cannot be deleted'); END",
]
NO_CHANGE_POSTGRES = [
    "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit rows cannot be changed or deleted'; END $$",
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
]


def _one_current_review_per_date() -> None:
    """Before the unique index: where earlier restores left two current reviews for one plan and
    date, the newest stays current and the others are marked replaced by it (nothing deleted)."""
    conn = op.get_bind()
    clashes = conn.execute(sa.text(
        "SELECT plan_id, as_at, MAX(id) FROM review WHERE replaced_by_id IS NULL "
        "GROUP BY plan_id, as_at HAVING COUNT(*) > 1"
    )).all()
    for plan_id, as_at, newest in clashes:
        conn.execute(
            sa.text("UPDATE review SET replaced_by_id = :newest WHERE plan_id = :plan AND as_at = :as_at "
                    "AND replaced_by_id IS NULL AND id <> :newest"),
            {"newest": newest, "plan": plan_id, "as_at": as_at},
        )


def upgrade() -> None:
    for table, columns in WIDENED.items():
        with op.batch_alter_table(table) as batch:
            for column, length in columns.items():
                batch.alter_column(column, existing_type=sa.String(length), type_=sa.Text(),
                                   existing_nullable=(table, column) not in NOT_NULL)
    with op.batch_alter_table("plan") as batch:
        batch.add_column(sa.Column("status_mapping", sa.Text(), nullable=True))
        batch.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("review") as batch:
        batch.add_column(sa.Column("content_sha256", sa.String(length=64), nullable=True))
    _one_current_review_per_date()
    op.create_index("uq_review_current", "review", ["plan_id", "as_at"], unique=True,
                    sqlite_where=CURRENT, postgresql_where=CURRENT)
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at_utc", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("plan_name", sa.Text(), nullable=True),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_event_plan", "audit_event", ["plan_id"])
    for statement in NO_CHANGE_POSTGRES if op.get_bind().dialect.name == "postgresql" else NO_CHANGE_SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_no_change ON audit_event")
        op.execute("DROP FUNCTION audit_event_append_only()")
    op.drop_index("ix_audit_event_plan", table_name="audit_event")
    op.drop_table("audit_event")  # SQLite drops the table's triggers with it
    op.drop_index("uq_review_current", table_name="review")
    with op.batch_alter_table("review") as batch:
        batch.drop_column("content_sha256")
    with op.batch_alter_table("plan") as batch:
        batch.drop_column("archived_at")
        batch.drop_column("status_mapping")
    for table, columns in WIDENED.items():
        with op.batch_alter_table(table) as batch:
            for column, length in columns.items():
                batch.alter_column(column, existing_type=sa.Text(), type_=sa.String(length),
                                   existing_nullable=(table, column) not in NOT_NULL)
