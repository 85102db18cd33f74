"""Evidence files on sign-off (issue 25, migration 0009): checked like uploads (size, what the content
really is, zip bombs), kept with each sign-off event, never changed, readable back only through
their action; SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import text

from data_access.domain import signoff_rules
from data_access.importer.parsed import MB, ImportRefused
from data_access.importer.reading import safety
from data_access.reads import signoff_figures
from data_access.storage import board_decisions
from tests.fixtures import BOARD_Q2, populate_board

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    from docx import Document

    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


# --- the check, like an upload's ---------------------------------------------------------------------


def test_allowed_types_are_named_by_their_content():
    assert safety.evidence_file(PDF, "minutes.pdf") == "application/pdf"
    assert safety.evidence_file(PNG, "photo.PNG") == "image/png"
    assert safety.evidence_file(b"\xff\xd8\xff\xe0rest", "scan.jpg") == "image/jpeg"
    assert safety.evidence_file(_docx(), "report.docx").endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("data", "name", "problem"),
    [
        (PDF, "run.exe", "run.exe is not an evidence file type this app keeps (.exe); attach a PDF"),
        (b"<html>hi</html>", "minutes.pdf", "minutes.pdf is not a PDF: its content does not match its .pdf name."),
        (PDF, "photo.png", "photo.png is not a PNG image"),
        (b"", "empty.pdf", "empty.pdf is empty."),
        (PDF + b"x" * (5 * MB), "big.pdf", "big.pdf is 5.0 MB, over the 5 MB limit for evidence files."),
        (_docx(), "sheet.xlsx", "sheet.xlsx is not a .xlsx file: its content does not match its name."),
        (b"PK\x03\x04" + b"\x00" * 40, "broken.docx", "broken.docx is truncated or corrupt"),
    ],
)
def test_a_bad_file_gets_one_sentence_naming_it(data, name, problem):
    with pytest.raises(ImportRefused) as refused:
        safety.evidence_file(data, name)
    assert str(refused.value).startswith(problem)
    assert "\n" not in str(refused.value) and "Traceback" not in str(refused.value)


def test_a_zip_bomb_is_refused_from_its_declared_sizes():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item))
        bomb.writestr("word/media/zeros.bin", b"\x00" * (30 * MB))
    with pytest.raises(ImportRefused, match="decompression bomb"):
        safety.evidence_file(out.getvalue(), "bomb.docx")


# --- kept with the sign-off ---------------------------------------------------------------------------


def _sign(engine, files, keys=("1.2",)):
    return board_decisions.sign_off(
        engine, plan_name="Testshire ILACS 2024", review_as_at=BOARD_Q2, action_keys=list(keys), actor="chair",
        source=signoff_rules.FROM_APP, evidence="Training register", role="editor", files=files,
    )  # fmt: skip


def test_files_are_kept_with_each_sign_off_and_read_back_through_their_action(any_engine):
    ids = populate_board(any_engine)
    files = [("**minutes** <img src=x onerror=alert(1)>.pdf", PDF), ("scans/photo.png", PNG)]
    _sign(any_engine, files, keys=("1.2", "2.1"))
    kept = signoff_figures.evidence_files(any_engine, ids["actions"]["1.2"])
    assert [(f.file_name, f.media_type, f.size) for f in kept] == [
        ("**minutes** <img src=x onerror=alert(1)>.pdf", "application/pdf", len(PDF)),  # data, drawn as text
        ("photo.png", "image/png", len(PNG)),  # the file's own name, as an upload's (safety.name_of)
    ]
    assert signoff_figures.evidence_file_data(any_engine, kept[0].file_id, ids["actions"]["1.2"]) == PDF
    assert signoff_figures.evidence_file_data(any_engine, kept[0].file_id, ids["actions"]["2.1"]) is None
    assert len(signoff_figures.evidence_files(any_engine, ids["actions"]["2.1"])) == 2  # each sign-off keeps them
    with (
        any_engine.connect().execution_options(write=True) as conn,
        pytest.raises(Exception, match="cannot be changed"),
    ):
        conn.execute(text("UPDATE signoff_evidence_file SET file_name = 'x'"))
        conn.commit()


def test_a_bad_file_refuses_the_whole_sign_off(any_engine):
    ids = populate_board(any_engine)
    with pytest.raises(board_decisions.DecisionRefused, match=r"^fake\.pdf is not a PDF"):
        _sign(any_engine, [("minutes.pdf", PDF), ("fake.pdf", b"MZ\x90\x00")])
    assert signoff_figures.evidence_files(any_engine, ids["actions"]["1.2"]) == []
    assert signoff_figures.signoff_counts(any_engine, ids["q2"]) == {"signed_off": 0, "awaiting": 2}


def test_migration_0009_goes_down_and_up_and_matches_the_models(any_engine):
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from data_access.storage.database import alembic_config, table_names
    from data_access.storage.schema import Base

    with any_engine.connect().execution_options(write=True) as conn:
        command.downgrade(alembic_config(conn), "0008")
        conn.commit()
    assert "signoff_evidence_file" not in set(table_names(any_engine))
    with any_engine.connect().execution_options(write=True) as conn:
        command.upgrade(alembic_config(conn), "head")
        conn.commit()
    with any_engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
