"""Download buttons for the meeting's papers, for chart images and for the evidence files kept with
sign-offs, so a page gains one line each.

Files are built on click (a callable `data=`) with on_click="ignore": no rerun races the file, and
nothing is generated for a page view nobody downloads from. A paper made here is recorded in the
audit trail as the signed-in user (or the local user). Hidden in presentation mode.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from data_access import papers
from data_access.papers import formats
from pages.ui import auth, cached_reads
from pages.ui.plain import md


def paper_data(request: papers.PaperRequest) -> Callable[[], bytes]:
    """The on-click builder: make the paper, record who made it, return its bytes."""

    def build() -> bytes:
        return papers.make_and_record(cached_reads.get_engine(), request, auth.current_user()).data

    return build


def paper_button(request: papers.PaperRequest, label: str, file_name: str, *, key: str, container=None) -> None:
    (container or st).download_button(
        label,
        data=paper_data(request),
        file_name=file_name,
        mime=formats.REGISTRY[request.format].media_type,
        icon=":material/download:",
        on_click="ignore",
        key=key,
    )


def paper_buttons(view, review_id: int | None = None, compare_id: int | None = None, *, key: str = "papers") -> None:
    """A row of buttons: every paper for the view's plan and review (or `review_id`, compared with
    `compare_id`), overdue as at the view's date (judged as the view judges it). One line on a page."""
    if view.present or view.plan_id is None or view.review_id is None:
        return
    review_id = review_id or view.review_id
    as_at = view.review_as_at
    if review_id != view.review_id:
        from data_access.reads import review_lookup

        as_at = cached_reads.query(review_lookup.get_review, review_id).as_at
    compare_id = (
        compare_id if compare_id is not None else (view.previous_review_id if review_id == view.review_id else None)
    )
    st.markdown("**Papers for the meeting**")
    # One row that wraps on a narrow window: a horizontal container is one element where columns were
    # one per button plus the row (issue 27: fewer elements per run, for the server and the browser).
    row = st.container(horizontal=True)
    for paper_format in formats.offered_in_row(auth.current_role()):
        request = papers.PaperRequest(paper_format.key, view.plan_id, review_id, view.as_of, compare_id, view.baseline)
        paper_button(
            request,
            paper_format.button,
            papers.filename(paper_format.key, view.plan_name, as_at),
            key=f"{key}_{paper_format.key}",
            container=row,
        )


def chart_buttons(kind: str, *args, key: str, container=None) -> None:
    """'Chart as SVG' and 'Chart as PNG' for one chart: `kind` names a function of
    data_access.papers.charts, called with `args` on click (matplotlib is only loaded then)."""
    if st.session_state.get("present"):
        return

    def make_chart():
        from data_access.papers import charts

        return getattr(charts, kind)(*args)

    name = kind.replace("_", "-")
    svg = png = (container or st).container(horizontal=True)  # one element, not a row of three columns
    svg.download_button(
        "Chart as SVG",
        data=lambda: make_chart().svg().encode("utf-8"),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        icon=":material/image:",
        on_click="ignore",
        key=f"{key}_svg",
        help="A vector image for reports; its description (the figures in words) is inside the file.",
    )
    png.download_button(
        "Chart as PNG",
        data=lambda: make_chart().png(),
        file_name=f"{name}.png",
        mime="image/png",
        icon=":material/image:",
        on_click="ignore",
        key=f"{key}_png",
    )


def evidence_file_button(evidence_file, *, key: str) -> None:
    """One evidence file kept with a sign-off (reads.signoff_figures.EvidenceFile) as a download
    button; its name, as uploaded, is shown as data. The bytes are read on click, and only through
    the file's own action (signoff_figures.evidence_file_data)."""
    from data_access.reads import signoff_figures

    f = evidence_file
    engine = cached_reads.engine_or_stop()
    st.download_button(
        md(f"Evidence file: {f.file_name} ({max(1, round(f.size / 1024))} KB)"),
        data=lambda: signoff_figures.evidence_file_data(engine, f.file_id, f.action_id) or b"",
        file_name=f.file_name,
        mime=f.media_type,
        icon=":material/attach_file:",
        on_click="ignore",
        key=key,
    )
