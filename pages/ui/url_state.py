"""State kept in the URL: the one way a control's value and its URL parameter stay in step.

A copied link reopens exactly the same view, so every control that shapes the view keeps its
value in a URL parameter. The sidebar controls and the trends page's from/to use the same three
steps:

1. before drawing the widget, `adopt(param, key, value, valid=..., default=...)`: a value in the
   URL that differs from what this session last saw there (a deep link, or an in-app link to
   the same page with new parameters) wins, once; a session value that is no longer valid (a
   review of another plan) falls back to the default;
2. draw the widget with `key=key`;
3. after drawing, `publish({param: value, ...})`: the URL says what the widgets say (other
   parameters are kept), and that is remembered as seen.

Switching page needs nothing more: the sidebar's widgets are always drawn as app.py's own
(routing._as_the_entrypoint), so they are the same widgets on every page and keep their values
(tests/browser/test_deeplink.py checks it in Chromium).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st

# Every URL parameter the app reads, in one place (the README's "Using it" section lists each;
# tests/test_readme.py checks both ways).
PARAMETERS: dict[str, str] = {
    "plan": "the action plan",
    "review": "the review (a dated snapshot of the plan)",
    "as_of": "count overdue actions as at this date",
    "judge": "judge=baseline: overdue against the baseline (original) due date, not the current approved one",
    "rec": "filter: a recommendation",
    "lead": "filter: a lead",
    "status": "filter: one or more statuses",
    "partner": "filter: a partner agency (joint inspections)",
    "present": "presentation mode",
    "contrast": "high-contrast presentation",
    "part": "presentation: which of the page's slides (a long list continues on further slides)",
    "from": "trends: the earlier review compared",
    "to": "trends: the later review compared",
    "section": "trends: the part of the page shown (mix, overdue, measures, decisions, compare, forecast)",
    "action": "action history: the action shown",
    "sort": "overdue: how the list is sorted",
    "group": "overdue: group=none lists the actions without grouping them by recommendation",
}

_SEEN = "_url_seen"  # param -> the raw URL value this session last saw or wrote


def _known(param: str) -> str:
    if param not in PARAMETERS:
        raise KeyError(f"URL parameter {param!r} is not declared in url_state.PARAMETERS")
    return param


def raw(param: str) -> str | list[str] | None:
    """The parameter as the URL has it: a string, a list for repeated parameters, None if absent."""
    values = st.query_params.get_all(_known(param))
    if not values:
        return None
    return values if len(values) > 1 else values[0]


def text(param: str) -> str | None:
    """A single-valued parameter, or None when absent or empty."""
    value = st.query_params.get(_known(param))
    return value if value not in (None, "") else None


def whole_number(param: str) -> int | None:
    """A parameter holding an id (digits only, at most 18 of them), else None."""
    value = text(param)
    return int(value) if value and value.isdigit() and len(value) <= 18 else None


def is_new(param: str) -> bool:
    """Whether the URL's value differs from what this session last saw or wrote there (a deep link,
    an in-app link with new parameters): a link that cannot be honoured says so only then."""
    return raw(param) != st.session_state.get(_SEEN, {}).get(_known(param))


def adopt(param: str, key: str, value: Any, *, valid: bool, default: Any = None, still_valid=None) -> None:
    """Step 1 (see the module docstring). `value` is the URL's value already parsed; `valid` says
    whether it may be used. `still_valid(current)` says whether the session's current value is
    still a possible choice; when it is not, `default` is used."""
    seen = st.session_state.setdefault(_SEEN, {})
    now = raw(param)
    if now is not None and now != seen.get(param) and valid:
        st.session_state[key] = value
    elif still_valid is not None and not still_valid(st.session_state.get(key)):
        st.session_state[key] = default
    seen[param] = now


def open_on_next_run(params: dict[str, str]) -> None:
    """The next run opens these values, as a link holding them would (e.g. the review an import
    just wrote): the URL gets them now, adopt() sees them as new and the controls take them before
    they are drawn (a widget's value cannot be set once it is drawn in this run)."""
    for param, value in params.items():
        st.query_params[_known(param)] = value


def publish(params: dict[str, str | list[str] | None], *, replace: Iterable[str] = ()) -> None:
    """Step 3: set these parameters (None removes one); parameters named in `replace` but not in
    `params` are removed; every other parameter in the URL is kept."""
    wanted = {_known(k): v for k, v in params.items() if v is not None}
    dropped = set(replace) | {k for k, v in params.items() if v is None}
    others = {k: st.query_params.get_all(k) for k in st.query_params if k not in wanted and k not in dropped}
    # Rewritten every run, even when unchanged: after an in-app link to the same page with new
    # parameters (presentation slides) the browser's address bar is only updated by a write.
    st.query_params.from_dict({**wanted, **others})
    seen = st.session_state.setdefault(_SEEN, {})
    for key in set(wanted) | dropped:
        seen[key] = raw(key)
