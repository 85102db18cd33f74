"""`import`: add trackers to the database as reviews (the same code path as the upload page).

    python -m data_access import PATH [PATH ...] [--plan NAME] [--sheet NAME] [--as-at YYYY-MM-DD]
        [--as-of YYYY-MM-DD] [--status-map "1=red,2=amber,..."] [--db URL] [--dry-run] [--json]
        [--accept-matches] [--replace] [--status-column NAME] [--term-dates "summer=31/07,..."]

Each file is its own transaction: read -> preview -> commit (a dry run commits and rolls back, so
it checks exactly what a real import would). Whatever commit refuses is reported as it says it;
nothing is checked twice here. Exit code 0 when every file imported (or would, with --dry-run),
2 when any file was refused. With --json, exactly one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from data_access.cli import terminal_text  # not audit_trail: it loads SQLAlchemy (see import_one)
from data_access.cli.entry import add_db_option
from data_access.config import environment
from data_access.domain.rules import STATUS_STYLE, STATUSES, status_meaning


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "import", help="import trackers (.xlsx, .xls, .ods, .csv) or Word action plans (.docx) as reviews of a plan"
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="tracker files")
    p.add_argument(
        "--plan",
        metavar="NAME",
        help="plan to import into, created when absent (default: the plan the file names; "
        "a file that names none needs it)",
    )
    p.add_argument("--sheet", metavar="NAME", help="import only this sheet's table (for a workbook of several plans)")
    p.add_argument("--as-at", type=_date, metavar="YYYY-MM-DD", help="review date when the file does not say")
    p.add_argument(
        "--as-of",
        type=_date,
        metavar="YYYY-MM-DD",
        help="count overdue actions as at this date (default: each review's as-at date)",
    )
    p.add_argument(
        "--status-map",
        type=_status_map,
        metavar='"1=red,2=amber,..."',
        help="what the tracker's status codes or progress words mean, when the file has no key "
        "(each one of complete, green, amber, red, unknown); remembered for the plan",
    )
    p.add_argument(
        "--term-dates",
        type=_term_dates,
        metavar='"summer=31/07,autumn=20/12,spring=31/03"',
        help="the day each school term ends for this plan, so a timescale such as 'Summer term' is dated "
        "(day/month); remembered for the plan",
    )
    p.add_argument(
        "--status-column",
        metavar="NAME",
        help="the column (its heading as written) that holds the status, when none is recognised; "
        "remembered for the plan",
    )
    add_db_option(p)
    p.add_argument("--dry-run", action="store_true", help="check and summarise only (commit, then roll back)")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.add_argument(
        "--accept-matches",
        action="store_true",
        help="accept every proposed text match between actions without IDs and the previous review",
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace the plan's review with the same as-at date (the old one is kept, marked replaced)",
    )
    p.add_argument(
        "--better",
        type=_better_map,
        metavar='"NAME=lower,..."',
        help="which way is better (higher or lower) for measures of success whose file does not say "
        "(else the plan's setting; never guessed)",
    )
    p.add_argument("--max-mb", type=_megabytes, help="file size limit in MB (default: BOARD_MAX_UPLOAD_MB, else 20)")
    p.add_argument("--max-rows", type=int, help="row limit per sheet (default: BOARD_MAX_ROWS, else 100000)")
    p.set_defaults(func=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def printable(name: str) -> str:
    """A file name from the command line as text: bytes that are not UTF-8 (which Python keeps as
    lone surrogates) are shown escaped, `bad\\xff.xlsx`, so the name can be printed and stored."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _megabytes(text: str) -> float:
    from data_access.importer.parsed import megabytes

    try:
        megabytes(text, "--max-mb")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--max-mb ").rstrip(".")) from None
    return float(text)


def _status_map(text: str) -> dict[str, str]:
    """'1=red, 2=Amber,In progress=green' -> {'1': 'red', '2': 'amber', 'In progress': 'green'}."""
    out = {}
    for item in text.split(","):
        if not item.strip():
            continue
        value, sep, meaning = item.partition("=")
        status = status_meaning(meaning) if sep else None
        if not value.strip() or status is None:
            raise argparse.ArgumentTypeError(
                f"'{item.strip()}' is not VALUE=STATUS (STATUS one of complete, green, amber, red, unknown)"
            )
        out[value.strip()] = status
    return out


def _term_dates(text: str) -> dict[str, str]:
    """'summer=31/07, autumn=20 December' -> {'summer': '07-31', 'autumn': '12-20'}."""
    from data_access.domain.rules import SCHOOL_TERMS, term_date_from_person

    out = {}
    for item in text.split(","):
        if not item.strip():
            continue
        term, sep, day = item.partition("=")
        term = term.strip().lower().removesuffix(" term").strip()
        stored = term_date_from_person(day) if sep else None
        if term not in SCHOOL_TERMS or stored is None:
            raise argparse.ArgumentTypeError(
                f"'{item.strip()}' is not TERM=DAY/MONTH (TERM one of {', '.join(SCHOOL_TERMS)}; e.g. summer=31/07)"
            )
        out[term] = stored
    return out


def _better_map(text: str) -> dict[str, str]:
    """'Re-referrals=lower, Visits in time=higher' -> {'Re-referrals': 'lower', ...}."""
    from data_access.domain.measure_rules import DIRECTIONS

    out = {}
    for item in text.split(","):
        if not item.strip():
            continue
        name, sep, better = item.rpartition("=")
        if not sep or not name.strip() or better.strip().lower() not in DIRECTIONS:
            raise argparse.ArgumentTypeError(f"'{item.strip()}' is not NAME=higher or NAME=lower")
        out[" ".join(name.split())] = better.strip().lower()
    return out


def _apply_better(pv, given: dict[str, str] | None, name: str) -> None:
    """Directions from --better (which win over the file's), after the plan's settings the preview
    applied; refused (one sentence) when one is still unknown or --better names a measure the file
    does not have."""
    from dataclasses import replace

    from data_access.importer import ImportRefused
    from data_access.importer.parsed import unknown_direction, with_directions

    given = given or {}
    names = {m.name for m in pv.measures}
    unknown = [n for n in given if n not in names]
    if unknown:
        raise ImportRefused(f"{name} has no measure called '{unknown[0]}' (given with --better).")
    stated = [replace(m, better=None) if m.name in given else m for m in pv.measures]
    pv.measures, pv.measure_problems = with_directions(stated, pv.measure_problems, given)
    missing = [m.name for m in unknown_direction(pv.measures)]
    if missing:
        listed = ", ".join(f"'{n}'" for n in missing)
        raise ImportRefused(
            f"{name} does not say which way is better for {listed}, so it is not imported: give it with "
            f'--better "{missing[0]}=lower" (or =higher), or set it in the plan\'s settings.'
        )


def _engine(args):
    """The configured database at its schema head. A dry run commits and rolls back, so it never
    leaves a trace: a database that does not exist yet (or is behind) is used as an empty in-memory
    one instead."""
    from sqlalchemy.engine import make_url

    from data_access.storage.database import database_url, is_at_head, make_engine, upgrade

    url = database_url(args.db)
    if args.dry_run:
        parsed = make_url(url)
        if (
            parsed.get_backend_name() == "sqlite"
            and parsed.database not in (None, "", ":memory:")
            and not Path(parsed.database).is_file()
        ):
            url = "sqlite://"
        else:
            engine = make_engine(url)
            try:
                if is_at_head(engine):
                    return engine
            except Exception:
                pass
            engine.dispose()
            url = "sqlite://"
    if url == "sqlite://":
        from sqlalchemy import create_engine
        from sqlalchemy.pool import StaticPool

        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        engine = make_engine(url)
    upgrade(engine)
    return engine


def _limits(args):
    """BOARD_MAX_UPLOAD_MB / BOARD_MAX_ROWS (one limit for page, server and CLI), or --max-mb and
    --max-rows. Raises ValueError for a limit that is not a number."""
    from data_access.importer.parsed import Limits

    limits = Limits.from_env()
    if args.max_mb is not None or args.max_rows is not None:
        limits = Limits(
            max_bytes=int((args.max_mb or limits.max_bytes / 2**20) * 2**20), max_rows=args.max_rows or limits.max_rows
        )
    return limits


def _read_options(args, mapping: dict, statuses: dict, terms: dict | None = None) -> dict:
    """What a file is read with: a plan's remembered column and status mappings and term dates,
    and the options."""
    if args.status_column:
        mapping = {**mapping, args.status_column: "status"}  # a column mapping, remembered like any other
    options = {
        "mapping": mapping or None,
        "status_mapping": {**statuses, **(args.status_map or {})} or None,
        "sheet": args.sheet,
        "as_at": args.as_at,
    }
    term_dates = {**(terms or {}), **(args.term_dates or {})}
    if term_dates:
        options["term_dates"] = term_dates
    return options


def warm_up(args) -> None:
    """Run by the command line before this command imports SQLAlchemy: start reading the first
    file in the reader process with what the command line says, so that the reading overlaps
    those imports (import_one collects it; a plan's remembered mappings, known only once the
    database is open, make it read afresh). Anything odd is left to import_one to report."""
    from data_access.importer.reading import sandbox

    try:
        limits = _limits(args)
        path = Path(args.paths[0])
        if path.is_file() and path.stat().st_size <= limits.max_bytes:
            sandbox.read_ahead(path.read_bytes(), printable(path.name), limits=limits, **_read_options(args, {}, {}))
            return
    except (OSError, ValueError):
        pass
    sandbox.prestart()


def run(args) -> int:
    from data_access.cli.entry import CommandError

    try:
        limits = _limits(args)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    from data_access.storage.database import DatabaseProblem

    try:
        engine = _engine(args)
    except DatabaseProblem as exc:
        raise CommandError(str(exc)) from None
    except Exception as exc:
        raise CommandError(
            f"cannot open the database: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        ) from None
    results = [import_one(engine, Path(path), args, limits) for path in args.paths]
    engine.dispose()
    if args.json:
        sys.stdout.write(terminal_text.safe_json(json.dumps({"files": results}, indent=2, ensure_ascii=False)) + "\n")
    else:
        for result in results:
            _print_summary(result, args)
    return 2 if any(r["error"] for r in results) else 0


def import_one(engine, path: Path, args, limits) -> dict:
    from data_access.importer import (
        ImportRefused,
        commit,
        preview,
        read_tracker_bounded,
        remembered_mapping,
        remembered_status_mapping,
        remembered_term_dates,
    )
    from data_access.importer.reading.safety import check_size
    from data_access.storage import audit_trail

    # exactly these keys (--json); "assumptions": what was decided that the file does not state outright
    result: dict = {
        "path": printable(str(path)),
        "error": None,
        "reviews": [],
        "skipped_sheets": [],
        "assumptions": [],
        "measures": [],
        "measure_problems": [],
        "measure_corrections": [],
    }
    name = printable(path.name)  # the name the file is read, refused and recorded under
    done = None
    try:
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise ImportRefused(f"{name} is not a file.")
            check_size(name, size, limits)
            data = path.read_bytes()
        except OSError as exc:
            raise ImportRefused(f"{name} cannot be opened ({exc.strerror or type(exc).__name__}).") from None

        def remembered(plan_names: list[str]) -> tuple[dict, dict, dict]:
            mapping, statuses, terms = {}, {}, {}
            for name in plan_names:
                mapping.update(remembered_mapping(engine, name) or {})
                statuses.update(remembered_status_mapping(engine, name) or {})
                terms.update(remembered_term_dates(engine, name) or {})
            return mapping, statuses, terms

        def read(mapping: dict, statuses: dict, terms: dict):
            return read_tracker_bounded(data, name, limits=limits, **_read_options(args, mapping, statuses, terms))

        parsed = read(*remembered([args.plan] if args.plan else []))
        pv = preview(engine, parsed, plan_name=args.plan, as_of=args.as_of, command_line=True)
        if not args.plan and any(
            remembered(found := [n for n, i in zip(pv.plan_names, pv.plan_ids, strict=True) if i])
        ):
            # Plans named from the file: read it again with what those plans remember.
            parsed = read(*remembered(found))
            pv = preview(engine, parsed, as_of=args.as_of, command_line=True)
        result["reviews"] = [_review_json(r) for r in pv.reviews]
        result["skipped_sheets"] = [{"sheet": s.sheet, "reason": s.reason} for s in pv.skipped_sheets]
        result["assumptions"] = list(pv.assumptions)
        if pv.problems and result["reviews"]:
            result["reviews"][0]["problems"][:0] = [_problem_json(p) for p in pv.problems]
        result["measures"] = [_measure_json(m) for m in pv.measures]
        result["measure_problems"] = [_problem_json(p) for p in pv.measure_problems]
        _apply_better(pv, args.better, name)
        result["measures"] = [_measure_json(m) for m in pv.measures]
        result["measure_problems"] = [_problem_json(p) for p in pv.measure_problems]
        result["measure_corrections"] = list(pv.measure_corrections)
        done = commit(
            engine,
            pv,
            replace=args.replace,
            accepted_matches="all" if args.accept_matches else None,
            imported_by=environment.operator(audit_trail.COMMAND_LINE),
            dry_run=args.dry_run,
        )
        result["measure_problems"] += [_problem_json(p) for p in done.measure_problems]
    except ImportRefused as exc:
        result["error"] = str(exc)
    except Exception as exc:  # never a traceback: one sentence naming the file
        result["error"] = f"{name} could not be imported: unexpected {type(exc).__name__}."
    if not args.json:
        result = {**result, "done": done.message(name) if done else None}
    return result


def _problem_json(p) -> dict:
    return {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}


def _measure_json(m) -> dict:
    return {
        "name": m.name,
        "unit": m.unit,
        "better": m.better,
        "recommendations": list(m.recommendations),
        "points": [{"period_end": p.period_end.isoformat(), "value": p.value, "target": p.target} for p in m.points],
    }


def _review_json(r) -> dict:
    return {
        "plan": r.plan_name,
        "sheet": r.sheet,
        "as_at": r.as_at.isoformat() if r.as_at else None,
        "recommendations": r.recommendations,
        "actions": r.actions,
        "status_counts": {k: int(r.status_counts.get(k, 0)) for k in STATUSES},
        "overdue": r.overdue,
        "signoff": {k: int(r.signoff.get(k, 0)) for k in ("signed_off", "awaiting")},
        "date_changes": {k: int(r.date_changes.get(k, 0)) for k in ("approved", "not_approved")},
        "problems": [_problem_json(p) for p in r.problems],
    }


def _print_summary(result: dict, args) -> None:
    """One line per file and review; file names and tracker text through terminal_text.safe."""
    if result["error"]:
        print(f"REFUSED  {terminal_text.safe(result['error'])}")
    else:
        print(f"OK       {terminal_text.safe(result['done'])}")
    for r in result["reviews"]:
        c = r["status_counts"]
        print(
            f"         {r['as_at'] or 'no date'}"
            f"{' sheet ' + terminal_text.safe(repr(r['sheet'])) if r['sheet'] else ''} "
            f"(plan '{terminal_text.safe(r['plan'])}'): "
            f"{r['recommendations']} recommendations, {r['actions']} actions "
            f"({' '.join(f'{STATUS_STYLE[s].letter} {c[s]}' for s in STATUSES)}), "
            f"{r['overdue']} overdue, {len(r['problems'])} problem(s)"
        )
        for p in r["problems"][:5]:
            where = ", ".join(
                x
                for x in (
                    p["sheet"] and f"sheet {p['sheet']}",
                    p["row"] and f"row {p['row']}",
                    p["column"] and f"column {p['column']}",
                )
                if x
            )
            print(f"           - {terminal_text.safe(where + ': ' if where else '')}{terminal_text.safe(p['message'])}")
        if len(r["problems"]) > 5:
            print(f"           - ... and {len(r['problems']) - 5} more (use --json to see all)")
    for s in result["skipped_sheets"]:
        print(f"         skipped sheet {terminal_text.safe(repr(s['sheet']))}: {terminal_text.safe(s['reason'])}")
    if result["assumptions"]:
        print("         assumed (not stated in the file):")
        for line in result["assumptions"]:
            print(f"           - {terminal_text.safe(line)}")
