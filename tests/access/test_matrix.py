"""docs/security.md shows the matrix the code enforces, and the command that writes it."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from thinkchild.access.matrix import END, START, security_doc_with_matrix
from thinkchild.access.policy import REACH
from thinkchild.org.models import Role

DOC = Path(settings.BASE_DIR) / "docs" / "security.md"


def test_docs_security_md_holds_the_matrix_the_policy_generates_now():
    document = DOC.read_text(encoding="utf-8")
    assert security_doc_with_matrix(document) == document, (
        "docs/security.md is out of date: run `thinkchild security_matrix`"
    )


def test_every_role_has_a_row():
    matrix = DOC.read_text(encoding="utf-8").split(START)[1].split(END)[0]
    for role in REACH:
        assert f"| {Role(role).label} |" in matrix


def test_the_command_rewrites_only_the_text_between_the_markers(tmp_path):
    doc = tmp_path / "security.md"
    doc.write_text(f"# Title\n\nBefore.\n\n{START}\nstale table\n{END}\n\nAfter.\n")
    call_command("security_matrix", "--path", str(doc), stdout=io.StringIO())
    text = doc.read_text()
    assert text.startswith("# Title\n\nBefore.\n\n")
    assert text.endswith("\n\nAfter.\n")
    assert "stale table" not in text
    assert "| PPU lead | the whole force | no |" in text
    call_command("security_matrix", "--path", str(doc), "--check", stdout=io.StringIO())


def test_the_check_fails_on_a_stale_document_and_on_lost_markers(tmp_path):
    doc = tmp_path / "security.md"
    doc.write_text(f"{START}\nstale\n{END}\n")
    with pytest.raises(CommandError, match="out of date"):
        call_command("security_matrix", "--path", str(doc), "--check", stdout=io.StringIO())
    doc.write_text("no markers")
    with pytest.raises(CommandError, match="lost its security-matrix markers"):
        call_command("security_matrix", "--path", str(doc), stdout=io.StringIO())
