"""preview: everything an import will write, decided once and written nowhere.

For each review of the parsed file: the plan it goes into, its rows, which stored action each row
is (matching.match_review, the one matching pass), the text matches to propose, what was added and
dropped since the previous review and what changed action by action (changes.changes_since), the
review it would replace, and whether the plan already has exactly this review (same date, same
content: left alone). writing.py applies it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import PurePath

from sqlalchemy import Connection, Engine, select

from data_access.domain import rules
from data_access.domain.wording import long_date, stored_time
from data_access.importer.committing import changes, matching, measure_writing
from data_access.importer.parsed import ParsedFile, ParsedReview, Preview, ReviewPreview, with_directions
from data_access.storage import board_decisions, measure_directions, plan_writer
from data_access.storage.schema import Plan, Review


def default_plan_name(parsed: ParsedFile) -> str | None:
    """The plan's name as the file gives it (its title line), or None when the file does not name
    its plan: no title above the table, or only a review date ("Position as at 30 June 2018",
    reading.sheets.is_review_date). A file's name is never taken as evidence: the upload page asks
    (suggested_plan_name), the command line refuses without --plan."""
    return parsed.title[:200] if parsed.title else None


_FILE_DATE_RE = re.compile(
    r"(?<![0-9])(?:\d{4}[-_.]\d{1,2}[-_.]\d{1,2}|\d{1,2}[-_.]\d{1,2}[-_.]\d{2,4}"
    r"|q[1-4][-_ ]?\d{2,4}(?:[-_]\d{2})?)(?![0-9])"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[-_ ]?\d{2,4}\b",
    re.IGNORECASE,
)


def suggested_plan_name(filename: str) -> str:
    """What to offer as the plan's name when the file gives none: its file name without the
    extension and the date ("rutland-tracker-2018-06-30.xlsx" -> "rutland tracker")."""
    stem = _FILE_DATE_RE.sub(" ", PurePath(filename).stem)
    words = re.sub(r"[\s_\-.]+", " ", stem).split()
    while words and words[-1].casefold() in ("as", "at", "update", "position", "v", "final", "draft"):
        words.pop()
    return " ".join(words)[:200]


def unnamed_plan_message(parsed: ParsedFile) -> str:
    """The command line's refusal when the file does not name its plan (one sentence)."""
    suggestion = suggested_plan_name(parsed.filename) or "the plan's name"
    return (
        f"{parsed.filename} does not name its plan (the lines above its table are only a review date, or there "
        f'are none), so it is not imported: give the plan with --plan NAME (for example --plan "{suggestion}").'
    )


def duplicate_message(conn: Connection, parsed: ParsedFile) -> str | None:
    earlier = plan_writer.earlier_import(conn, parsed.sha256)
    if not earlier:
        return None
    when = earlier["imported_at"]
    when_text = stored_time(when) if when else "an earlier date"  # London time, as people read it
    by = f" by {earlier['imported_by']}" if earlier.get("imported_by") else ""
    return (
        f"{parsed.filename} was already imported: the same file ({earlier['source']}) went into plan "
        f"'{earlier['name']}' as review {earlier['label']} on {when_text}{by}."
    )


def plan_targets(
    conn: Connection,
    parsed: ParsedFile,
    plan_name: str | None,
    plan_id: int | None,
    plan_names: list[str] | None,
    command_line: bool = False,
) -> tuple[list[str], str | None]:
    """The plan name for each plan in the file, and a refusal when the choice is ambiguous (naming
    the command line's --sheet only for the command line)."""
    count = max(1, len(parsed.plans))
    if plan_id is not None and plan_name is None:
        plan_name = conn.execute(select(Plan.name).where(Plan.id == plan_id)).scalar_one_or_none()
    if count == 1:
        name = (plan_names[0] if plan_names else None) or plan_name or default_plan_name(parsed)
        if not name:
            return [""], unnamed_plan_message(parsed)
        return [name], None
    names = list(plan_names or [])
    names += [p.title for p in parsed.plans[len(names) :]]
    if not plan_name and not all(names):
        unnamed = "; ".join(
            f"sheets {', '.join(p.sheets) or '(none)'}" for p, n in zip(parsed.plans, names, strict=True) if not n
        )
        return names, (
            f"{parsed.filename} holds {count} plans and does not name every one ({unnamed}): name each plan, "
            "or import one sheet into a plan you name (--sheet NAME --plan NAME)."
        )
    if plan_name and not plan_names:
        listed = "; ".join(f"'{p.title}' (sheets {', '.join(p.sheets)})" for p in parsed.plans)
        one_sheet = "import one sheet into it (--sheet NAME)" if command_line else "import one sheet into it"
        return names, (
            f"{parsed.filename} holds {count} plans with different recommendations ({listed}), so it cannot all go "
            f"into plan '{plan_name}'; {one_sheet}, or import each into its own plan."
        )
    return names, None


def preview(
    engine: Engine,
    parsed: ParsedFile,
    *,
    plan_name: str | None = None,
    plan_id: int | None = None,
    plan_names: list[str] | None = None,
    new_plan: bool = False,
    as_of: dt.date | None = None,
    command_line: bool = False,
) -> Preview:
    """What commit would write, without writing: per review its plan, rows, matches, counts,
    overdue (as at as_of, else the review's date), problems, added/dropped, replace candidate.

    plan_name / plan_id: the plan of a one-plan file; plan_names: one name per plan of a file
    holding several (default: each plan's title). new_plan: the user asked for a new plan, so an
    existing plan of that name is refused rather than added to. command_line: its reasons name the
    command line's options (--as-at, --replace...); otherwise the upload page's controls."""
    with engine.connect() as conn:
        names, refusal = plan_targets(conn, parsed, plan_name, plan_id, plan_names, command_line)
        ids = [plan_writer.find_plan(conn, n) for n in names]
        if new_plan and refusal is None:
            taken = [n for n, i in zip(names, ids, strict=True) if i is not None]
            if taken:
                archived = conn.execute(select(Plan.archived_at).where(Plan.name == taken[0])).scalar_one_or_none()
                refusal = (
                    f"An archived plan is called '{taken[0]}'; bring it back in Plan settings, or give the new "
                    "plan another name."
                    if archived
                    else f"A plan called '{taken[0]}' already exists; choose it under 'Import into', or give the "
                    "new plan another name."
                )
        registries = {p: matching.Registry.of(matching.stored_plan_actions(conn, i)) for p, i in enumerate(ids) if i}
        previews: list[ReviewPreview] = []
        # Per plan, the file's latest review so far and what it is (its actions and what it said
        # about each are worked out only when a later review of the same plan compares with it).
        last_in_file: dict[int, tuple[ParsedReview, list]] = {}
        for index, review in enumerate(parsed.reviews):
            p = review.plan_index
            pid = ids[p] if p < len(ids) else None
            registry = registries.setdefault(p, matching.Registry())
            stored = matching.previous_review(conn, pid, review.as_at) if pid and review.as_at else None
            earlier = last_in_file.get(p)
            previous: list[matching.Known] = []
            said: dict = {}  # what the previous review said about each action
            prev_label = None
            if earlier is not None and (stored is None or (earlier[0].as_at or dt.date.min) >= stored.as_at):
                previous = matching.file_actions(earlier[0].rows, earlier[1])
                said = changes.said_in_file(earlier[0].rows, earlier[1])
                prev_label = _review_name(earlier[0].as_at, earlier[0].sheet)
            elif stored is not None:
                previous = matching.stored_review_actions(conn, stored.id)
                said = changes.said_in_stored(conn, stored.id)
                prev_label = f"{stored.label} (as at {long_date(stored.as_at)})"
            result = matching.match_review(review.rows, index, registry, previous)
            last_in_file[p] = (review, result.identities)
            same = _same_date_review(conn, pid, review.as_at)
            same_hash = (same.content_sha256 or plan_writer.stored_content_hash(conn, same.id)) if same else None
            previews.append(
                _review_preview(index, review, names[p] if p < len(names) else names[0], pid, result, prev_label,
                                as_of, same.id if same else None, same_hash,
                                changes.changes_since(review.rows, result, previous, said))
            )  # fmt: skip
            previews[-1].signoff, previews[-1].date_changes = board_decisions.preview_counts(
                conn,
                plan_id=pid,
                as_at=review.as_at,
                rows=review.rows,
                action_ids=[m.action_id if m is not None else None for m in result.matches],
            )
        duplicate = duplicate_message(conn, parsed)
        state = import_state(conn, names, parsed.sha256)
        # Which way is better for a measure whose file does not say: the plan's setting, never a guess.
        known = measure_directions.stored_directions(conn, ids[0] if ids else None)
        measures, measure_problems = with_directions(parsed.measures, parsed.measure_problems, known)
        corrections = measure_writing.stored_corrections(conn, ids[0] if ids else None, measures)
    return Preview(
        filename=parsed.filename,
        sha256=parsed.sha256,
        plan_name=names[0],
        plan_exists=ids[0] is not None,
        duplicate=duplicate,
        reviews=previews,
        problems=list(parsed.problems),
        plan_names=names,
        plan_ids=ids,
        coded_statuses=list(parsed.coded_statuses),
        stored_state=state,
        mapping=parsed.mapping,
        status_mapping=parsed.status_mapping,
        kind=parsed.kind,
        skipped_sheets=list(parsed.skipped_sheets),
        assumptions=list(parsed.assumptions),
        term_dates=parsed.term_dates,
        refusal=refusal,
        command_line=command_line,
        measures=measures,
        measure_problems=measure_problems,
        measure_corrections=corrections,
    )


def import_state(conn: Connection, plan_names: list[str], sha256: str) -> str:
    """A fingerprint of what the preview's decisions rest on: whether each target plan exists, its
    reviews (current or replaced), and whether this file was imported before. Commit refuses a
    preview whose fingerprint no longer matches (another import, replace or restore of that plan
    in between); a change to another plan does not matter."""
    parts = []
    for name in plan_names:
        pid = plan_writer.find_plan(conn, name)
        reviews = (
            conn.execute(
                select(Review.id, Review.replaced_by_id).where(Review.plan_id == pid).order_by(Review.id)
            ).all()
            if pid is not None
            else []
        )
        parts.append(f"{name}\x1f{pid}\x1f" + ",".join(f"{r.id}/{r.replaced_by_id or ''}" for r in reviews))
    parts.append("imported before" if plan_writer.earlier_import(conn, sha256) else "new file")
    return hashlib.sha256("\x1e".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _same_date_review(conn: Connection, plan_id: int | None, as_at: dt.date | None):
    if plan_id is None or as_at is None:
        return None
    return conn.execute(
        select(Review.id, Review.content_sha256)
        .where(Review.plan_id == plan_id, Review.as_at == as_at, Review.replaced_by_id.is_(None))
        .order_by(Review.id.desc())
        .limit(1)
    ).first()


def _review_name(as_at: dt.date | None, sheet: str | None) -> str:
    label = rules.quarter_label(as_at) if as_at else "undated review"
    return f"{label} (sheet '{sheet}')" if sheet else label


def _review_preview(
    index, review: ParsedReview, plan_name, plan_id, result, prev_label, as_of, same_id, same_hash, changed
) -> ReviewPreview:
    counts = dict.fromkeys(rules.STATUSES, 0)
    when = as_of or review.as_at
    overdue = 0
    for row in review.rows:
        counts[row.status] = counts.get(row.status, 0) + 1
        if when is not None and rules.is_overdue(row.status, row.timescale.due, when, row.revised_due):
            overdue += 1
    content = plan_writer.content_hash(review.rows)
    rows = review.rows
    return ReviewPreview(
        index=index,
        sheet=review.sheet,
        label=review.label or (rules.quarter_label(review.as_at) if review.as_at else "undated"),
        as_at=review.as_at,
        as_at_source=review.as_at_source,
        plan_name=plan_name,
        plan_id=plan_id,
        recommendations=len({plan_writer.clean_ref(r.rec_ref) for r in rows}),
        actions=len(rows),
        status_counts=counts,
        overdue=overdue,
        overdue_as_of=when,
        statuses_from_colour=review.statuses_from_colour,
        hidden_rows=review.hidden_rows,
        problems=list(review.problems),
        column_map=dict(review.column_map),
        unrecognised_columns=list(review.unrecognised_columns),
        conditional_format_warning=review.conditional_format_warning,
        previous_review=prev_label,
        proposals=result.proposals,
        added=[matching.describe(rows[n].rec_ref, rows[n].action_id, rows[n].description) for n in result.added]
        if prev_label
        else [],
        dropped=[matching.describe(p.rec_ref, p.shown_id, p.description) for p in result.dropped],
        same_date_review_id=same_id,
        same_content_review_id=same_id if same_hash == content else None,
        rows=rows,
        matches=result.matches,
        content_sha256=content,
        changes=changed,
        without_note=sum(1 for r in rows if not (r.progress or "").strip()),
        status_candidates=list(review.status_candidates),
    )
