"""The one writer: plans and reviews go into the database here, inside the caller's transaction.

Use inside `data_access.storage.database.write_transaction(engine)` so an import is all or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from operator import attrgetter

from sqlalchemy import Boolean, Connection, Table, bindparam, func, insert, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.exc import DBAPIError

from data_access.domain.clock import utc_now
from data_access.domain.rules import quarter_label
from data_access.domain.tracker_rows import (
    PlanInfo,
    ReviewSnapshot,
    TrackerRow,
    clean_ref,
    normalise_text,
    ref_sort_key,
)
from data_access.storage.schema import Action, ActionUpdate, Plan, Recommendation, Review


def find_plan(conn: Connection, name: str) -> int | None:
    return conn.execute(select(Plan.id).where(Plan.name == name)).scalar_one_or_none()


def ensure_plan(conn: Connection, info: PlanInfo) -> int:
    """The plan's id, creating it when absent (an existing plan's details are kept)."""
    plan_id = find_plan(conn, info.name)
    if plan_id is not None:
        return plan_id
    values = {k: getattr(info, k) for k in PlanInfo.__dataclass_fields__}
    return conn.execute(insert(Plan).values(**values).returning(Plan.id)).scalar_one()


def earlier_import(conn: Connection, sha256: str) -> dict | None:
    """The earlier import of a file with this SHA-256, if any (any sheet, replaced or not)."""
    row = (
        conn.execute(
            select(Review.id, Review.source, Review.imported_at, Review.imported_by, Review.label, Plan.name)
            .join(Plan, Plan.id == Review.plan_id)
            .where(Review.sha256 == sha256)
            .order_by(Review.id)
            .limit(1)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def content_hash(rows: Sequence[TrackerRow]) -> str:
    """SHA-256 of a review's content as the board sees it: each action's recommendation, text,
    lead, partner, measure, status, due and revised dates, progress and evidence, in any row order.

    The same content hashes the same whatever file, sheet or layout it came in (a tracker sent back
    out and re-imported unchanged; an old quarter's tab in next quarter's workbook), so an upload
    can recognise a review it already has. The tracker's own wording of statuses and dates, and
    generated action keys, are not part of it."""
    return _hash_lines(
        _content_line(
            r.rec_ref, r.description, r.lead, r.partner, r.measure, r.status, r.timescale.due, r.revised_due,
            r.progress, r.evidence, (r.signoff_raw, r.change_reason, r.change_approved_by),
            (r.mitigation, r.board_ask),
        )
        for r in rows
    )  # fmt: skip


def stored_content_hash(conn: Connection, review_id: int) -> str:
    """content_hash of a stored review, from its stored rows (for reviews stored before the hash
    was kept in review.content_sha256)."""
    rows = conn.execute(
        select(
            Recommendation.ref, Action.description, Action.lead, Action.partner, Action.measure, ActionUpdate.status,
            ActionUpdate.due_date, ActionUpdate.revised_due_date, ActionUpdate.progress, ActionUpdate.evidence,
            ActionUpdate.signoff_raw, ActionUpdate.date_change_reason, ActionUpdate.date_change_approved_by,
            ActionUpdate.mitigation, ActionUpdate.board_ask,
        )
        .join(Action, Action.id == ActionUpdate.action_id)
        .join(Recommendation, Recommendation.id == Action.recommendation_id)
        .where(ActionUpdate.review_id == review_id)
    ).all()  # fmt: skip
    return _hash_lines(_content_line(*row[:10], row[10:13], row[13:]) for row in rows)


def _hash_lines(lines) -> str:
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return digest.hexdigest()


def _content_line(
    rec_ref, description, lead, partner, measure, status, due, revised_due, progress, evidence, *groups
) -> str:
    """groups: later cells, each group hashed only when one of its cells is filled, so content
    stored before them hashes as it did: the sign-off and date-change cells (issue 25), then the
    mitigation and the ask of the board (issue 26)."""

    def text(value) -> str:
        return " ".join(str(value).split()) if value is not None else ""

    # Groups differ in size (3, 2), so which groups are filled shows in the number of fields.
    extra = tuple(text(v) for group in groups if any(v is not None for v in group) for v in group)
    return "\x1f".join(
        (
            text(clean_ref(rec_ref)),
            text(description),
            text(lead),
            text(partner),
            text(measure),
            status,
            due.isoformat() if due else "",
            revised_due.isoformat() if revised_due else "",
            text(progress),
            text(evidence),
            *extra,
        )
    )


def identify_actions(conn: Connection, plan_id: int, rows: Sequence[TrackerRow]) -> list[int | None]:
    """The stored action each row is, by the tracker's action ID (the action's key), else by the
    same recommendation and text; None for a new action. For callers that write rows they built
    themselves (tests, benchmarks); the importer resolves actions once, in its preview, and passes
    them to write_review."""
    recs = {
        r.ref: r.id
        for r in conn.execute(select(Recommendation.ref, Recommendation.id).where(Recommendation.plan_id == plan_id))
    }
    actions = conn.execute(
        select(Action.id, Action.key, Action.recommendation_id, Action.description).where(Action.plan_id == plan_id)
    ).all()
    by_key = {a.key: a.id for a in actions}
    by_text = {(a.recommendation_id, normalise_text(a.description)): a.id for a in actions}
    out: list[int | None] = []
    taken: set[int] = set()
    for row in rows:
        found = None
        if row.action_id:
            found = by_key.get(row.action_id)
        elif (rec_id := recs.get(clean_ref(row.rec_ref))) is not None:
            found = by_text.get((rec_id, normalise_text(row.description)))
        if found in taken:
            found = None  # a duplicate within one review: keep both rows, as separate actions
        if found is not None:
            taken.add(found)
        out.append(found)
    return out


def save_review(conn: Connection, plan_id: int, snapshot: ReviewSnapshot, **kwargs) -> int:
    """write_review, returning only the new review's id."""
    return write_review(conn, plan_id, snapshot, **kwargs)[0]


# What a tracker row writes into action_update, one line per column (so a new column is one line
# here): (column, the TrackerRow attribute it comes from, dotted for a nested one).
ACTION_UPDATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("status", "status"),
    ("status_raw", "status_raw"),
    ("status_from_colour", "status_from_colour"),
    ("due_date", "timescale.due"),
    ("due_raw", "timescale.raw"),
    ("due_precision", "timescale.precision"),
    ("revised_due_date", "revised_due"),
    ("progress", "progress"),
    ("evidence", "evidence"),
    ("signoff_raw", "signoff_raw"),
    ("date_change_reason", "change_reason"),
    ("date_change_approved_by", "change_approved_by"),
    ("mitigation", "mitigation"),
    ("board_ask", "board_ask"),
    ("no_update", "no_update"),
    ("source_row", "source_row"),
)
# An action's descriptive fields, which follow the latest tracker (history stays in action_update).
ACTION_FIELDS: tuple[tuple[str, str], ...] = (
    ("description", "description"),
    ("lead", "lead"),
    ("partner", "partner"),
    ("measure", "measure"),
)
_UPDATE_COLUMNS = ("review_id", "action_id", *(column for column, _ in ACTION_UPDATE_FIELDS))
_update_values = attrgetter(*(attribute for _, attribute in ACTION_UPDATE_FIELDS))
_ACTION_COLUMNS = (
    "id", "plan_id", "recommendation_id", "key", "key_from_tracker", "sort_key", *(c for c, _ in ACTION_FIELDS)
)  # fmt: skip
_action_values = attrgetter(*(attribute for _, attribute in ACTION_FIELDS))
_RECOMMENDATION_COLUMNS = ("id", "plan_id", "ref", "sort_key", "text", "theme")


def write_review(
    conn: Connection,
    plan_id: int,
    snapshot: ReviewSnapshot,
    *,
    source: str,
    action_ids: Sequence[int | None] | None = None,
    sha256: str | None = None,
    content_sha256: str | None = None,
    imported_by: str | None = None,
    imported_at: dt.datetime | None = None,
    replaces_review_id: int | None = None,
) -> tuple[int, list[int]]:
    """Write one review (and any new recommendations and actions); return its id and the action id
    of each row.

    action_ids: per row, the stored action it is, or None for a new action (the importer's
    resolved matches). Without it, rows are identified by identify_actions. content_sha256: the
    rows' content_hash when the caller has it already (the importer's preview), else computed here.

    Whatever the number of rows, each table is written in one bulk statement (bulk_insert): the new
    recommendations, the new actions (their ids reserved first, so no row needs RETURNING), and the
    review's rows; the actions that follow the tracker are one executemany UPDATE.
    """
    if action_ids is None:
        action_ids = identify_actions(conn, plan_id, snapshot.rows)
    if len(action_ids) != len(snapshot.rows):
        raise ValueError("write_review needs one action id (or None) per row")
    recs = {
        r.ref: r.id
        for r in conn.execute(select(Recommendation.ref, Recommendation.id).where(Recommendation.plan_id == plan_id))
    }
    actions = conn.execute(select(Action.key, Action.recommendation_id).where(Action.plan_id == plan_id)).all()
    keys = {a.key for a in actions}
    per_rec_count: dict[int, int] = {}
    for a in actions:
        per_rec_count[a.recommendation_id] = per_rec_count.get(a.recommendation_id, 0) + 1

    if replaces_review_id is not None:
        # One current review per plan and date (a unique index): hide the old one first, pointing
        # at itself until the new review has an id.
        conn.execute(update(Review).where(Review.id == replaces_review_id).values(replaced_by_id=replaces_review_id))
    review_id = conn.execute(
        insert(Review)
        .values(
            plan_id=plan_id,
            as_at=snapshot.as_at,
            label=snapshot.label or quarter_label(snapshot.as_at),
            source=source,
            sheet=snapshot.sheet or "",
            sha256=sha256,
            content_sha256=content_sha256 or content_hash(snapshot.rows),
            imported_at=imported_at or utc_now(),
            imported_by=imported_by,
        )
        .returning(Review.id)
    ).scalar_one()

    rows = snapshot.rows
    refs = [clean_ref(row.rec_ref) for row in rows]
    new_recs: dict[str, TrackerRow] = {}  # a new recommendation's text and theme: its first row's
    for ref, row in zip(refs, rows, strict=True):
        if ref not in recs and ref not in new_recs:
            new_recs[ref] = row
    recs.update(zip(new_recs, reserve_ids(conn, Recommendation.__table__, len(new_recs)), strict=True))
    bulk_insert(
        conn,
        Recommendation.__table__,
        _RECOMMENDATION_COLUMNS,
        [(recs[ref], plan_id, ref, ref_sort_key(ref), row.rec_text or "", row.theme) for ref, row in new_recs.items()],
    )

    written: list[int | None] = []  # per row: the stored action's id, or None until reserved below
    new_positions: list[int] = []
    changed: list[dict] = []
    seen_actions: set[int] = set()
    for position, action_id in enumerate(action_ids):
        if action_id is not None and action_id in seen_actions:
            action_id = None  # one action twice in a review: keep both rows, as separate actions
        if action_id is None:
            new_positions.append(position)
        else:
            seen_actions.add(action_id)
            changed.append(dict(zip(_ACTION_BINDS, (action_id, *_action_values(rows[position])), strict=True)))
        written.append(action_id)
    new_actions = []
    for position, action_id in zip(new_positions, reserve_ids(conn, Action.__table__, len(new_positions)), strict=True):
        written[position] = action_id
        ref = refs[position]
        new_actions.append(
            (action_id, *_new_action(plan_id, recs[ref], ref, rows[position], keys, per_rec_count, position))
        )
    bulk_insert(conn, Action.__table__, _ACTION_COLUMNS, new_actions)
    if changed:
        conn.execute(
            update(Action)
            .where(Action.id == bindparam("b_id"))
            .values({column: bindparam(f"b_{column}") for column, _ in ACTION_FIELDS}),
            changed,
        )
    bulk_insert(
        conn,
        ActionUpdate.__table__,
        _UPDATE_COLUMNS,
        [(review_id, action_id, *_update_values(row)) for action_id, row in zip(written, rows, strict=True)],
    )
    if replaces_review_id is not None:
        conn.execute(update(Review).where(Review.id == replaces_review_id).values(replaced_by_id=review_id))
    return review_id, written  # type: ignore[return-value] - every None was given a reserved id


_ACTION_BINDS = ("b_id", *(f"b_{column}" for column, _ in ACTION_FIELDS))


def _new_action(plan_id, rec_id, ref, row: TrackerRow, keys: set[str], per_rec_count, position) -> tuple:
    """The Action row (_ACTION_COLUMNS after the id) for a tracker row that is a new action, its
    key unique within the plan."""
    if row.action_id and row.action_id not in keys:
        key, from_tracker = row.action_id, True
    else:
        # No ID in the tracker (or one the plan already uses): "<rec>.<n>", unique within the plan.
        n = per_rec_count.get(rec_id, 0) + 1
        key = f"{ref}.{n}"
        while key in keys:
            n += 1
            key = f"{ref}.{n}"
        from_tracker = False
    per_rec_count[rec_id] = per_rec_count.get(rec_id, 0) + 1
    keys.add(key)
    sort_key = ref_sort_key(key) if from_tracker else f"{ref_sort_key(ref)}.{position:06d}"
    return (plan_id, rec_id, key, from_tracker, sort_key, *_action_values(row))


def reserve_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """`count` new ids for the table's id column, ascending, before the rows are written, so that
    bulk_insert needs no RETURNING. PostgreSQL draws them from the column's sequence; SQLite
    continues from the largest id (what SQLite itself does), which no other writer can change
    while this transaction holds the write lock (BEGIN IMMEDIATE, or the first row it wrote)."""
    if count == 0:
        return []
    if conn.dialect.name == "postgresql":
        drawn = conn.execute(
            sql_text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
            {"table": table.name, "count": count},
        ).scalars()
        return sorted(drawn)
    largest = conn.execute(select(func.max(table.c.id))).scalar_one() or 0
    return list(range(largest + 1, largest + count + 1))


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert rows (tuples, in the order of `columns`) in one go: COPY on PostgreSQL (psycopg 3),
    else one executemany through the driver, each value passed through its column type's bind
    processor as SQLAlchemy would (SQLite's dates as ISO text)."""
    if not rows:
        return
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(column) for column in columns)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        copying = f"COPY {quote(table.name)} ({names}) FROM STDIN"
        try:
            with conn.connection.dbapi_connection.cursor() as cursor, cursor.copy(copying) as copy:
                for row in rows:
                    copy.write_row(row)
        except dialect.loaded_dbapi.Error as exc:  # as SQLAlchemy's own statements raise it (IntegrityError, ...)
            raise DBAPIError.instance(copying, None, exc, dialect.loaded_dbapi.Error, dialect=dialect) from None
        return
    processors = [table.c[column].type.dialect_impl(dialect).bind_processor(dialect) for column in columns]
    converting = [
        (index, process)
        for index, (column, process) in enumerate(zip(columns, processors, strict=True))
        # The driver binds True and False as 1 and 0 itself, which is all a Boolean's processor does.
        if process is not None and not isinstance(table.c[column].type, Boolean)
    ]
    if converting:
        converted = []
        for row in rows:
            values = list(row)
            for index, process in converting:
                if values[index] is not None:
                    values[index] = process(values[index])
            converted.append(tuple(values))
        rows = converted
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(
        f"INSERT INTO {quote(table.name)} ({names}) VALUES ({', '.join([marker] * len(columns))})", rows
    )


def restore_review(conn: Connection, review_id: int) -> list[int]:
    """Bring back a replaced review, inside the caller's transaction; returns the ids of the
    reviews hidden in its place (kept, never deleted).

    Hidden: the review that replaced it, if still current, and whichever review is current for
    the restored review's plan and date, so there is always one current review per date.
    Raises ValueError if `review_id` does not exist or is current.
    """
    target = conn.execute(
        select(Review.plan_id, Review.as_at, Review.replaced_by_id).where(Review.id == review_id)
    ).first()
    if target is None:
        raise ValueError(f"there is no review {review_id}")
    if target.replaced_by_id is None:
        raise ValueError(f"review {review_id} is current, so there is nothing to restore")
    in_the_way = (
        conn.execute(
            select(Review.id).where(
                Review.replaced_by_id.is_(None),
                Review.id != review_id,
                (Review.id == target.replaced_by_id)
                | ((Review.plan_id == target.plan_id) & (Review.as_at == target.as_at)),
            )
        )
        .scalars()
        .all()
    )
    # Hide first, then show: the unique index allows one current review per date at every step.
    if in_the_way:
        conn.execute(update(Review).where(Review.id.in_(in_the_way)).values(replaced_by_id=review_id))
    conn.execute(update(Review).where(Review.id == review_id).values(replaced_by_id=None))
    return list(in_the_way)
