"""read_tracker: a tracker's bytes -> ParsedFile, in this process. No database: the sandbox's
child process (sandbox.py) imports only this, so it starts fast."""

from __future__ import annotations

import datetime as dt
import hashlib

from data_access.config import environment
from data_access.importer.parsed import ImportRefused, Limits, ParsedFile, Problem, Progress
from data_access.importer.reading.safety import name_of, refuse


def report_progress(progress: Progress | None, phase: str, fraction: float) -> None:
    if progress is not None:
        progress(phase, max(0.0, min(1.0, fraction)))


def read_tracker(
    data: bytes,
    filename: str,
    *,
    mapping: dict[str, str | None] | None = None,
    status_mapping: dict[str, str] | None = None,
    term_dates: dict[str, str] | None = None,
    sheet: str | None = None,
    as_at: dt.date | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> ParsedFile:
    """Parse a tracker's bytes into plans and reviews. Raises ImportRefused (and nothing else) for
    bad input.

    mapping: {column heading: field or "ignore"}; status_mapping: {coded status value: status}
    (the user's, merged over what the plan remembers); term_dates: the plan's school term dates
    ({"summer": "07-31"}); sheet: read only this sheet's table."""
    # Imported here: the database side (preview/commit) uses report_progress without the readers.
    from data_access.domain.clean_text import clean_text
    from data_access.importer.reading.assumptions import school_terms
    from data_access.importer.reading.documents import not_a_tracker
    from data_access.importer.reading.grid import is_blank
    from data_access.importer.reading.header_columns import normalise_mapping
    from data_access.importer.reading.measure_sheets import PercentCells, read_measures
    from data_access.importer.reading.safety import sniff
    from data_access.importer.reading.sheets import build_reviews
    from data_access.importer.reading.status_cells import normalise_user_mapping
    from data_access.importer.reading.word_tables import word_grids
    from data_access.importer.reading.workbook import FillReader, clean_grids, read_grids

    name = name_of(filename)
    limits = limits or Limits()
    try:
        report_progress(progress, "reading", 0.0)
        if (document := not_a_tracker(data, name)) is not None:
            raise ImportRefused(document)
        kind = sniff(data, name, limits)
        sha256 = hashlib.sha256(data).hexdigest()
        word = word_grids(data, name, limits) if kind == "docx" else None  # a Word action plan's tables
        grids = word.grids if word is not None else read_grids(data, kind, name, limits)
        cleaned, renamed = clean_grids(grids)  # one rule for text that enters (domain/clean_text)
        sheet = None if sheet is None else clean_text(sheet)
        report_progress(progress, "reading", 1.0)
        report_progress(progress, "checking", 0.0)
        if not any(any(not is_blank(v) for v in row) for g in grids for row in g.rows):
            raise refuse(name, "is empty: it has no sheets with any data.")
        if sheet is not None and sheet not in [g.name for g in grids]:
            names = ", ".join(f"'{g.name}'" for g in grids if g.name) or "none (it is a CSV file)"
            raise refuse(name, f"has no sheet called '{sheet}'; its sheets are {names}.")
        norm_mapping = normalise_mapping(mapping, name)
        user_statuses = normalise_user_mapping(status_mapping)
        fills = word.fill_reader() if word is not None else FillReader(data, kind, renamed) if kind != "csv" else None
        file_problems: list[Problem] = [p for g in grids for p in g.problems]  # e.g. CSV rows decoded by guess
        file_problems += cleaned
        # Measures of success: their own sheets (or a long CSV), read apart from the action tables.
        measures, measure_problems, measure_sheets = read_measures(grids, name, PercentCells(data, kind, renamed))
        if measures or measure_problems:
            grids = [g for g in grids if g.name not in measure_sheets]
        if not grids and measures:
            report_progress(progress, "checking", 1.0)
            return ParsedFile(name, sha256, kind, [], None, file_problems, mapping, measures=measures,
                              measure_problems=measure_problems)  # fmt: skip
        built = build_reviews(
            grids,
            mapping=norm_mapping,
            status_mapping=user_statuses,
            fills=fills,
            as_at=as_at,
            sheet=sheet,
            file_problems=file_problems,
            term_dates=term_dates or None,
        )
        if not built.header_found and measures:
            report_progress(progress, "checking", 1.0)
            return ParsedFile(name, sha256, kind, [], None, file_problems, mapping, measures=measures,
                              measure_problems=measure_problems)  # fmt: skip
        if not built.header_found:
            raise refuse(
                name,
                "has no recognisable header row: none of the first 30 rows of any sheet names the "
                "tracker's columns (such as Recommendation, Action, Lead, Timescale, RAG).",
            )
        if not built.reviews:
            raise refuse(name, "has a header row but no actions under it.")
        report_progress(progress, "checking", 1.0)
        return ParsedFile(
            name,
            sha256,
            kind,
            built.reviews,
            built.title,
            file_problems,
            mapping,
            plans=built.plans,
            coded_statuses=built.coded,
            status_mapping=user_statuses or None,
            skipped_sheets=built.skipped,
            assumptions=built.assumptions,
            term_dates=term_dates or None,
            school_terms=school_terms(built.reviews),
            measures=measures,
            measure_problems=measure_problems,
        )
    except ImportRefused:
        raise
    except MemoryError:
        raise refuse(name, "is too large to read.") from None
    except RecursionError:
        raise refuse(name, "is too deeply nested to read.") from None
    except Exception as exc:  # never a traceback for a bad file
        if environment.importer_debug():
            raise
        raise refuse(name, f"could not be read ({type(exc).__name__}).") from None
