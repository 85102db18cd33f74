"""Clean stored text by the one rule for text that enters (data_access/domain/clean_text.py).

Before the rule, the importer stored what a tracker held: Excel's `_x000B_` soft returns, `\\x01`,
`\\x1c`-`\\x1f`, DEL, ESC, U+FFFE/U+FFFF, U+2028/U+2029. Every text column of the stored plans is
put through clean_text: plan names and organisations (and the headings and codes of the remembered
column and status mappings), recommendation refs, text and themes, action keys, text, leads,
partners and measures, review labels, sources and sheets, and the status wording, timescale
wording, progress and evidence of every update. The audit trail is append-only and is left as it
was written (its download cleans text as it writes it).

Where two values that must be unique (two plans' names, two refs or action keys of a plan, two
sheet names of one file) clean to the same text, the later row's gets " (2)", " (3)"... so no row
is lost. A review whose plan had text changed has its content hash cleared: the importer then
computes it from the stored rows (plan_writer.stored_content_hash), so a re-import of the same
tracker, cleaned by the same rule, is still recognised.

Downgrade changes nothing: the characters removed cannot be put back, and the older schema holds
clean text as well as it held the rest.

Revision ID: 0003
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

from data_access.domain.clean_text import clean_text, needs_cleaning

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# table -> (the column that says which plan, or for updates which review, a row belongs to; its
# text columns).
TEXT_COLUMNS = {
    "plan": ("id", ["name", "organisation"]),
    "recommendation": ("plan_id", ["ref", "sort_key", "text", "theme"]),
    "action": ("plan_id", ["key", "sort_key", "description", "lead", "partner", "measure"]),
    "review": ("plan_id", ["label", "source", "sheet", "imported_by"]),
    "action_update": ("review_id", ["status_raw", "due_raw", "progress", "evidence"]),
}
JSON_COLUMNS = {"plan": ["column_mapping", "status_mapping"]}
# Values that must stay unique once cleaned: (table, column, the columns that group it).
UNIQUE = {("plan", "name"): (), ("recommendation", "ref"): ("plan_id",), ("action", "key"): ("plan_id",),
          ("review", "sheet"): ("sha256",)}  # fmt: skip


def _clean_json(text: str | None) -> str | None:
    """A remembered mapping ({heading or code: meaning}) with its keys and values cleaned."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return clean_text(text)
    if not isinstance(value, dict):
        return text
    cleaned = {clean_text(k): clean_text(v) if isinstance(v, str) else v for k, v in value.items()}
    return text if cleaned == value else json.dumps(cleaned)


def _unique(value: str, taken: set[str]) -> str:
    if value not in taken:
        return value
    n = 2
    while f"{value} ({n})" in taken:
        n += 1
    return f"{value} ({n})"


def _clean_table(conn, table: str, owner: str, columns: list[str]) -> set[int]:
    """Clean `columns` of every row of `table`; returns the `owner` of each row that changed."""
    unique = {c: group for (t, c), group in UNIQUE.items() if t == table}
    extra = sorted({g for group in unique.values() for g in group} | {owner})
    selected = ["id", *[c for c in extra if c != "id"], *columns]
    names = ", ".join(f'"{c}"' for c in selected)  # quoted: "key" is a keyword
    rows = conn.execute(sa.text(f'SELECT {names} FROM "{table}" ORDER BY id')).mappings().all()
    taken: dict[tuple, set[str]] = {}
    for row in rows:  # what is already there, unchanged, holds its value
        for column, group in unique.items():
            if row[column] is not None and not needs_cleaning(row[column]):
                taken.setdefault((column, *(row[g] for g in group)), set()).add(row[column])
    owners: set[int] = set()
    for row in rows:
        changes = {}
        for column in columns:
            value = row[column]
            if isinstance(value, str) and needs_cleaning(value):
                new = clean_text(value)
                if column in unique:
                    seen = taken.setdefault((column, *(row[g] for g in unique[column])), set())
                    new = _unique(new, seen)
                    seen.add(new)
                changes[column] = new
        if changes:
            sets = ", ".join(f'"{c}" = :{c}' for c in changes)
            conn.execute(sa.text(f'UPDATE "{table}" SET {sets} WHERE id = :id'), {**changes, "id": row["id"]})
            owners.add(row[owner])
    return owners


def upgrade() -> None:
    conn = op.get_bind()
    changed_plans: set[int] = set()
    changed_reviews: set[int] = set()
    for table, (owner, columns) in TEXT_COLUMNS.items():
        owners = _clean_table(conn, table, owner, columns)
        (changed_reviews if owner == "review_id" else changed_plans).update(owners)
    # Updates belong to a plan through their review.
    for review_id in sorted(changed_reviews):
        plan_id = conn.execute(sa.text("SELECT plan_id FROM review WHERE id = :id"), {"id": review_id}).scalar()
        changed_plans.add(plan_id)
    for table, columns in JSON_COLUMNS.items():
        for row in conn.execute(sa.text(f"SELECT id, {', '.join(columns)} FROM {table}")).mappings().all():
            changes = {c: _clean_json(row[c]) for c in columns if _clean_json(row[c]) != row[c]}
            if changes:
                sets = ", ".join(f"{c} = :{c}" for c in changes)
                conn.execute(sa.text(f"UPDATE {table} SET {sets} WHERE id = :id"), {**changes, "id": row["id"]})
    for plan_id in sorted(changed_plans):
        conn.execute(sa.text("UPDATE review SET content_sha256 = NULL WHERE plan_id = :plan"), {"plan": plan_id})


def downgrade() -> None:
    pass  # see the module's docstring: cleaned text stays clean
