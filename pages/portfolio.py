"""Portfolio (/portfolio): every plan side by side — its latest review's headline figures with their
change, RAG mix and direction of travel — and the portfolio pack of all plans. Overdue is counted
as at the sidebar's date for every plan. Thin: the figures come from data_access.papers.content."""

import pandas as pd
import streamlit as st

from data_access import papers
from data_access.domain import movement_rules
from data_access.domain.rules import STATUSES
from data_access.domain.wording import judged_note, long_date
from data_access.papers import content, formats, pdf_pack
from pages.ui import auth, cached_reads, downloads, plain, rag, routing
from pages.ui.html_tables import Column, show_table

view = routing.page_view()
st.title("Portfolio")
try:
    portfolio = cached_reads.query(content.portfolio_content, view.as_of, view.baseline)
except papers.PaperError as problem:
    st.info(str(problem))
    st.stop()

st.caption(
    f"Every action plan at its latest review, compared with the review before it (changes in brackets). "
    f"Overdue counted as at {long_date(view.as_of)} for every plan (the sidebar's 'Overdue as at')."
    + judged_note(view.baseline)
)
rows = pd.DataFrame(pdf_pack.portfolio_rows(portfolio), columns=list(pdf_pack.PORTFOLIO_HEADER))
rows["plan_id"] = [line.plan_id for line in portfolio.plans]
show_table(
    rows,
    [
        Column(key, header, link=(lambda r: view.link("overview", plan=int(r["plan_id"]))) if key == "plan" else None)
        for key, header in pdf_pack.PORTFOLIO_HEADER.items()
    ],
    caption=f"Every plan's headline figures, overdue as at {long_date(view.as_of)}",
)
st.caption(movement_rules.DIRECTION_RULE)

offered = [f for f in formats.offered_to(auth.current_role()) if f.portfolio_builder]
for column, paper_format in zip(st.columns([1] * len(offered) + [2])[:-1], offered, strict=True):
    downloads.paper_button(
        papers.PaperRequest(paper_format.key, None, as_of=view.as_of, baseline=view.baseline),
        paper_format.portfolio_label,
        papers.filename(paper_format.key, None, None, view.as_of),
        key=f"portfolio_{paper_format.key}",
        container=column,
    )

st.subheader("Status mix by plan")
shown = portfolio.with_reviews
if shown:
    mix = pd.DataFrame([line.headline.status_counts for line in shown], columns=list(STATUSES))
    mix["plan"] = [plain.chart(line.plan_name) for line in shown]  # tracker text: escaped for Plotly
    st.plotly_chart(
        rag.stacked_status_bars(mix, "plan", font_size=16),
        width="stretch",
        theme=None,
        key="portfolio_mix",
        config={"displayModeBar": False},
    )
    downloads.chart_buttons("portfolio_mix", shown, key="portfolio_chart")
