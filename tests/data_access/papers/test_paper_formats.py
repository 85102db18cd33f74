"""The one registry of paper formats (data_access.papers.formats) is what the command line, the
Board pack page, the Portfolio page and every page's row of downloads offer: these tests fail when
one of them lists a format, a label or a media type of its own."""

from __future__ import annotations

import inspect

import pytest

from data_access.cli.entry import build_parser
from data_access.domain.permissions import ADMIN, EDITOR, VIEWER
from data_access.papers import formats


def _pack_format_action():
    parser = build_parser(["pack"])
    pack = parser._subparsers._group_actions[0].choices["pack"]
    return next(a for a in pack._actions if a.dest == "format")


def test_the_command_line_offers_exactly_the_registry():
    assert tuple(_pack_format_action().choices) == formats.KEYS
    listed = build_parser(["--help"])._subparsers._group_actions[0]._choices_actions
    help_line = next(a.help for a in listed if a.dest == "pack")
    for paper_format in formats.REGISTRY.values():
        assert f"({paper_format.key})" in help_line


@pytest.mark.parametrize("key", formats.KEYS)
def test_every_format_is_complete_and_its_builders_exist(key):
    paper_format = formats.REGISTRY[key]
    assert paper_format.key == key and paper_format.label and paper_format.button and paper_format.description
    assert paper_format.media_type.startswith("application/") or paper_format.media_type == "text/html"
    assert paper_format.extension in paper_format.media_type or paper_format.extension in ("pptx", "docx", "xlsx")
    builder = paper_format.build()
    required = [p for p in inspect.signature(builder).parameters.values() if p.default is inspect.Parameter.empty]
    assert callable(builder) and len(required) == 1  # the content, and nothing else it must be given
    if paper_format.portfolio_builder:
        assert callable(paper_format.build_portfolio()) and paper_format.portfolio_label
    else:
        with pytest.raises(ValueError):
            paper_format.build_portfolio()


def test_a_format_is_registered_once():
    with pytest.raises(ValueError, match="registered twice"):
        formats.register(formats.PDF)


def test_who_may_download_comes_from_the_registry(monkeypatch):
    assert [f.key for f in formats.offered_to(VIEWER)] == list(formats.KEYS)
    # a format for editors only is offered to editors and admins, not to viewers
    editors_only = formats.PaperFormat(
        "minutes", "Minutes (Word)", "Minutes", "docx", formats.DOCX.media_type, "minutes", "x:y", role=EDITOR
    )
    monkeypatch.setitem(formats.REGISTRY, "minutes", editors_only)
    assert "minutes" not in [f.key for f in formats.offered_to(VIEWER)]
    assert "minutes" in [f.key for f in formats.offered_to(EDITOR)]
    assert "minutes" in [f.key for f in formats.offered_to(ADMIN)]
    assert "minutes" not in [f.key for f in formats.offered_to(None)]


def test_the_row_of_downloads_is_the_formats_marked_in_row(monkeypatch):
    assert [f.key for f in formats.offered_in_row(VIEWER)] == [k for k in formats.KEYS if formats.REGISTRY[k].in_row]
    assert "html" not in [f.key for f in formats.offered_in_row(VIEWER)]  # the Board pack page only
    assert "html" in [f.key for f in formats.offered_to(VIEWER)]
    editors_only = formats.PaperFormat("m", "M (Word)", "M", "docx", formats.DOCX.media_type, "m", "x:y", role=EDITOR)
    monkeypatch.setitem(formats.REGISTRY, "m", editors_only)
    assert "m" in [f.key for f in formats.offered_in_row(EDITOR)] and "m" not in [
        f.key for f in formats.offered_in_row(VIEWER)
    ]


def test_make_paper_names_and_types_files_from_the_registry(engine, board):
    from data_access.papers import PaperRequest, make_paper

    for key in ("xlsx", "tracker"):  # the quick ones; the others are made in their own tests
        paper = make_paper(engine, PaperRequest(key, board["plan"]))
        assert paper.mime == formats.REGISTRY[key].media_type
        assert paper.filename.startswith(formats.REGISTRY[key].stem + "-")
        assert paper.filename.endswith("." + formats.REGISTRY[key].extension)
