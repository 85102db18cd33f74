"""How an action's move between two reviews is judged: completed, improved, slipped, and a
recommendation's direction of travel. Plain rules on status words; data_access.reads applies them
to stored reviews, and the pages show the rule texts beside the lists they define."""

from __future__ import annotations

from data_access.domain.rules import COMPLETE, SEVERITY

# How the lists are defined; the page shows this beside them.
MOVEMENT_RULES = (
    "Completed: in both reviews, complete now and not before. "
    "Improved: in both reviews, moved to a better status that is not complete (red to amber or green, amber to green). "
    "Slipped: in both reviews, moved to a worse status (green to amber or red, amber to red), or was complete "
    "and is now anything else. Moves to or from 'no status' are not ranked, except that leaving complete is a slip. "
    "Unchanged red: red in both. Newly overdue: overdue as at the 'to' review's date but not as at the 'from' "
    "review's date (added actions count if overdue). Due date moved later: the effective due date (the revised "
    "date where one was agreed) is later in the 'to' review than in the 'from' review. Added: only in the 'to' "
    "review. Dropped: only in the 'from' review."
)


def is_completed(from_status: str, to_status: str) -> bool:
    return to_status == COMPLETE and from_status != COMPLETE


def is_slipped(from_status: str, to_status: str) -> bool:
    if from_status == COMPLETE:
        return to_status != COMPLETE
    return from_status in SEVERITY and to_status in SEVERITY and SEVERITY[to_status] > SEVERITY[from_status]


def is_improved(from_status: str, to_status: str) -> bool:
    """Better but not (yet) complete: completions are their own list."""
    return (
        to_status != COMPLETE
        and from_status in SEVERITY
        and to_status in SEVERITY
        and SEVERITY[to_status] < SEVERITY[from_status]
    )


IMPROVING, SAME, WORSENING = "improving", "same", "worsening"
ARROWS = {IMPROVING: "↑", SAME: "→", WORSENING: "↓"}

DIRECTION_RULE = (
    "Direction of travel compares the recommendation's actions that appear in both reviews. "
    "An action moved better if it became complete or moved to a better status (red to amber or green, "
    "amber to green); it moved worse if it slipped (green to amber or red, amber to red, or complete to "
    "anything else). ↑ improving: more actions moved better than worse. ↓ worsening: more moved worse "
    "than better. → same: as many moved better as worse, including when none moved. Actions added or "
    "dropped, and moves to or from 'no status' (other than leaving complete), do not count."
)


def direction_of(better: int, worse: int) -> str:
    """The rule in DIRECTION_RULE."""
    if better > worse:
        return IMPROVING
    if worse > better:
        return WORSENING
    return SAME
