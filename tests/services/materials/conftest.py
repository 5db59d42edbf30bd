"""A school, authors and experts for the materials and review tests."""
from __future__ import annotations

import pytest


@pytest.fixture
def school(records):
    return records.create("organizations", {"full_name": "МБОУ «Средняя школа № 3»", "short_name": "СШ № 3",
                                            "kind": "school"})


@pytest.fixture
def people(records, school):
    ids = {}
    for last, first, middle in (("Орлова", "Мария", "Ивановна"), ("Кузнецов", "Олег", "Петрович"),
                                ("Смирнова", "Елена", "Андреевна"), ("Волков", "Игорь", "Сергеевич")):
        ids[last] = records.create("teachers", {"last_name": last, "first_name": first, "middle_name": middle,
                                                "organization_id": school["id"], "position": "учитель"})["id"]
    return ids


@pytest.fixture
def lesson_file(tmp_path):
    path = tmp_path / "урок.docx"
    path.write_bytes(b"PK\x03\x04 lesson plan version 1" * 50)
    return path
