"""Attachment names safe on a Windows disk: reserved devices, forbidden characters, path parts."""
from __future__ import annotations

import pytest

from app.domain.file_names import safe_file_name


@pytest.mark.parametrize("given, safe", [
    ("CON", "_CON"), ("con.txt", "_con.txt"), ("Nul.tar.gz", "_Nul.tar.gz"), ("COM1.docx", "_COM1.docx"),
    ("lpt9", "_lpt9"), ("aux .pdf", "_aux .pdf"),
    ("отчёт.docx...", "отчёт.docx"), ("план  . ", "план"), ("a:b.txt", "a_b.txt"), ('что?<>|*".pdf', "что______.pdf"),
    ("..\\..\\Windows\\win.ini", "win.ini"), ("/etc/passwd", "passwd"), ("C:\\Users\\x\\итоги.xlsx", "итоги.xlsx"),
    ("строка\nвторая.txt", "строка_вторая.txt"), ("", "файл"), ("..", "файл"), ("...", "файл"), (None, "файл"),
    ("CONSOLE.txt", "CONSOLE.txt"), ("com10.txt", "com10.txt"), ("Протокол № 3.pdf", "Протокол № 3.pdf"),
])
def test_names_are_made_safe(given, safe):
    assert safe_file_name(given) == safe


def test_a_long_name_keeps_its_extension():
    name = safe_file_name("я" * 300 + ".docx")
    assert len(name) == 255 and name.endswith(".docx")
