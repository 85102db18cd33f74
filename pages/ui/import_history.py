"""The Upload page's import history of a plan: every import, replaced reviews included, and
Restore (confirmed in a dialog) to bring a replaced review back (data_access.storage.plan_admin)."""

import pandas as pd
import streamlit as st

from data_access.domain.wording import long_date, plural
from data_access.reads import catalogue
from data_access.storage import plan_admin
from pages.ui import auth, cached_reads
from pages.ui.plain import md

RESTORE = "upload_restore"  # the review waiting for the dialog's answer


def close_restore() -> None:
    st.session_state.pop(RESTORE, None)


@st.dialog("Restore a replaced review", on_dismiss=close_restore)
def confirm_restore(engine, plan_id: int, review: dict) -> None:
    st.write(
        md(
            f"Restore review {review['id']} ({review['label']}, {review['source']}) as the plan's review as at "
            f"{long_date(review['as_at'])}? The review shown for that date now is hidden, not deleted, and can "
            "be restored in turn."
        )
    )
    yes, no = st.columns(2)
    if yes.button("Restore", type="primary", width="stretch"):
        close_restore()
        try:
            plan_admin.restore_review(engine, review["id"], actor=auth.current_user(), plan_id=plan_id)
        except plan_admin.ChangeRefused as refused:
            st.error(md(str(refused)))
            st.stop()
        cached_reads.data_changed()
        st.rerun()
    if no.button("Keep things as they are", width="stretch"):
        close_restore()
        st.rerun()


def show_import_history(engine, plan_id: int) -> None:
    """Every import into the plan, replaced reviews included, with a way to bring one back."""
    history = cached_reads.query(catalogue.review_history, plan_id)
    with st.expander(f"Import history for this plan ({plural(len(history), 'review')})"):
        table = history.assign(
            state=["current" if pd.isna(r) else f"replaced by review {int(r)}" for r in history["replaced_by_id"]]
        )[["id", "label", "as_at", "source", "sheet", "imported_at", "imported_by", "state"]]
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                "id": "Review",
                "label": "Quarter",
                "as_at": "As at",
                "source": "File",
                "sheet": "Sheet",
                "imported_at": "Imported",
                "imported_by": "By",
                "state": "State",
            },
        )
        for r in history[history["replaced_by_id"].notna()].itertuples():
            if st.button(md(f"Restore review {r.id} ({r.label}, {r.source})"), key=f"restore_{r.id}"):
                st.session_state[RESTORE] = {"id": int(r.id), "label": r.label, "source": r.source, "as_at": r.as_at}
    if st.session_state.get(RESTORE):
        confirm_restore(engine, plan_id, st.session_state[RESTORE])
