"""Measures of success: the one place that decides which way is better, whether a measure is at
target ("met"), and how a value and its change are written. No I/O.

Met: the latest period with a value is compared with that period's target (the target in force:
the period's own target, else the latest earlier one). Higher is better: met when value >= target;
lower is better: met when value <= target. No value, or no target in force: "No data". The change
is the latest value minus the value of the previous period that has one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from data_access.domain.wording import POINTS, long_date, plural

HIGHER, LOWER = "higher", "lower"
DIRECTIONS = (HIGHER, LOWER)
MET, NOT_MET, NO_DATA = "Met", "Not met", "No data"
PERCENT = "%"

MET_RULE = (
    "A measure is met when its latest value is at or better than the target for that period (the "
    "period's own target, else the latest earlier one): at or above it when higher is better, at or below "
    "it when lower is better. No value, or no target, is 'No data'."
)

_HIGHER_WORDS = re.compile(r"(↑|▲|⬆|\bhigh|\bup\b|\bincrease|\bmaxim|\bbigger\b|\bmore\b|\bgreater\b|\brise\b)")
_LOWER_WORDS = re.compile(r"(↓|▼|⬇|\blow|\bdown\b|\bdecrease|\bminim|\bsmaller\b|\bless\b|\bfewer\b|\breduc|\bfall\b)")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


def direction(value: object, header: str = "") -> str | None:
    """Which way is better from a direction cell, read with its column's header: 'High', 'Good is
    Low', '↑', 'Aim to minimise', 'Bigger is better'; under a 'Higher is better' (or 'Lower is
    better') column, 'Yes'/'No'. None when it cannot be told (never guessed)."""
    if value is None or isinstance(value, float) and value != value:
        return None
    text = ("true" if value else "false") if isinstance(value, bool) else str(value).strip().lower()
    if not text:
        return None
    head = header.strip().lower()
    if text in _YES or text in _NO:
        yes = text in _YES
        if "higher is better" in head or "high is good" in head or "bigger is better" in head:
            return HIGHER if yes else LOWER
        if "lower is better" in head or "low is good" in head or "smaller is better" in head:
            return LOWER if yes else HIGHER
        return None
    higher, lower = bool(_HIGHER_WORDS.search(text)), bool(_LOWER_WORDS.search(text))
    if higher != lower:
        return HIGHER if higher else LOWER
    return None


def is_met(value: float | None, target: float | None, better: str) -> bool | None:
    """True/False for a value against its target; None when either is missing."""
    if value is None or target is None:
        return None
    return value >= target if better == HIGHER else value <= target


def met_word(met: bool | None) -> str:
    return NO_DATA if met is None else (MET if met else NOT_MET)


@dataclass(frozen=True)
class Standing:
    """Where a measure stands: its latest value and that period's target, met or not (in words),
    and the change since the previous period with a value."""

    period_end: dt.date | None
    value: float | None
    target: float | None
    met: bool | None
    previous_period_end: dt.date | None
    previous_value: float | None

    @property
    def word(self) -> str:
        return met_word(self.met)

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous_value is None:
            return None
        return round(self.value - self.previous_value, 10)


def standing(points: Sequence, better: str) -> Standing:
    """points: objects with period_end, value and target (any order). The latest value against the
    target in force for its period."""
    ordered = sorted(points, key=lambda p: p.period_end)
    with_value = [p for p in ordered if p.value is not None]
    if not with_value:
        return Standing(None, None, None, None, None, None)
    latest = with_value[-1]
    target = target_in_force(ordered, latest.period_end)
    previous = with_value[-2] if len(with_value) > 1 else None
    return Standing(
        latest.period_end,
        latest.value,
        target,
        is_met(latest.value, target, better),
        previous.period_end if previous else None,
        previous.value if previous else None,
    )


def target_in_force(ordered: Sequence, period_end: dt.date) -> float | None:
    """The target of the period, else the latest target of an earlier period."""
    found = None
    for p in ordered:
        if p.period_end > period_end:
            break
        if p.target is not None:
            found = p.target
    return found


def at_target(standings: Iterable[Standing]) -> tuple[int, int]:
    """(measures met, measures) for 'Measures at target: 5 of 9'."""
    items = list(standings)
    return sum(1 for s in items if s.met), len(items)


def at_target_text(met: int, total: int) -> str:
    return f"Measures at target: {met} of {total}"


def complete_but_not_met(actions: int, complete: int, met: int, total: int) -> str | None:
    """The board's most important finding, in words: every action complete while the measures are
    not all at target ("Actions complete; 1 of 2 measures at target"); None otherwise."""
    if actions and complete == actions and total and met < total:
        return f"Actions complete; {met} of {plural(total, 'measure')} at target"
    return None


def number_text(value: float | None, unit: str = "") -> str:
    """78.0, '%' -> '78%'; 12.5, 'days' -> '12.5 days'; 1234 -> '1,234'; None -> 'no value'."""
    if value is None:
        return "no value"
    rounded = round(value, 1)
    text = f"{rounded:,.0f}" if rounded == int(rounded) else f"{rounded:,.1f}"
    if unit == PERCENT:
        return text + "%"
    return f"{text} {unit}" if unit else text


def change_text(s: Standing, unit: str = "") -> str:
    """'up 3 percentage points since 31 March 2018', 'down 2 days since ...', 'no change since ...',
    or 'no earlier value' (a change in a percentage is in percentage points: wording.POINTS)."""
    change = s.change
    if change is None or s.previous_period_end is None:
        return "no earlier value"
    since = f"since {long_date(s.previous_period_end)}"
    if round(change, 1) == 0:
        return f"no change {since}"
    size = number_text(abs(change), "" if unit == PERCENT else unit)
    if unit == PERCENT:
        size += f" {POINTS[:-1]}" if round(abs(change), 1) == 1 else f" {POINTS}"
    return f"{'up' if change > 0 else 'down'} {size} {since}"


def summary_text(name: str, unit: str, s: Standing) -> str:
    """'Re-referrals: 22% against a target of 20% (31 March 2018): Not met' — status in words,
    never colour alone."""
    if s.value is None:
        return f"{name}: {NO_DATA}"
    when = f" ({long_date(s.period_end)})" if s.period_end else ""
    target = f" against a target of {number_text(s.target, unit)}" if s.target is not None else " (no target)"
    return f"{name}: {number_text(s.value, unit)}{target}{when}: {s.word}"


# --- across the target between two reviews (the "since the last review" paragraph) --------------


BECAME_MET, STOPPED_MET = "became met", "stopped being met"


def crossing(was: bool | None, now: bool | None) -> str | None:
    """BECAME_MET when a measure not at target at the earlier date is at target at the later one,
    STOPPED_MET the other way; None when it did not cross (including to or from "No data")."""
    if was is False and now is True:
        return BECAME_MET
    if was is True and now is False:
        return STOPPED_MET
    return None


def crossing_text(became_met: Sequence[str], stopped_met: Sequence[str]) -> str | None:
    """'measures now at target: Visits in time; measures no longer at target: Re-referrals'
    (either half left out when empty; None when no measure crossed its target)."""
    parts = []
    if became_met:
        parts.append(f"{'measure' if len(became_met) == 1 else 'measures'} now at target: {', '.join(became_met)}")
    if stopped_met:
        noun = "measure" if len(stopped_met) == 1 else "measures"
        parts.append(f"{noun} no longer at target: {', '.join(stopped_met)}")
    return "; ".join(parts) or None
