"""One app process, warm before it is healthy: `python deploy/serve.py run app.py --server.port ...`
takes the same arguments as `streamlit run`.

Streamlit imports a page's libraries on the first script run, so the first person to reach a newly
started process waits for them (about 1.4 s of CPU on the 2-core test machine): in a room of fifty
opening the link behind two fresh replicas, half the room queued behind that start-up on one of
them (bench/bench_crowd.py). This imports the board's modules and builds one chart before the
server starts answering, so the health check (`/_stcore/health`) only passes once the process is
warm. It runs no script and opens no session, so it works the same with sign-in required.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# What every board page's first run imports (pages/ui imports the rest of data_access it needs).
MODULES = (
    "pandas",
    "sqlalchemy",
    "plotly.graph_objects",
    "alembic.script",  # the migration check every process makes once (data_access.storage.database.is_at_head)
    "alembic.runtime.migration",
    "data_access.storage.database",
    "data_access.importer.sample_seed",
    "data_access.reads.board",
    "data_access.reads.catalogue",
    "data_access.reads.review_figures",
    "data_access.reads.movements",
    "data_access.reads.review_summary",
    "data_access.reads.status_mix",
    "data_access.reads.completion_forecast",
    "data_access.reads.stale_notes",
    "data_access.reads.direction_of_travel",
    "pages.ui.cached_reads",
    "pages.ui.routing",
    "pages.ui.rag",
    "pages.ui.html_tables",
    "pages.ui.deck",
    "pages.ui.downloads",
)


def warm() -> None:
    """Import the board's modules, and build and serialise one small chart of each kind the first
    page draws (Plotly imports its classes and validators on first use, and a room of sessions
    arriving together would otherwise wait on each other's imports): a bar, and the board's RAG
    chart with its template (pages.ui.rag)."""
    sys.path.insert(0, str(ROOT))
    for name in MODULES:
        importlib.import_module(name)
    import pandas as pd
    import plotly.graph_objects as go

    from data_access.domain.rules import STATUSES
    from pages.ui import rag

    go.Figure(go.Bar(x=[1], y=["warm"], orientation="h")).update_layout(title="warm").to_plotly_json()
    rag.stacked_status_bars(pd.DataFrame({"label": ["warm"], **{s: [1] for s in STATUSES}}), "label").to_plotly_json()


def main() -> int:
    warm()
    from streamlit.web import cli

    return cli.main(prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main())
