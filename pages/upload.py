"""Upload a tracker: read it, show a preview of everything it would add, then Import or Cancel.

Nothing is written before Import, and Import is one transaction (data_access.importer.commit),
which writes exactly the preview shown. Reading, matching and every decision (what would be
replaced, what is already stored, why Import cannot go ahead) are data_access.importer's; this
page draws them and collects the user's choices: forms for column and status meanings, a dialog
to confirm a Replace, and the reading and preview cached for this session. The plan's import
history and Restore are pages/ui/import_history.py.
"""

import datetime as dt
import json

import pandas as pd
import streamlit as st

from data_access import importer
from data_access.domain import measure_rules, permissions
from data_access.domain.round_rules import FIELD_WORDS, UPDATE_FIELDS, RoundRefused
from data_access.domain.rules import STATUSES, status_text, term_date, term_date_from_person
from data_access.domain.wording import long_date, plural
from data_access.importer.reading import safety as upload_safety
from data_access.reads import catalogue
from data_access.storage import update_rounds
from pages.ui import auth, cached_reads, import_history, routing, url_state
from pages.ui.html_tables import Column, show_table
from pages.ui.plain import md

LIMITS = importer.Limits.from_env()  # BOARD_MAX_UPLOAD_MB, BOARD_MAX_ROWS
NEW_PLAN = "(a new plan)"
IGNORE_LABEL = "(ignore this column)"
LABEL_TO_FIELD = {label: field for field, label in importer.FIELD_LABELS.items()}
AS_AT_SOURCE = {
    "title": "the tracker's title",
    "sheet name": "the sheet's name",
    "column heading": "the column headings",
    "given": "the date entered above",
}
CHOOSE = "(choose what it means)"
MEANINGS = {f"{status_text(s)}": s for s in STATUSES}  # "✖ R Off track" -> "red"
# The user's choices that outlive one run (everything else is a widget's own state).
GENERATION, COLUMNS, CODES, TERMS, DONE, CONFIRM = (
    "upload_generation",
    "upload_columns",
    "upload_codes",
    "upload_terms",
    "upload_done",
    "upload_confirm",
)


@st.cache_resource(scope="session", max_entries=4, show_spinner=False)
def read(
    data: bytes, filename: str, mapping: str, codes: str, terms: str, as_at: dt.date | None
) -> importer.ParsedFile | str:
    """The tracker read once per file, mapping and date in this session (the refusal, if any), in
    a child process with a memory and a time limit (importer.read_tracker_bounded)."""
    try:
        return importer.read_tracker_bounded(
            data,
            filename,
            mapping=json.loads(mapping) or None,
            status_mapping=json.loads(codes) or None,
            term_dates=json.loads(terms) or None,
            as_at=as_at,
            limits=LIMITS,
        )
    except importer.ImportRefused as refused:
        return str(refused)


@st.cache_resource(scope="session", max_entries=4, show_spinner=False)
def preview_of(_parsed, read_key: tuple, plan_names: tuple, new_plan: bool, data_version: str) -> importer.Preview:
    """The preview once per reading, plans and data version: it matches every row by text."""
    return importer.preview(cached_reads.get_engine(), _parsed, plan_names=list(plan_names), new_plan=new_plan)


def show_done() -> None:
    done = st.session_state.pop(DONE, None)
    if done:
        st.success(md(done["message"]))
        st.page_link(
            "pages/overview.py",
            label="Open the overview of the new review",
            icon=":material/dashboard:",
            query_params={"plan": str(done["plan_id"]), "review": str(done["review_id"])},
        )


def start_again() -> None:
    """Cancel, or after an import: an empty uploader and no choices left over."""
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    for key in (COLUMNS, CODES, TERMS, CONFIRM, "round_fed"):
        st.session_state.pop(key, None)


# ---------------------------------------------------------------------------
# The preview, and the user's choices on it
# ---------------------------------------------------------------------------


def show_status_codes(parsed: importer.ParsedFile) -> None:
    """Codes and progress words: what each means (a key in the file, or the user), in a form."""
    codes = parsed.coded_statuses
    if not codes:
        return
    unmapped = parsed.unmapped_statuses
    with st.container(border=True):
        st.subheader("Status codes")
        if unmapped:
            st.warning(
                md(
                    f"The status column holds {plural(len(unmapped), 'value')} that are not Blue, Green, Amber or "
                    "Red, and no key in the file says what they mean. Choose what each one means: nothing is "
                    "guessed, and the plan remembers your choice for its next upload."
                )
            )
        options = [CHOOSE, *MEANINGS]
        with st.form("status_codes"):
            chosen = {}
            for code in codes:
                known = next((label for label, s in MEANINGS.items() if s == code.status), CHOOSE)
                where = f" (from {code.source})" if code.source else ""
                chosen[code.value] = st.selectbox(
                    md(f"“{code.value}” — {plural(code.count, 'action')}{where} means"),
                    options,
                    index=options.index(known),
                    key=f"code_{code.value}",
                )
            if st.form_submit_button("Apply these status meanings"):
                st.session_state[CODES] = {
                    **st.session_state.get(CODES, {}),
                    **{value: MEANINGS[label] for value, label in chosen.items() if label != CHOOSE},
                }
                st.rerun()


def show_term_dates(parsed: importer.ParsedFile) -> None:
    """School terms in the timescales ("Summer term"): the day each ends for this plan, in a form
    (remembered for the plan). Without one a term is undated, never guessed."""
    if not parsed.school_terms:
        return
    known = parsed.term_dates or {}
    with st.container(border=True):
        st.subheader("School term dates")
        undated = [t for t in parsed.school_terms if t not in known]
        if undated:
            st.warning(
                md(
                    f"Timescales name the {' and '.join(undated)} term{'s' if len(undated) > 1 else ''}, which "
                    "have no set date, so those actions are undated and never counted overdue. Give the day "
                    "each term ends for this plan: the plan remembers it for its next upload."
                )
            )
        with st.form("term_dates"):
            given = {
                term: st.text_input(
                    f"The {term} term ends on (day/month, e.g. 31/07)",
                    value=long_day(known.get(term)),
                    key=f"term_{term}",
                )
                for term in parsed.school_terms
            }
            if st.form_submit_button("Apply these term dates"):
                stored = {term: term_date_from_person(text) for term, text in given.items() if text.strip()}
                bad = [term for term, value in stored.items() if value is None]
                if bad:
                    st.error(md(f"The {', '.join(bad)} term date is not a day of the year (write it as 31/07)."))
                else:
                    st.session_state[TERMS] = {**st.session_state.get(TERMS, {}), **stored}
                    st.rerun()


def long_day(stored: str | None) -> str:
    """A stored term date ("07-31") as a person reads it ("31/07")."""
    when = term_date(stored)
    return f"{when[1]:02d}/{when[0]:02d}" if when else ""


def show_columns(parsed: importer.ParsedFile, file_id: str) -> None:
    """How the headings were understood; a form to correct them (remembered for the plan)."""
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
                "Not recognised (ignored unless you choose what they hold): "
                + ", ".join(f"'{md(h)}'" for h in unrecognised)
            )
        options = [*importer.FIELD_LABELS.values(), IGNORE_LABEL]
        with st.form("columns"):
            chosen = {}
            # One labelled dropdown per column: keyboard- and screen-reader-friendly.
            for number, (header, means) in enumerate(columns.items(), start=1):
                chosen[header] = st.selectbox(
                    f"Column {number}: “{md(header)}” holds",
                    options,
                    index=options.index(means),
                    key=f"map_{number}_{file_id}",
                )
            if st.form_submit_button(
                "Apply these column choices", help="Read the tracker again with these choices. The plan remembers them."
            ):
                st.session_state[COLUMNS] = {
                    **st.session_state.get(COLUMNS, {}),
                    **{
                        header: LABEL_TO_FIELD.get(means, importer.IGNORE)
                        for header, means in chosen.items()
                        if columns[header] != means
                    },
                }
                st.rerun()


def ask_status_column(pv: importer.Preview) -> None:
    """No figure without a status: when no column was recognised as the status, ask which one holds
    it (a column mapping to the status, remembered for the plan like any other)."""
    for review in pv.reviews:
        if "status" in review.column_map.values():
            continue
        options = review.status_candidates or list(review.unrecognised_columns)
        if not options:
            continue
        where = f" (sheet '{review.sheet}')" if review.sheet else ""
        with st.form(f"status_column_{review.index}"):
            chosen = st.selectbox(
                md(f"Which column holds the status?{where}"),
                options,
                help="No column was recognised as the status. The plan remembers your choice.",
            )
            if st.form_submit_button("Use this column as the status"):
                st.session_state[COLUMNS] = {**st.session_state.get(COLUMNS, {}), chosen: "status"}
                st.rerun()


def show_assumptions(pv: importer.Preview) -> None:
    """Sheets skipped, and what the importer decided that the file does not state outright."""
    if pv.assumptions:
        with st.container(border=True):
            st.markdown("**Assumed** (not stated in the file — check these)")
            for line in pv.assumptions:
                st.markdown(md(f"- {line}"))


def show_review(review: importer.ReviewPreview, file_id: str, several_plans: bool) -> dict:
    """One review's preview; returns the user's choices for it."""
    choices = {"accepted": [], "replace": False, "leave_out": False}
    where = f"sheet '{review.sheet}' — " if review.sheet else ""
    with st.container(border=True):
        if review.as_at:
            source = AS_AT_SOURCE.get(review.as_at_source, review.as_at_source)
            st.subheader(md(f"{where}{review.label}, as at {long_date(review.as_at)} (from {source})"))
        else:
            st.subheader(md(f"{where}review date needed"))
            st.error("This review has no 'as at' date. Enter the review date above.")
        if several_plans:
            st.caption(md(f"Plan: {review.plan_name}"))
        if review.unchanged:
            st.info(
                f"Already stored: the plan has this review as at {long_date(review.as_at)} with exactly this content "
                f"(review {review.same_content_review_id}). It is left as it is."
            )
            return choices
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
        if review.signoff or review.date_changes:  # the board's decisions (issue 25)
            signoff, changes = review.signoff, review.date_changes
            st.caption(
                f"Sign-off: {signoff.get('signed_off', 0)} signed off, {signoff.get('awaiting', 0)} complete and "
                f"awaiting sign-off. Due date changes: {changes.get('approved', 0)} approved, "
                f"{changes.get('not_approved', 0)} not approved."
            )
        if review.statuses_from_colour:
            st.info(f"{review.statuses_from_colour} statuses were read from the cell colour (the cell had no text).")
        if review.hidden_rows:
            st.info(
                f"{plural(review.hidden_rows, 'action')} {'is' if review.hidden_rows == 1 else 'are'} on rows hidden "
                "or filtered out in the file; they are imported like the others."
            )
        if review.conditional_format_warning:
            st.warning(md(review.conditional_format_warning))
        st.caption(
            md(f"Compared with the plan's previous review: {review.previous_review}")
            if review.previous_review
            else "This will be the plan's first review."
        )
        if review.previous_review:
            show_changes(review)
        if review.proposals:
            st.markdown(
                "**Same action as before?** These rows have no action ID; their text resembles an "
                "action of the previous review. Untick any that are really new actions."
            )
            for proposal in review.proposals:
                same = st.checkbox(
                    md(
                        f"Rec {proposal.rec_ref}: “{proposal.new_description}” is the same action as "
                        f"“{proposal.existing_description}” ({proposal.score:.0f}% similar)"
                    ),
                    value=proposal.score >= importer.LIKELY_SAME,
                    key=f"match_{review.index}_{proposal.row_index}_{file_id}",
                )
                if same:
                    choices["accepted"].append(proposal)
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
        if review.needs_replace_choice:
            choices["replace"] = st.checkbox(
                f"Replace the plan's existing review as at {long_date(review.as_at)} (review "
                f"{review.same_date_review_id}). The replaced version is kept (hidden, not deleted) and can be "
                "restored.",
                key=f"replace_{review.index}_{file_id}",
            )
        choices["leave_out"] = st.checkbox(
            "Leave this review out of the import", key=f"leave_{review.index}_{file_id}", value=False
        )
    return choices


CHANGE_COLUMNS = [
    Column("action", "Action"),
    Column("what", "What changed"),
    Column("before", "Previous review"),
    Column("now", "This review"),
]


BETTER_CHOICES = {
    "higher": "Higher is better",
    "lower": "Lower is better",
    importer.LEAVE_OUT: "Leave this measure out",
}


def ask_directions(pv: importer.Preview, file_id: str) -> dict[str, str]:
    """Which way is better for each measure whose file does not say and the plan has no setting for:
    asked, never guessed (no choice is made for the user; Import waits for every answer). The
    answers are remembered as the plan's settings (Plan settings lists them)."""
    answers: dict[str, str] = {}
    for i, m in enumerate(importer.unknown_direction(pv.measures)):
        where = f" (sheet '{m.sheet}', row {m.row})" if m.sheet and m.row else ""
        chosen = st.radio(
            md(f"Which way is better for '{m.name}'?{where}"),
            list(BETTER_CHOICES),
            format_func=BETTER_CHOICES.get,
            index=None,
            horizontal=True,
            key=f"better_{i}_{file_id}",
            help="The file does not say. The plan remembers your answer for this measure.",
        )
        if chosen is not None:
            answers[m.name] = chosen
    return answers


def show_measures(pv: importer.Preview, file_id: str) -> dict[str, str]:
    """The file's measures of success: what will be written, a question for each measure whose
    direction is not known (ask_directions), the problems, and the stored values this file corrects
    (the earlier values are kept). Returns the answers, for commit."""
    if not pv.measures and not pv.measure_problems:
        return {}
    asked = {(m.sheet, m.row) for m in importer.unknown_direction(pv.measures)}
    st.subheader("Measures of success", anchor=False)
    answers = ask_directions(pv, file_id)
    chosen = [(m, m.better or answers.get(m.name)) for m in pv.measures]
    kept = [(m, better) for m, better in chosen if better in measure_rules.DIRECTIONS]
    st.markdown(f"**{len(kept)} to import**")
    if kept:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Measure": m.name,
                        "Unit": m.unit,
                        "Better": better,
                        "Recommendations": ", ".join(m.recommendations),
                        "Periods": len(m.points),
                        "From": m.points[0].period_end if m.points else None,
                        "To": m.points[-1].period_end if m.points else None,
                    }
                    for m, better in kept
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    problems = [
        p for p in pv.measure_problems if not ((p.sheet, p.row) in asked and "which way is better" in p.message)
    ]
    if problems:
        with st.expander(f"Measure problems to check ({len(problems)})", expanded=True):
            st.dataframe(
                pd.DataFrame(
                    [
                        {"Sheet": p.sheet or "", "Row": p.row, "Column": p.column or "", "Problem": p.message}
                        for p in problems
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
    if pv.measure_corrections:
        with st.expander(f"Corrections to stored values ({len(pv.measure_corrections)}); the earlier values are kept"):
            st.dataframe(pd.DataFrame({"Correction": pv.measure_corrections}), hide_index=True, width="stretch")
    return answers


def show_changes(review: importer.ReviewPreview) -> None:
    """What changed since the previous review, action by action (data_access.importer's list),
    as a table; tracker text escaped by html_tables."""
    changes = review.changes
    with st.expander(f"What changed since the previous review ({len(changes)})", expanded=len(changes) <= 25):
        show_table(
            pd.DataFrame(changes, columns=["action", "what", "before", "now"]),
            CHANGE_COLUMNS,
            "Changes since the previous review: status, due date, progress note, actions added and removed",
            empty="No action changed its status, due date or note, and none was added or removed.",
        )
        if review.without_note:
            are = "has" if review.without_note == 1 else "have"
            st.caption(
                f"{plural(review.without_note, 'action')} {are} no progress note in this review: "
                "they count as not updated."
            )


def close_confirm() -> None:
    st.session_state.pop(CONFIRM, None)


@st.dialog("Replace stored reviews?", on_dismiss=close_confirm)
def confirm_replace(replacing: list[importer.ReviewPreview], do_import) -> None:
    st.write(
        f"Importing replaces {plural(len(replacing), 'stored review')}. Each replaced version is kept (hidden, "
        "not deleted) and can be restored from the plan's import history."
    )
    for review in replacing:
        st.markdown(md(f"- {review.describe()} replaces the review of that date stored now"))
    yes, no = st.columns(2)
    if yes.button("Replace and import", type="primary", width="stretch"):
        close_confirm()
        do_import()
    if no.button("Go back", width="stretch"):
        close_confirm()
        st.rerun()


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------

view = routing.page_view(permissions.EDITOR)
engine = cached_reads.engine_or_stop()
st.title("Upload a tracker")
st.markdown(
    "Upload the Excel, OpenDocument or CSV tracker you already keep. You will see a **preview** of what it "
    "contains — and every problem found — before anything is saved. Each upload adds a new dated "
    "review; earlier reviews are never overwritten."
)
show_done()

# --- 1. where it goes, and the file ---------------------------------------------------------
plans = cached_reads.query(catalogue.list_plans)
names = list(plans["name"])
left, right = st.columns([3, 2])
target = left.selectbox(
    "Import into",
    [*names, NEW_PLAN],
    index=names.index(view.plan_name) if view.plan_name in names else 0,
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
server_warning = upload_safety.server_limit_warning(st.get_option("server.maxUploadSize"), LIMITS)
if server_warning and auth.is_admin():
    st.warning(server_warning)  # for whoever runs the app (admins): the server's limit is above the board's
upload = st.file_uploader(
    "Tracker file (.xlsx, .xlsm, .xls, .ods or .csv) or a Word action plan (.docx)",
    key=f"tracker_file_{st.session_state.get(GENERATION, 0)}",
    max_upload_size=upload_safety.upload_limit_mb(LIMITS),
)
if upload is None:
    st.caption(f"Limits: {LIMITS.max_bytes // importer.parsed.MB} MB and {LIMITS.max_rows:,} rows per sheet.")
    if target != NEW_PLAN:
        import_history.show_import_history(engine, int(plans.set_index("name").loc[target, "id"]))
    st.stop()

# --- 2. read (cached for the session) --------------------------------------------------------
plan_name = target if target != NEW_PLAN else new_plan_name
mapping = {**((importer.remembered_mapping(engine, plan_name) if plan_name else None) or {})}
mapping.update(st.session_state.get(COLUMNS, {}))
codes = {**((importer.remembered_status_mapping(engine, plan_name) if plan_name else None) or {})}
codes.update(st.session_state.get(CODES, {}))
terms = {**((importer.remembered_term_dates(engine, plan_name) if plan_name else None) or {})}
terms.update(st.session_state.get(TERMS, {}))
read_key = (
    upload.file_id,
    json.dumps(mapping, sort_keys=True),
    json.dumps(codes, sort_keys=True),
    json.dumps(terms, sort_keys=True),
    as_at_given,
)
with st.spinner("Reading the tracker…"):
    parsed = read(upload.getvalue(), upload.name, *read_key[1:])
if isinstance(parsed, str):
    st.error(md(parsed))
    st.stop()

several = len(parsed.plans) > 1
if not several and plan_name is None and importer.default_plan_name(parsed) is None:
    # The file does not name its plan (no title, or a title that is only a review date): ask, never
    # guess, so two councils' trackers headed "Position as at 30 June 2018" never become one plan.
    plan_name = (
        st.text_input(
            md(
                f"{parsed.filename} does not say which plan it is (its title is only a review date, or it has "
                "none): name of the new plan"
            ),
            value=importer.suggested_plan_name(parsed.filename),
            max_chars=200,
            key=f"plan_name_asked_{upload.file_id}",
            help="Suggested from the file's name without its date. To add this tracker to a plan you already "
            "have, choose that plan under 'Import into' instead.",
        ).strip()
        or None
    )
    if plan_name is None:
        st.info("Give the plan's name to see the preview.")
        st.stop()

# Several plans in one workbook: each is named from its title or sheet, and can be left out.
plan_names: list[str] = [plan_name or importer.default_plan_name(parsed)]
left_out_plans: set[int] = set()
if several:
    st.info(
        md(
            f"{parsed.filename} holds {len(parsed.plans)} plans with different recommendations. Each is imported "
            "into its own plan: check the names (an existing plan's name adds to that plan)."
        )
    )
    plan_names = []
    for number, found in enumerate(parsed.plans):
        name_col, use_col = st.columns([3, 1])
        plan_names.append(
            name_col.text_input(
                md(f"Plan {number + 1} (sheets {', '.join(found.sheets)})"),
                value=found.title,
                max_chars=200,
                key=f"plan_name_{number}_{upload.file_id}",
            ).strip()
            or found.title
        )
        if not use_col.checkbox("Import this plan", value=True, key=f"plan_use_{number}_{upload.file_id}"):
            left_out_plans.add(number)
pv: importer.Preview = preview_of(
    parsed, read_key, tuple(plan_names), target == NEW_PLAN and not several, cached_reads.data_version()
)

# --- 3. the preview -------------------------------------------------------------------------
st.header("Preview — nothing has been saved yet")
if not several:
    st.write(md(f"{parsed.filename} → plan {pv.plan_name}") + ("" if pv.plan_exists else " (new plan)"))
for problem in pv.problems:
    st.warning(md(f"{problem.where()}: {problem.message}" if problem.where() else problem.message))
for skipped in pv.skipped_sheets:
    st.caption(md(f"Sheet '{skipped.sheet}' was skipped: {skipped.reason}."))
ask_status_column(pv)
show_status_codes(parsed)
show_term_dates(parsed)

accepted: list[importer.MatchProposal] = []
replace: list[int] = []
leave_out: list[int] = [r.index for r in pv.reviews if parsed.reviews[r.index].plan_index in left_out_plans]
for review in pv.reviews:
    if review.index in leave_out:
        continue
    chosen = show_review(review, upload.file_id, several)
    accepted += chosen["accepted"]
    if chosen["replace"]:
        replace.append(review.index)
    if chosen["leave_out"]:
        leave_out.append(review.index)
show_columns(parsed, upload.file_id)
show_assumptions(pv)
directions = show_measures(pv, upload.file_id)


# --- 3b. a tracker for an open update round's date feeds the round (issue 26) ----------------
FED = "round_fed"  # session key: the last feed's result, with its conflicts to choose on (start_again clears it)


def show_round_feed() -> None:
    """When the plan has an update round open for this review's date: feed the round instead (the
    tracker's changes become the uploader's updates), and choose on each conflict with an update
    already made in the app, shown side by side."""
    found = update_rounds.round_for_upload(engine, pv)
    fed = st.session_state.get(FED)
    if found is None and fed is None:
        return
    st.header("Update round")
    if found is not None:
        _, review = found
        st.info(
            md(
                f"{pv.plan_name} has an update round open for the review of {long_date(review.as_at)}. "
                "Feed the round with this tracker: its changes become your updates, and where someone has "
                "already updated an action in the app you choose which to keep. (Import makes a review now instead.)"
            )
        )
        if st.button("Feed the update round", key="feed_round"):
            try:
                st.session_state[FED] = update_rounds.feed_preview(
                    engine, review, file_name=parsed.filename, person=auth.current_person()
                )
            except RoundRefused as refused:
                st.error(md(str(refused)))
            else:
                cached_reads.data_changed()
                st.rerun()
    if fed is None:
        return
    st.success(
        md(
            f"Fed the round: {plural(len(fed.applied), 'action')} updated from the tracker, {fed.unchanged} unchanged, "
            f"{len(fed.not_in_plan)} rows not in the plan, {plural(len(fed.conflicts), 'conflict')} to choose on."
        )
    )
    keep = []
    for number, conflict in enumerate(fed.conflicts):
        with st.container(border=True):
            st.markdown(md(f"{conflict.key}: updated in the app by {conflict.in_app.updated_by}"))
            left, right = st.columns(2)
            left.markdown("**In the app**  \n" + "  \n".join(_update_lines(conflict.in_app.fields)))
            right.markdown("**In the tracker**  \n" + "  \n".join(_update_lines(conflict.tracker)))
            if (
                st.radio(
                    md(f"Keep for {conflict.key}"), ["The app's update", "The tracker's"], key=f"conflict_{number}"
                )
                == "The tracker's"
            ):
                keep.append(conflict)
    if fed.conflicts and st.button("Save these choices", key="resolve_round"):
        try:
            written = update_rounds.resolve_conflicts(
                engine, plan_name=pv.plan_name, keep_tracker=keep, person=auth.current_person()
            )
        except RoundRefused as refused:
            st.error(md(str(refused)))
        else:
            st.session_state.pop(FED, None)
            cached_reads.data_changed()
            st.success(
                md(f"Kept the tracker's update for {plural(len(written), 'action')}; the others stay as in the app.")
            )


def _update_lines(fields) -> list[str]:
    return [
        f"**{FIELD_WORDS[name]}:** {md(status_text(value) if name == 'status' else value)}"
        for name in UPDATE_FIELDS
        if (value := getattr(fields, name)) is not None
    ]


show_round_feed()


# --- 4. import or cancel ----------------------------------------------------------------------
def do_import() -> None:
    bar = st.progress(0.0, text="Writing…")
    try:
        done = importer.commit(
            engine,
            pv,
            accepted_matches=accepted,
            replace=replace,
            leave_out=leave_out,
            imported_by=auth.current_user(),
            measure_directions=directions,
            progress=lambda phase, f: bar.progress(min(max(f, 0.0), 1.0), text=f"{phase.capitalize()}…"),
        )
    except importer.ImportRefused as refused:
        bar.empty()
        st.error(md(str(refused)))
        st.stop()
    cached_reads.data_changed()
    start_again()
    # The sidebar (and the URL) move to the review just imported.
    url_state.open_on_next_run({"plan": str(done.plan_ids[-1]), "review": str(done.review_ids[-1])})
    st.session_state[DONE] = {
        "plan_id": done.plan_ids[-1],
        "review_id": done.review_ids[-1],
        "message": done.message(parsed.filename),
    }
    st.rerun()


blockers = importer.blockers(pv, replace=replace, leave_out=leave_out, measure_directions=directions)
import_col, cancel_col, _ = st.columns([1, 1, 4])
cancel_col.button("Cancel", width="stretch", on_click=start_again)
if import_col.button(
    "Import", type="primary", disabled=bool(blockers), width="stretch", help=md(blockers[0]) if blockers else None
):
    if replace:
        st.session_state[CONFIRM] = True
    else:
        do_import()
if blockers:  # a disabled Import always says why
    st.error(md("Import is not available yet: " + " ".join(blockers)))
if st.session_state.get(CONFIRM):
    confirm_replace([r for r in pv.reviews if r.index in replace], do_import)
