"""Where a measure's points came from is held once per import (measure_import), not on every point.

indicator_value carried the file's name, its SHA-256, the time and the importer on each of its rows:
an import of 200 indicators x 36 months wrote those four values 7,200 times, about three quarters
of every row, and the database's work grew with them (bench/bench_measures.py). Now a point names
its import (import_id) and measure_import holds them once. Existing points keep their provenance:
one measure_import row per distinct (plan, file, hash, time, importer), every point pointed at its
own. The table is rebuilt (copied, then renamed) rather than altered, the same way on SQLite and
PostgreSQL, so the partial unique index and the self-reference are declared here, not reflected.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

CURRENT_VALUE = sa.text("superseded_by_id IS NULL")
PROVENANCE = ("source", "sha256", "imported_at", "imported_by")


def _value_table(name: str, *, with_import: bool) -> None:
    """indicator_value's shape, before (provenance on each row) or after (import_id), as `name`."""
    columns = [
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("indicator_id", sa.Integer(), sa.ForeignKey("indicator.id", ondelete="CASCADE"), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
    ]
    if with_import:
        columns.append(sa.Column("import_id", sa.Integer(), sa.ForeignKey("measure_import.id"), nullable=False))
    else:
        columns += [
            sa.Column("source", sa.Text(), nullable=False),
            sa.Column("sha256", sa.String(64), nullable=True),
            sa.Column("imported_at", sa.DateTime(), nullable=False),
            sa.Column("imported_by", sa.Text(), nullable=True),
        ]
    columns.append(sa.Column("superseded_by_id", sa.Integer(), sa.ForeignKey(f"{name}.id"), nullable=True))
    op.create_table(name, *columns)


def _swap_in(new: str) -> None:
    """Replace indicator_value with the copy `new`, its indexes and (PostgreSQL) id sequence named as
    a table created under its own name would have them."""
    op.drop_index("uq_indicator_value_current", table_name="indicator_value")
    op.drop_index("ix_indicator_value_indicator_id", table_name="indicator_value")
    op.drop_table("indicator_value")
    op.rename_table(new, "indicator_value")
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"ALTER SEQUENCE {new}_id_seq RENAME TO indicator_value_id_seq")
        op.execute(f"ALTER TABLE indicator_value RENAME CONSTRAINT {new}_pkey TO indicator_value_pkey")
        # The copied ids were given explicitly: the sequence continues after the largest.
        op.execute(
            "SELECT setval('indicator_value_id_seq', COALESCE((SELECT MAX(id) FROM indicator_value), 0) + 1, false)"
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


def _copy(bind, new: str, rows: list[dict]) -> None:
    """Insert `rows` into `new` keeping their ids; superseded_by_id (which points at a later row)
    is set once every row is in."""
    if not rows:
        return
    table = sa.table(new, *(sa.column(c) for c in rows[0]))
    bind.execute(sa.insert(table), [{**r, "superseded_by_id": None} for r in rows])
    later = [{"row_id": r["id"], "later": r["superseded_by_id"]} for r in rows if r["superseded_by_id"] is not None]
    if later:
        t = sa.table(new, sa.column("id"), sa.column("superseded_by_id"))
        bind.execute(
            sa.update(t).where(t.c.id == sa.bindparam("row_id")).values(superseded_by_id=sa.bindparam("later")), later
        )


def upgrade() -> None:
    op.create_table(
        "measure_import",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id", ondelete="CASCADE"), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("imported_by", sa.Text(), nullable=True),
    )
    op.create_index("ix_measure_import_plan_id", "measure_import", ["plan_id"])
    bind = op.get_bind()
    old = bind.execute(
        sa.text(
            "SELECT v.id, v.indicator_id, v.period_end, v.value, v.target, v.source, v.sha256, v.imported_at,"
            " v.imported_by, v.superseded_by_id, i.plan_id"
            " FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id ORDER BY v.id"
        )
    ).mappings()
    imports: dict[tuple, int] = {}
    rows = []
    mi = sa.table("measure_import", *(sa.column(c) for c in ("id", "plan_id", *PROVENANCE)))
    for r in old.all():
        key = (r["plan_id"], *(r[c] for c in PROVENANCE))
        if key not in imports:
            values = dict(zip(("plan_id", *PROVENANCE), key, strict=True))
            imports[key] = bind.execute(sa.insert(mi).values(**values).returning(mi.c.id)).scalar_one()
        rows.append(
            {
                **{c: r[c] for c in ("id", "indicator_id", "period_end", "value", "target", "superseded_by_id")},
                "import_id": imports[key],
            }
        )
    _value_table("indicator_value_new", with_import=True)
    _copy(bind, "indicator_value_new", rows)
    _swap_in("indicator_value_new")


def downgrade() -> None:
    bind = op.get_bind()
    old = bind.execute(
        sa.text(
            "SELECT v.id, v.indicator_id, v.period_end, v.value, v.target, m.source, m.sha256, m.imported_at,"
            " m.imported_by, v.superseded_by_id"
            " FROM indicator_value v JOIN measure_import m ON m.id = v.import_id ORDER BY v.id"
        )
    ).mappings()
    rows = [dict(r) for r in old.all()]
    _value_table("indicator_value_old", with_import=False)
    _copy(bind, "indicator_value_old", rows)
    _swap_in("indicator_value_old")
    op.drop_index("ix_measure_import_plan_id", table_name="measure_import")
    op.drop_table("measure_import")
