"""Certificate PDFs, files and ZIP read back; an edited certificate disagrees with the register."""
from __future__ import annotations

import dataclasses
import re
import zipfile

import pytest

from app.export import pdf_certificates as P
from app.services.events import certificates as C
from app.services.common.actor import Actor
from app.services.common.errors import ServiceError

from tests.services.development.conftest import pdf_fonts, pdf_pages, squash

ACTOR = Actor("методист")
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}")


@pytest.fixture
def issued(db, seminar) -> list[C.CertificateRecord]:
    return C.issue_certificates(db, seminar.event_id, actor=ACTOR).certificates


def test_one_pdf_page_per_certificate_with_name_event_number_and_code(tmp_path, issued, seminar):
    path = P.write_certificates_pdf(issued, tmp_path / "все")
    assert path.name == "все.pdf"
    pages = pdf_pages(path)
    assert len(pages) == len(issued) == 3
    for record, text in zip(issued, pages):
        flat = squash(text)
        assert "СЕРТИФИКАТ" in text and squash("Номер в реестре") in flat
        assert squash(record.recipient_name) in flat
        assert squash(seminar.title) in flat
        assert record.number in text and record.code in text
        assert squash("Даты проведения: 12.03.2026 – 13.03.2026") in flat
    speaker = next(i for i, r in enumerate(issued) if r.role == "Выступающий")
    assert squash("в качестве выступающего") in squash(pages[speaker])
    assert squash("Объём: 4 ч.") in squash(pages[speaker])
    organisation = next(i for i, r in enumerate(issued) if r.teacher_id is None)
    assert squash("приняла участие в качестве организатора") in squash(pages[organisation])
    fonts, embedded = pdf_fonts(path)
    assert embedded and fonts and all("DejaVu" in f for f in fonts)


def test_an_edited_certificate_is_caught_because_verify_shows_the_register(tmp_path, db, issued):
    genuine = next(r for r in issued if r.recipient_name == "Петрова Анна Сергеевна")
    forged = dataclasses.replace(genuine, recipient_name="Подделкина Инна Петровна", hours=72)
    path = P.write_certificates_pdf([forged], tmp_path / "исправленный.pdf")
    text = pdf_pages(path)[0]
    code = CODE.search(text).group(0)
    assert "Подделкина" in text and code == genuine.code
    shown = dict(C.verify(db, code).lines())
    assert shown["Кому выдан"] == "Петрова Анна Сергеевна"
    assert shown["Объём"] == "6 ч."
    assert "Подделкина" not in " ".join(shown.values())


def test_one_file_per_participant_with_windows_safe_russian_names(tmp_path, issued):
    weird = dataclasses.replace(issued[0], recipient_name='Ан/на: "Ко?ва" <*> |', number="2026-000009")
    files = P.write_certificate_files([*issued, weird], tmp_path / "out")
    names = sorted(p.name for p in files)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == names
    assert f"{issued[0].number} {issued[0].recipient_name}.pdf" in names
    assert "2026-000009 Ан на Ко ва.pdf" in names
    for path in files:
        assert not re.search(r'[\\/:*?"<>|]', path.name)
        assert len(pdf_pages(path)) == 1
    assert P.safe_file_name("CON") == "_CON" and P.safe_file_name(" ... ") == "Сертификат"


def test_zip_holds_one_readable_pdf_per_certificate(tmp_path, issued):
    path = P.write_certificates_zip(issued, tmp_path / "сертификаты")
    assert path.suffix == ".zip"
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        assert sorted(i.filename for i in infos) == sorted(P.certificate_file_name(r) for r in issued)
        assert all(i.flag_bits & 0x800 for i in infos)      # UTF-8 names
        for record in issued:
            data = archive.read(P.certificate_file_name(record))
            (tmp_path / "x.pdf").write_bytes(data)
            assert record.code in pdf_pages(tmp_path / "x.pdf")[0]


def test_cancel_leaves_no_files_behind(tmp_path, issued):
    calls = []

    def cancel_after_two():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(P.CertificatesCancelled):
        P.write_certificate_files(issued, tmp_path / "out", is_cancelled=cancel_after_two)
    assert list((tmp_path / "out").iterdir()) == []
    calls.clear()
    with pytest.raises(P.CertificatesCancelled):
        P.write_certificates_zip(issued, tmp_path / "a.zip", is_cancelled=cancel_after_two)
    assert list(tmp_path.glob("*.zip")) == [] and list(tmp_path.glob(".~*")) == []


def test_nothing_to_print_is_a_clear_refusal(tmp_path):
    with pytest.raises(ServiceError, match="Нет сертификатов"):
        P.write_certificates_pdf([], tmp_path / "x.pdf")


def test_role_phrases():
    base = dict(teacher_id="t")
    assert P.participation_phrase(_fake(role="Член жюри", **base)) == "принял(а) участие в качестве члена жюри"
    assert P.participation_phrase(_fake(role="Победитель", **base)) == "стал(а) победителем"
    assert P.participation_phrase(_fake(role="Призёр", teacher_id=None)) == "стала призёром"


def _fake(**changes) -> C.CertificateRecord:
    from datetime import date, datetime

    record = C.CertificateRecord(
        id="x", number="2026-000001", code="AAAA-BBBB-CC", recipient_name="Иванов Иван", organization_name="",
        event_title="Семинар", event_kind="Семинар", event_starts_on=date(2026, 1, 1), event_ends_on=None,
        hours=0, role="Участник", organizer="", signer_name="", issued_at=datetime(2026, 1, 1), issued_by="",
        revoked_at=None, revoked_by="", revoked_reason="", participation_id="p", event_id="e", teacher_id="t")
    return dataclasses.replace(record, **changes)


def _qr_matrix_from_pdf(path) -> list[list[bool]]:
    """The QR modules as drawn: the filled rectangles of the page, mapped back onto the module grid."""
    from pypdf import PdfReader

    stream = PdfReader(str(path)).pages[0].get_contents().get_data().decode("latin-1")
    rects = [tuple(map(float, m.groups())) for m in
             re.finditer(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re f\*?", stream)]
    box = min(h for _x, _y, _w, h in rects)
    left = min(x for x, _y, _w, _h in rects)
    top = max(y + h for _x, y, _w, h in rects)
    size = round((top - min(y for _x, y, _w, _h in rects)) / box)
    grid = [[False] * size for _ in range(size)]
    for x, y, w, h in rects:
        row = round((top - y - h) / box)
        first = round((x - left) / box)
        for column in range(first, first + round(w / box)):
            grid[row][column] = True
    return grid


def test_the_qr_code_holds_the_verification_code(tmp_path, issued):
    from reportlab.graphics.barcode import qrencoder

    record = issued[0]
    path = P.write_certificates_pdf([record], tmp_path / "qr.pdf")
    expected = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    expected.addData(record.code)
    expected.make()
    assert _qr_matrix_from_pdf(path) == [[bool(m) for m in row] for row in expected.modules]
    other = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    other.addData(issued[1].code)
    other.make()
    assert _qr_matrix_from_pdf(path) != [[bool(m) for m in row] for row in other.modules]


def test_a_title_that_already_names_its_kind_is_not_doubled(tmp_path, issued):
    record = dataclasses.replace(issued[0], event_kind="Семинар",
                                 event_title="Семинар «Естественнонаучная грамотность»")
    text = squash(pdf_pages(P.write_certificates_pdf([record], tmp_path / "один"))[0])
    assert squash("Семинар «Естественнонаучная грамотность»") in text
    assert squash("Семинар «Семинар") not in text and "»»" not in text
    assert dict(record.lines())["Мероприятие"] == "Семинар «Естественнонаучная грамотность»"
