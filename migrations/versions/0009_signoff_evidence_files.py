"""Evidence files on sign-off (issue 25): small files (PDF, Word, Excel, PNG, JPEG) the board saw,
kept with the sign-off event, size-limited and type-checked like uploads
(data_access/importer/reading/safety.py: evidence_file). Like the events, the rows are never
changed (the database refuses updates); deleting a plan deletes them with its actions.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLE = "signoff_evidence_file"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "signoff_event_id",
            sa.Integer(),
            sa.ForeignKey("signoff_event.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_signoff_evidence_file_event", TABLE, ["signoff_event_id"])
    if op.get_bind().dialect.name == "postgresql":
        # board_event_append_only() is migration 0008's
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION board_event_append_only()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} rows cannot be changed: add an event instead'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER {TABLE}_no_update ON {TABLE}")
    op.drop_index("ix_signoff_evidence_file_event", table_name=TABLE)
    op.drop_table(TABLE)
