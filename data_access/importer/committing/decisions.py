"""The user's choices on a preview, and the one list of reasons an import cannot go ahead.

Choices: which reviews to replace (a stored review of the same date with other content), which to
leave out, which text matches to accept. blockers() is used by the upload page (beside a disabled
Import, so it always says why) and by commit (which refuses with the first reason), so the two
can never disagree.

Each reason says how to give the missing choice where the person is: the upload page's controls
(the default), or the command line's options when the preview was made for it
(preview(..., command_line=True)): a web page never names a command-line option.
"""

from __future__ import annotations

from data_access.domain.wording import long_date, plural
from data_access.importer.parsed import MatchProposal, Preview, ReviewPreview, unknown_direction, with_directions

LEAVE_OUT = "leave out"  # the preview's answer for a measure not to import (measure_directions)

STATUS_MAP_EXAMPLE = '--status-map "1=red,2=amber,3=green,4=complete"'
# How to give each choice: (on the upload page, on the command line).
HOW = {
    "as_at": (
        "enter it in 'Review date (position as at)'",
        "give the review date (for example --as-at 2018-06-30)",
    ),
    "replace": ("tick 'Replace the plan's existing review'", "use --replace"),
    "status_map": ("choose what each means under 'Status codes'", f"give them with {STATUS_MAP_EXAMPLE}"),
    "status_column": (
        "choose it under 'Which column holds the status?'",
        'choose one with --status-column NAME (for example --status-column "{example}")',
    ),
}


def how(choice: str, command_line: bool, **names) -> str:
    return HOW[choice][1 if command_line else 0].format(**names)


def _status_column_sentence(preview: Preview, review: ReviewPreview, candidates: list[str]) -> str | None:
    """No figure without a status: a review with no column recognised as the status would count
    every action unknown (and every dated one overdue), so it is not imported until one is chosen."""
    if "status" in review.column_map.values():
        return None
    where = f" (sheet '{review.sheet}')" if review.sheet else ""
    listed = ", ".join(f"'{c}'" for c in candidates)
    might = f"; the columns that might hold it: {listed}" if candidates else ""
    example = candidates[0] if candidates else "Progress rating"
    return (
        f"{preview.filename} has no column recognised as the status{where}, so every action would count as "
        f"unknown{might}; {how('status_column', preview.command_line, example=example)}."
    )


def review_indexes(preview: Preview, chosen) -> set[int]:
    """True/"all" -> every review; else ReviewPreviews or indexes into preview.reviews."""
    if chosen is True or chosen == "all":
        return {r.index for r in preview.reviews}
    if not chosen:
        return set()
    return {c.index if isinstance(c, ReviewPreview) else int(c) for c in chosen}


def to_write(preview: Preview, leave_out=()) -> list[ReviewPreview]:
    """The reviews a commit writes: all but those left out and those already stored unchanged."""
    out = review_indexes(preview, leave_out)
    return [r for r in preview.reviews if r.index not in out and not r.unchanged]


def accepted_pairs(accepted_matches) -> set[tuple[int, int]] | str:
    """None -> none; "all"; or MatchProposals / (review_index, row_index) pairs."""
    if accepted_matches is None:
        return set()
    if accepted_matches == "all":
        return "all"
    out = set()
    for item in accepted_matches:
        if isinstance(item, MatchProposal):
            out.add((item.review_index, item.row_index))
        else:
            review_index, row_index = item
            out.add((int(review_index), int(row_index)))
    return out


def _codes_sentence(preview: Preview) -> str | None:
    unmapped = preview.unmapped_statuses
    if not unmapped:
        return None
    values = ", ".join(f"'{c.value}' ({plural(c.count, 'action')})" for c in unmapped)
    column = next((c.column for c in unmapped if c.column), None)
    where = f" in column {column}" if column else ""
    return (
        f"{preview.filename} has status values{where} that are not Blue/Green/Amber/Red and no key in the file "
        f"says what they mean: {values}; {how('status_map', preview.command_line)}."
    )


def blockers(preview: Preview, *, replace=(), leave_out=(), measure_directions=None) -> list[str]:
    """Why commit(preview, replace=..., leave_out=..., measure_directions=...) would refuse, one
    sentence each; [] if not. The upload page shows these beside a disabled Import
    (importer.blockers). measure_directions: the preview's answers for the measures whose file does
    not say which way is better ({name: 'higher' | 'lower' | LEAVE_OUT}); None (the command line,
    which refuses those itself) asks nothing."""
    name = preview.filename
    reasons = [r for r in (preview.duplicate, preview.refusal, _codes_sentence(preview)) if r]
    if measure_directions is not None and (sentence := _directions_sentence(preview, measure_directions)):
        reasons.append(sentence)
    answered = with_directions(preview.measures, [], measure_directions or {})[0]
    if not preview.reviews:
        if not any(m.better for m in answered):  # a file of measures alone is imported
            reasons.append(f"{name} has no reviews to import.")
        return reasons
    replacing = review_indexes(preview, replace)
    writing = to_write(preview, leave_out)
    for review in writing:
        if sentence := _status_column_sentence(preview, review, review.status_candidates):
            reasons.append(sentence)
        if review.as_at is None:
            where = f" (sheet '{review.sheet}')" if review.sheet else ""
            reasons.append(f"{name} has no 'as at' date{where}; {how('as_at', preview.command_line)}.")
        elif review.needs_replace_choice and review.index not in replacing:
            where = f"Sheet '{review.sheet}' of {name}" if review.sheet else name
            reasons.append(
                f"{where} is as at {long_date(review.as_at)}, and plan '{review.plan_name}' already has a different "
                f"review as at that date (review {review.same_date_review_id}); to replace it "
                f"{how('replace', preview.command_line)}, or leave this review out, or correct the date."
            )
    if not writing and not reasons and not any(m.better for m in answered):
        stored = [r for r in preview.reviews if r.unchanged]
        if stored:
            ids = ", ".join(str(r.same_content_review_id) for r in stored)
            reasons.append(
                f"{name} has nothing new: every review in it is already stored with the same date and "
                f"content ({plural(len(stored), 'review')}: {ids})."
            )
        else:
            reasons.append(f"{name}: every review was left out, so there is nothing to import.")
    return reasons


def can_commit(preview: Preview) -> bool:
    """True when Import can go ahead with the default choices (no replacing, every review)."""
    return not blockers(preview)


def _directions_sentence(preview: Preview, answers: dict[str, str]) -> str | None:
    """The measures whose direction is neither in the file, nor the plan's setting, nor answered."""
    asked = [m.name for m in unknown_direction(preview.measures) if m.name not in answers]
    if not asked:
        return None
    more = f" and {plural(len(asked) - 1, 'other measure')}" if len(asked) > 1 else ""
    return (
        f"{preview.filename} does not say which way is better for '{asked[0]}'{more}: choose higher or lower "
        "is better (or leave it out) under Measures of success."
    )
