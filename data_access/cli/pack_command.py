"""`pack`: the meeting's papers from the command line (for scheduled packs) — the same code path
as the Board pack page (data_access.papers.make_paper), recorded in the audit trail."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import secrets
from pathlib import Path

from data_access.cli.entry import CommandError, add_db_option, iso_date, migrated_database, plan_called
from data_access.papers import formats  # the registry alone: no SQLAlchemy, so --help stays fast


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "pack",
        help=formats.cli_help(),
        description="Write one of the meeting's papers for a plan at a review. --plan all gives the portfolio "
        "pack of every plan (pdf or xlsx). Dates are YYYY-MM-DD; a review may also be named by its label.",
    )
    p.add_argument("--plan", required=True, metavar="NAME", help="the plan's name, or 'all' for the portfolio")
    p.add_argument("--review", metavar="YYYY-MM-DD", help="the review to report (default: the latest)")
    p.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="count overdue as at this date (default: the plan's next board meeting on or after the review, "
        "from its plan settings, else today, London)",
    )
    p.add_argument(
        "--from",
        dest="compare",
        metavar="YYYY-MM-DD",
        help="the earlier review to compare with (default: the one before)",
    )
    p.add_argument(
        "--judge",
        choices=("current", "baseline"),
        default="current",
        help="judge overdue against each action's current approved due date (the default) or its baseline "
        "(original) date, before any change, as the app's 'Judge overdue against' (judge=baseline)",
    )
    p.add_argument("--format", required=True, choices=formats.KEYS, help="what to write")
    p.add_argument("--out", required=True, metavar="PATH", help="the file to write")
    add_db_option(p)
    p.set_defaults(func=run)


def _review_id(engine, plan_id: int, plan_name: str, ref: str, option: str) -> int:
    from data_access.reads import review_lookup

    try:
        return review_lookup.resolve_review(engine, plan_id, ref)
    except review_lookup.TrendsError:
        known = ", ".join(f"{r.label} ({r.as_at.isoformat()})" for r in review_lookup.current_reviews(engine, plan_id))
        raise CommandError(
            f"{option}: plan '{plan_name}' has no review dated or labelled '{ref}' (it has {known or 'none'})."
        ) from None


def _default_as_of(engine, plan_id: int, review_id: int | None) -> dt.date | None:
    """The sidebar's default 'overdue as at' for this review (reads.board_meetings.default_as_of):
    the plan's next board meeting on or after it, else today. None for a plan with no reviews
    (make_paper says so)."""
    from data_access.reads import board_meetings, review_lookup

    reviews = review_lookup.current_reviews(engine, plan_id)
    review = next((r for r in reviews if r.id == review_id), None) if review_id else (reviews[-1] if reviews else None)
    return board_meetings.default_as_of(engine, plan_id, review.as_at) if review else None


def _shown(path: Path) -> str:
    """A path as text that can always be printed (a name that is not UTF-8 shows its bytes escaped)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _check_out(out: Path, fmt: str) -> None:
    """--out names a file we can create: one sentence otherwise (before any database work)."""
    try:
        name_max = os.pathconf(out.parent if str(out.parent) else ".", "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    if len(os.fsencode(out.name)) > name_max:
        raise CommandError(
            f"--out: the file name is {len(os.fsencode(out.name))} bytes long, too long for the file system "
            f"(at most {name_max}); give a shorter name such as pack.{fmt}."
        )
    try:
        if out.is_dir():
            raise CommandError(f"--out '{_shown(out)}' is a folder; give a file name such as pack.{fmt}.")
        if not out.parent.is_dir():
            raise CommandError(f"--out '{_shown(out)}': the folder '{_shown(out.parent)}' does not exist.")
    except OSError as exc:
        raise CommandError(f"--out '{_shown(out)}' cannot be used: {exc.strerror or exc}.") from None


def write_in_place(out: Path, data: bytes) -> None:
    """Write `data` to `out` whole or not at all: into a new temporary file beside it, created with
    O_CREAT|O_EXCL|O_NOFOLLOW under a random name (never an existing file, never through a
    symlink someone planted), then renamed over `out` (a symlink at `out` is replaced, not
    followed)."""
    for _ in range(10):
        partial = out.with_name(f".{out.name[:200]}.{secrets.token_hex(8)}.part")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
        except FileExistsError:
            continue
        break
    else:
        raise FileExistsError(errno.EEXIST, "no unused temporary name beside it")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, out)  # never a half-written file at PATH
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


def run(args) -> int:
    from data_access.papers import PaperError, PaperRequest, make_paper, record_pack
    from data_access.storage import audit_trail

    out = Path(args.out)
    _check_out(out, args.format)
    as_of = iso_date(args.as_of, "--as-of") if args.as_of else None
    with migrated_database(args) as engine:
        plan_id = None
        if args.plan.strip().lower() != "all":
            plan_id = plan_called(engine, args.plan, " (use --plan all for the portfolio)")
        elif args.review or args.compare:
            raise CommandError("--review and --from choose one plan's reviews; the portfolio uses each plan's latest.")
        review_id = _review_id(engine, plan_id, args.plan, args.review, "--review") if args.review else None
        compare_id = _review_id(engine, plan_id, args.plan, args.compare, "--from") if args.compare else None
        if as_of is None and plan_id is not None:
            as_of = _default_as_of(engine, plan_id, review_id)
        request = PaperRequest(args.format, plan_id, review_id, as_of, compare_id, baseline=args.judge == "baseline")
        try:
            paper = make_paper(engine, request)
        except PaperError as exc:
            raise CommandError(str(exc)) from None
        try:
            write_in_place(out, paper.data)
        except OSError as exc:
            raise CommandError(f"--out '{_shown(out)}' could not be written: {exc.strerror or exc}.") from None
        record_pack(engine, paper, request, audit_trail.COMMAND_LINE)
        print(f"Wrote {_shown(out)} ({len(paper.data):,} bytes): {paper.filename}")
        return 0
