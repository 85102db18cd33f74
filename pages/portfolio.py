"""Portfolio (/portfolio): every plan side by side — its latest review's headline figures with their
change, RAG mix and direction of travel — and the portfolio pack of all plans. Overdue is counted
as at the sidebar's date for every plan. Thin: the figures come from data_access.papers.content."""

import pandas as pd
import streamlit as st

from data_access import papers
from data_access.domain import movement_rules
from data_access.domain.rules import STATUSES
from data_access.domain.wording import long_date
from data_access.papers import content, pdf_pack
from pages.ui import cached_reads, downloads, plain, rag, routing
from pages.ui.html_tables import Column, show_table

view = routing.page_view()
st.title("Portfolio")
try:
    portfolio = cached_reads.query(content.portfolio_content, view.as_of)
except papers.PaperError as problem:
    st.info(str(problem))
    st.stop()

st.caption(
    f"Every action plan at its latest review, compared with the review before it (changes in brackets). "
    f"Overdue counted as at {long_date(view.as_of)} for every plan (the sidebar's 'Overdue as at')."
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

left, right, _ = st.columns([1, 1, 2])
for column, fmt in ((left, "pdf"), (right, "xlsx")):
    downloads.paper_button(
        papers.PaperRequest(fmt, None, as_of=view.as_of),
        "Portfolio pack (PDF)" if fmt == "pdf" else "Portfolio figures (Excel)",
        papers.filename(fmt, None, None, view.as_of),
        key=f"portfolio_{fmt}",
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
