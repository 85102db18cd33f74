"""Upload a tracker: read it, show a preview of everything it would add, then Import or Cancel.

Nothing is written before Import, and Import is one transaction (data_access.importer.commit).
"""

import json

import pandas as pd
import streamlit as st

from data_access import importer, plan_admin, roles
from data_access.clock import london_now
from data_access.reads import catalogue
from data_access.rules import STATUSES, status_text
from data_access.wording import long_date, plural
from pages.ui import auth, database, routing
from pages.ui.plain import md

LIMITS = importer.Limits.from_env()  # BOARD_MAX_UPLOAD_MB, BOARD_MAX_ROWS
NEW_PLAN = "(a new plan)"
IGNORE_LABEL = "(ignore this column)"
LABEL_TO_FIELD = {label: field for field, label in importer.FIELD_LABELS.items()}
AS_AT_SOURCE = {"title": "the tracker's title", "sheet name": "the sheet's name", "given": "the date entered above"}


def _escape_markdown(text: str) -> str:
    """Tracker headings go into widget labels, which render Markdown: show them as typed (plain.md)."""
    return md(text)


view = routing.page_view(roles.EDITOR)
engine = database.engine_or_stop()
st.title("Upload a tracker")
st.markdown(
    "Upload the Excel or CSV tracker you already keep. You will see a **preview** of what it "
    "contains — and every problem found — before anything is saved. Each upload adds a new dated "
    "review; earlier reviews are never overwritten."
)
state = st.session_state.setdefault("upload", {"mapping": {}, "nonce": 0, "done": None})

if state["done"]:
    done = state["done"]
    st.success(md(done["message"]))
    st.page_link(
        "pages/overview.py",
        label="Open the overview of the new review",
        icon=":material/dashboard:",
        query_params={"plan": str(done["plan_id"]), "review": str(done["review_id"])},
    )

# --- 1. where it goes, and the file ---------------------------------------------------------
plans = database.query(catalogue.list_plans)
names = list(plans["name"])
left, right = st.columns([3, 2])
default_index = names.index(view.plan_name) if view.plan_name in names else 0
target = left.selectbox(
    "Import into",
    [*names, NEW_PLAN],
    index=default_index,
    help="The action plan this tracker belongs to. A new quarter's tracker goes into the same plan.",
)
new_plan_name = None
if target == NEW_PLAN:
    new_plan_name = (
        left.text_input(
            "Name of the new plan", max_chars=200, placeholder="Leave blank to use the tracker's title"
        ).strip()
        or None
    )
as_at_given = right.date_input(
    "Review date (position as at)",
    value=None,
    format="DD/MM/YYYY",
    help="Only needed when the tracker does not say: no 'Position as at …' title, and sheets not named by quarter.",
)
server_warning = importer.safety.server_limit_warning(st.get_option("server.maxUploadSize"), LIMITS)
if server_warning and auth.is_admin():
    st.warning(server_warning)  # for whoever runs the app (admins): the server's limit is above the board's
upload = st.file_uploader(
    "Tracker file (.xlsx, .xlsm, .xls or .csv)",
    type=["xlsx", "xlsm", "xls", "csv"],
    key=f"tracker_file_{state['nonce']}",
    max_upload_size=importer.safety.upload_limit_mb(LIMITS),
)


def show_import_history(plan_id: int) -> None:
    """Every import into the plan, replaced reviews included, with a way to bring one back."""
    history = database.query(catalogue.review_history, plan_id)
    with st.expander(f"Import history for this plan ({len(history)} reviews)"):
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
                try:
                    plan_admin.restore_review(engine, int(r.id), actor=auth.current_user(), plan_id=plan_id)
                except plan_admin.ChangeRefused as refused:
                    st.error(md(refused))
                    st.stop()
                database.data_changed()
                st.rerun()


if upload is None:
    st.caption(f"Limits: {LIMITS.max_bytes // importer.parsed.MB} MB and {LIMITS.max_rows:,} rows per sheet.")
    if target != NEW_PLAN:
        show_import_history(int(plans.set_index("name").loc[target, "id"]))
    st.stop()
state["done"] = None

# --- 2. read (once per file, mapping and date) ---------------------------------------------
plan_name = target if target != NEW_PLAN else new_plan_name
remembered = importer.remembered_mapping(engine, plan_name) if plan_name else None
mapping = {**(remembered or {}), **state["mapping"]} or None
read_key = json.dumps([upload.file_id, mapping, str(as_at_given)], sort_keys=True, default=str)
if state.get("read_key") != read_key:
    bar = st.progress(0.0, text="Reading the tracker…")

    def show_progress(phase: str, fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"{phase.capitalize()}…")

    try:
        state["parsed"] = importer.read_tracker_bounded(
            upload.getvalue(), upload.name, mapping=mapping, as_at=as_at_given, limits=LIMITS, progress=show_progress
        )
        state["error"] = None
    except importer.ImportRefused as refused:
        state["parsed"], state["error"] = None, str(refused)
    state["read_key"] = read_key
    bar.empty()
if state["error"]:
    st.error(md(state["error"]))
    st.stop()
parsed: importer.ParsedFile = state["parsed"]
plan_name = plan_name or importer.default_plan_name(parsed)
if target == NEW_PLAN and plan_name in names:
    st.error(
        md(
            f"A plan called '{plan_name}' already exists. Choose it under 'Import into', "
            "or give the new plan another name."
        )
    )
    st.stop()
if target == NEW_PLAN and plan_name in set(database.query(catalogue.list_plans, True)["name"]):
    st.error(md(f"An archived plan is called '{plan_name}'. Bring it back in Plan settings, or choose another name."))
    st.stop()
# The preview reads the plan and matches every row by text: once per file, plan and data version,
# not on every rerun (each ticked checkbox is a rerun).
preview_key = (read_key, plan_name, database.data_version())
if state.get("preview_key") != preview_key:
    state["preview"] = importer.preview(engine, parsed, plan_name=plan_name)
    state["preview_key"] = preview_key
preview: importer.Preview = state["preview"]

# --- 3. the preview -------------------------------------------------------------------------
st.header("Preview — nothing has been saved yet")
st.write(f"**{md(parsed.filename)}** → plan **{md(plan_name)}**" + ("" if preview.plan_exists else " (new plan)"))
if preview.duplicate:
    st.error(md(preview.duplicate))
for problem in preview.problems:
    st.warning(md(f"{problem.where()}: {problem.message}" if problem.where() else problem.message))

accepted: list[importer.MatchProposal] = []
replace_needed, replace_chosen = False, False
for index, review in enumerate(preview.reviews):
    where = f"sheet '{review.sheet}' — " if review.sheet else ""
    with st.container(border=True):
        if review.as_at:
            source = AS_AT_SOURCE.get(review.as_at_source, review.as_at_source)
            st.subheader(md(f"{where}{review.label}, as at {long_date(review.as_at)} (from {source})"))
        else:
            st.subheader(md(f"{where}review date needed"))
        if not review.as_at:
            st.error("This review has no 'as at' date. Enter the review date above.")
        tiles = st.columns(4)
        tiles[0].metric("Recommendations", review.recommendations)
        tiles[1].metric("Actions", review.actions)
        overdue_date = review.overdue_as_of or review.as_at
        tiles[2].metric("Overdue", review.overdue, help=f"As at {long_date(overdue_date)}" if overdue_date else None)
        tiles[3].metric("Problems", len(review.problems))
        st.table(
            pd.DataFrame(
                {
                    "Status": [status_text(s) for s in STATUSES],
                    "Actions": [review.status_counts.get(s, 0) for s in STATUSES],
                }
            )
            .set_index("Status")
            .T
        )
        if review.statuses_from_colour:
            st.info(f"{review.statuses_from_colour} statuses were read from the cell colour (the cell had no text).")
        if review.conditional_format_warning:
            st.warning(md(review.conditional_format_warning))
        st.caption(
            md(f"Compared with the plan's previous review: {review.previous_review}")
            if review.previous_review
            else "This will be the plan's first review."
        )
        if review.added or review.dropped:
            added_col, dropped_col = st.columns(2)
            with added_col.expander(f"New actions ({len(review.added)})"):
                st.dataframe(pd.DataFrame({"Action": review.added}), hide_index=True, width="stretch")
            with dropped_col.expander(f"Dropped since the previous review ({len(review.dropped)})"):
                st.dataframe(pd.DataFrame({"Action": review.dropped}), hide_index=True, width="stretch")
        if review.proposals:
            st.markdown(
                "**Same action as before?** These rows have no action ID; their text resembles an "
                "action of the previous review. Untick any that are really new actions."
            )
            for number, proposal in enumerate(review.proposals):
                same = st.checkbox(
                    f"Rec {_escape_markdown(proposal.rec_ref)}: “{_escape_markdown(proposal.new_description)}” is "
                    f"the same action as “{_escape_markdown(proposal.existing_description)}” "
                    f"({proposal.score:.0f}% similar)",
                    value=proposal.score >= importer.LIKELY_SAME,
                    key=f"match_{index}_{number}_{read_key}",
                )
                if same:
                    accepted.append(proposal)
        if review.problems:
            with st.expander(
                f"Problems to check ({len(review.problems)}) — imported as 'no status' or 'no date', never dropped",
                expanded=len(review.problems) <= 10,
            ):
                st.dataframe(
                    pd.DataFrame(
                        [
                            {"Sheet": p.sheet or "", "Row": p.row, "Column": p.column or "", "Problem": p.message}
                            for p in review.problems
                        ]
                    ),
                    hide_index=True,
                    width="stretch",
                )
        if review.same_date_review_id:
            replace_needed = True
            replace_chosen = st.checkbox(
                f"Replace the plan's existing review as at {long_date(review.as_at)}. The replaced version is kept "
                "(hidden, not deleted) and can be restored.",
                key=f"replace_{index}_{read_key}",
            )

# Column mapping: recognised columns can be corrected, unrecognised ones mapped by hand.
columns = {}
for review in parsed.reviews:
    columns.update(
        {header: importer.FIELD_LABELS.get(field, IGNORE_LABEL) for header, field in review.column_map.items()}
    )
    columns.update({header: IGNORE_LABEL for header in review.unrecognised_columns if header not in columns})
unrecognised = sorted({h for r in parsed.reviews for h in r.unrecognised_columns})
with st.expander(
    "Columns: how this tracker's headings were understood"
    + (f" — {len(unrecognised)} not recognised" if unrecognised else ""),
    expanded=bool(unrecognised),
):
    if unrecognised:
        st.write(
            md(
                "Not recognised (ignored unless you choose what they hold): "
                + ", ".join(f"'{h}'" for h in unrecognised)
            )
        )
    # One labelled dropdown per column: keyboard- and screen-reader-friendly, unlike a canvas grid.
    options = [*importer.FIELD_LABELS.values(), IGNORE_LABEL]
    chosen = {}
    for number, (header, means) in enumerate(columns.items(), start=1):
        chosen[header] = st.selectbox(
            f"Column {number}: “{_escape_markdown(header)}” holds",
            options,
            index=options.index(means),
            key=f"map_{number}_{upload.file_id}",
        )
    if st.button(
        "Apply these column choices", help="Re-read the tracker with this mapping. It is remembered for the plan."
    ):
        # Keep earlier hand choices, and add what differs from how the columns were understood.
        state["mapping"] = {
            **state["mapping"],
            **{
                header: LABEL_TO_FIELD.get(means, importer.IGNORE)
                for header, means in chosen.items()
                if columns[header] != means
            },
        }
        st.rerun()

# --- 4. import or cancel ----------------------------------------------------------------------
blocked = (not preview.can_commit) or (replace_needed and not replace_chosen)
import_col, cancel_col, _ = st.columns([1, 1, 4])
if cancel_col.button("Cancel", width="stretch"):
    st.session_state["upload"] = {"mapping": {}, "nonce": state["nonce"] + 1, "done": None}
    st.rerun()
if import_col.button("Import", type="primary", disabled=blocked, width="stretch"):
    bar = st.progress(0.0, text="Writing…")
    try:
        review_ids = importer.commit(
            engine,
            parsed,
            plan_name=plan_name,
            accepted_matches=accepted,
            replace=replace_chosen,
            imported_by=auth.current_user(),
            progress=lambda phase, f: bar.progress(min(max(f, 0.0), 1.0), text=f"{phase.capitalize()}…"),
        )
    except importer.ImportRefused as refused:
        bar.empty()
        st.error(md(refused))
        st.stop()
    database.data_changed()
    plan_id = int(database.query(catalogue.list_plans).set_index("name").loc[plan_name, "id"])
    count = len(review_ids)
    st.session_state["upload"] = {
        "mapping": {},
        "nonce": state["nonce"] + 1,
        "done": {
            "plan_id": plan_id,
            "review_id": review_ids[-1],
            "message": f"Imported {plural(count, 'review')} from {parsed.filename} into "
            f"'{plan_name}' at {london_now():%H:%M}. Nothing was overwritten.",
        },
    }
    st.rerun()
