"""`document certificates` and `document verify`: files written, exit codes, messages."""
from __future__ import annotations

import zipfile

from app.cli import main
from app.services.events import certificates as C

from tests.services.development.conftest import pdf_pages, squash


def test_certificates_into_a_folder_then_verify_each_code(tmp_path, capsys, db_path, db, seminar):
    out_dir = tmp_path / "сертификаты"
    code = main(["--db", str(db_path), "document", "certificates", "--event", "функциональной грамотности",
                 "--out", str(out_dir)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Сертификатов: 3, из них выдано сейчас: 3." in out
    assert "Без сертификата: Сидорова Вера — посещение не отмечено" in out
    files = sorted(out_dir.glob("*.pdf"))
    assert len(files) == 3
    for path in files:
        text = pdf_pages(path)[0]
        record = next(r for r in C.list_certificates(db) if r.code in text)
        assert squash(record.recipient_name) in squash(text)
        code = main(["--db", str(db_path), "document", "verify", record.code.lower().replace("-", "")])
        out, err = capsys.readouterr()
        assert (code, err) == (0, "")
        assert record.recipient_name in out and record.number in out and "Действителен" in out

    # Again: the same numbers, nothing new issued.
    code = main(["--db", str(db_path), "document", "certificates", "--event", seminar.event_id,
                 "--out", str(tmp_path), "--zip"])
    out, _ = capsys.readouterr()
    assert code == 0 and "выдано сейчас: 0" in out
    archive = next(tmp_path.glob("*.zip"))
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == sorted(p.name for p in files)


def test_single_file_has_a_page_per_present_participant(tmp_path, capsys, db_path, seminar):
    target = tmp_path / "все.pdf"
    code = main(["--db", str(db_path), "document", "certificates", "--event", seminar.event_id,
                 "--out", str(target), "--single-file"])
    assert code == 0, capsys.readouterr().err
    assert len(pdf_pages(target)) == 3


def test_unknown_or_malformed_code_exits_1_with_a_russian_message(capsys, db_path, seminar):
    assert main(["--db", str(db_path), "document", "verify", "2222-2222-22"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "не найден" in err
    assert main(["--db", str(db_path), "document", "verify", "12"]) == 1
    assert "10 знаков" in capsys.readouterr().err


def test_unknown_event_and_event_without_present_participants_exit_1(tmp_path, capsys, db_path, records):
    assert main(["--db", str(db_path), "document", "certificates", "--event", "астрономия",
                 "--out", str(tmp_path)]) == 1
    assert "не найдено" in capsys.readouterr().err
    records.create("events", {"title": "Пустой вебинар", "kind": "webinar", "format": "remote",
                              "starts_on": "01.02.2026"})
    assert main(["--db", str(db_path), "document", "certificates", "--event", "пустой",
                 "--out", str(tmp_path / "x")]) == 1
    assert "нет участников" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
