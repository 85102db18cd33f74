"""Improvement Board — the entrypoint only routes: page config, data source, navigation.

Pages live in pages/ (thin: read the view, call data_access, draw); the shared frame is in
pages/ui/ (routing.py, controls.py, url_state.py, database.py). Stable URLs: / (overview),
/overview, /recommendations, /overdue, /actions, /action, /trends, /board-pack, /portfolio, /upload,
/audit, /settings, /my-actions, /update-round.
Each page checks its own role (routing.page_view); `routing.menu(role)` only hides the links a
person's role cannot use.
"""

import streamlit as st

from data_access.domain.permissions import ADMIN, EDITOR
from pages.ui import routing

routing.frame()  # page config, sign-in, database (migrated, seeded when empty), controls kept in the URL

# One flat list, not sections: with sections Streamlit puts the headings as <p> directly inside
# the nav's <ul>, which axe reports as a serious accessibility violation (WCAG 1.3.1).
OVERVIEW = st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview")
PAGES = [
    OVERVIEW,  # before the front door: a link to pages/overview.py opens /overview
    # / runs the overview in the same run (Streamlit serves a default page at / only, never at its own path).
    routing.front_door(OVERVIEW),
    st.Page(
        "pages/recommendations.py", title="Recommendations", icon=":material/checklist:", url_path="recommendations"
    ),
    st.Page("pages/overdue.py", title="Overdue actions", icon=":material/schedule:", url_path="overdue"),
    st.Page("pages/actions.py", title="All actions", icon=":material/table_rows:", url_path="actions"),
    st.Page(
        "pages/action.py", title="Action history", icon=":material/history:", url_path="action", visibility="hidden"
    ),  # opened from a link, with ?action=<id>
    st.Page("pages/trends.py", title="Trends", icon=":material/trending_up:", url_path="trends"),
    st.Page("pages/sign_off.py", title="For sign-off", icon=":material/task_alt:", url_path="sign-off"),
    st.Page("pages/board-pack.py", title="Board pack", icon=":material/picture_as_pdf:", url_path="board-pack"),
    st.Page("pages/portfolio.py", title="Portfolio", icon=":material/view_list:", url_path="portfolio"),
    st.Page("pages/my_actions.py", title="My actions", icon=":material/edit_note:", url_path="my-actions"),
    st.Page(
        "pages/update_round.py",
        title="Update round",
        icon=":material/forum:",
        url_path="update-round",
        visibility=routing.menu(EDITOR),
    ),
    st.Page(
        "pages/upload.py",
        title="Upload a tracker",
        icon=":material/upload_file:",
        url_path="upload",
        visibility=routing.menu(EDITOR),
    ),
    st.Page(
        "pages/audit.py",
        title="Audit trail",
        icon=":material/policy:",
        url_path="audit",
        visibility=routing.menu(ADMIN),
    ),
    st.Page(
        "pages/plan_settings.py",
        title="Plan settings",
        icon=":material/settings:",
        url_path="settings",
        visibility=routing.menu(EDITOR),  # report details: editors; rename, archive, delete: admins
    ),
]

# expanded: every page is listed; collapsed, Streamlit hides all but the first ten behind "View more".
routing.run(st.navigation(PAGES, expanded=True))
