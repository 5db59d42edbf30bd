"""`document iom|credits|group-plan`: teacher by id or СНИЛС in any spelling, exit codes, files."""
from __future__ import annotations

import argparse

import pytest

from app.cli.document import add_document_parser, cmd_document

from tests.services.development.conftest import SNILS, make_org, pdf_pages, squash


def _parser(extra=()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="metodset")
    add_document_parser(parser.add_subparsers(dest="command"), extra=extra)
    return parser


def run(capsys, db, *argv):
    args = _parser().parse_args(["document", *argv])
    code = cmd_document(args, db)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("spelling", ["11223344595", "112-233-445 95", "112 233 445 95", " 112-233-44595 "])
def test_credits_by_snils_in_any_spelling(tmp_path, capsys, db, case, spelling):
    out_file = tmp_path / "выписка.pdf"
    code, out, err = run(capsys, db, "credits", "--teacher", spelling, "--out", str(out_file))
    assert (code, err) == (0, "")
    assert "Документ сохранён" in out and out_file.read_bytes()[:5] == b"%PDF-"
    assert squash("Фёдорова Анна Сергеевна") in squash("".join(pdf_pages(out_file)))


def test_iom_by_id_and_by_route(tmp_path, capsys, db, case):
    code, _, err = run(capsys, db, "iom", "--teacher", case.teacher["id"], "--out", str(tmp_path / "a.pdf"))
    assert (code, err) == (0, "") and (tmp_path / "a.pdf").exists()
    code, _, _ = run(capsys, db, "iom", "--teacher", SNILS, "--route", case.route["id"],
                     "--out", str(tmp_path / "b.pdf"))
    assert code == 0 and (tmp_path / "b.pdf").exists()
    code, _, err = run(capsys, db, "iom", "--teacher", SNILS, "--route", "no-such-route",
                       "--out", str(tmp_path / "c.pdf"))
    assert code == 1 and "Маршрут с идентификатором no-such-route не найден" in err
    assert not (tmp_path / "c.pdf").exists()


@pytest.mark.parametrize("teacher, message", [
    ("123-456-789 64", "поиск по СНИЛС 123-456-789 64"),                 # valid, but nobody has it
    ("12345678964", "поиск по СНИЛС 123-456-789 64 (введено «12345678964»)"),
    ("112-233-445 96", "не идентификатор записи и не СНИЛС"),          # wrong checksum
    ("00000000-0000-4000-8000-000000000000", "поиск по идентификатору записи"),
    ("Иванов", "поиск по идентификатору записи"),
])
def test_unknown_teacher_is_exit_1_naming_what_was_searched(tmp_path, capsys, db, case, teacher, message):
    out_file = tmp_path / "x.pdf"
    code, out, err = run(capsys, db, "credits", "--teacher", teacher, "--out", str(out_file))
    assert code == 1 and out == ""
    assert err.startswith("Ошибка: Педагог не найден") and message in err
    assert not out_file.exists()


def test_deleted_teacher_is_not_found(tmp_path, capsys, db, case, records):
    records.delete("teachers", case.other["id"])
    code, _, err = run(capsys, db, "credits", "--teacher", "087-654-303 00", "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and "087-654-303 00" in err


def test_group_plan_by_inn_by_name_and_by_file(tmp_path, capsys, db, case, records):
    make_org(records, "МБОУ СОШ № 7", "7707083893")
    for i, who in enumerate(("500100732259", "лицей № 2", "Муниципальное автономное общеобразовательное "
                                                          "учреждение «МАОУ Лицей № 2»")):
        out_file = tmp_path / f"org{i}.pdf"
        code, _, err = run(capsys, db, "group-plan", "--organization", who, "--out", str(out_file))
        assert (code, err) == (0, ""), who
        assert "Фёдорова" in "".join(pdf_pages(out_file))

    listing = tmp_path / "педагоги.txt"
    listing.write_text(f"# группа по функциональной грамотности\n\n{case.other['id']}\n112 233 445 95;Фёдорова\n",
                       encoding="utf-8")
    code, _, err = run(capsys, db, "group-plan", "--teachers", str(listing), "--out", str(tmp_path / "g.pdf"))
    assert (code, err) == (0, "")
    text = "".join(pdf_pages(tmp_path / "g.pdf"))
    assert text.index("Смирнов") < text.index("Фёдорова")

    listing.write_text(f"{case.other['id']}\n\n123-456-789 64\n", encoding="cp1251")
    code, _, err = run(capsys, db, "group-plan", "--teachers", str(listing), "--out", str(tmp_path / "h.pdf"))
    assert code == 1 and "строка 3" in err and "123-456-789 64" in err and not (tmp_path / "h.pdf").exists()


def test_group_plan_refusals(tmp_path, capsys, db, case, records):
    make_org(records, "МАОУ Лицей № 3", "7707083893")
    code, _, err = run(capsys, db, "group-plan", "--organization", "лицей", "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and "найдено организаций: 2" in err
    code, _, err = run(capsys, db, "group-plan", "--organization", "Гимназия № 1", "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and "Организация не найдена" in err
    code, _, err = run(capsys, db, "group-plan", "--teachers", str(tmp_path / "нет.txt"), "--out",
                       str(tmp_path / "x.pdf"))
    assert code == 1 and "Не удалось прочитать список педагогов" in err


def test_usage_errors_exit_2(capsys):
    for argv in (["document"], ["document", "credits", "--out", "x.pdf"],
                 ["document", "group-plan", "--organization", "a", "--teachers", "b", "--out", "x.pdf"]):
        with pytest.raises(SystemExit) as exc:
            _parser().parse_args(argv)
        assert exc.value.code == 2


def test_more_document_kinds_can_be_added(capsys, db):
    # «verify» and «certificates» are real kinds now; the extension point is shown with another name.
    def add_stamp(kinds):
        p = kinds.add_parser("stamp")
        p.add_argument("file")
        p.set_defaults(document_run=lambda args, db, out: print(f"проверен {args.file}", file=out) or 0)
        return p

    args = _parser(extra=[add_stamp]).parse_args(["document", "stamp", "a.pdf"])
    assert cmd_document(args, db) == 0 and "проверен a.pdf" in capsys.readouterr().out


def test_wired_into_the_main_cli(tmp_path, capsys, db_path, case, monkeypatch):
    """Through the main command line, as a user types it."""
    from app import cli

    out_file = tmp_path / "cli.pdf"
    assert cli.main(["--db", str(db_path), "document", "credits", "--teacher", "112 233 445 95",
                     "--out", str(out_file)]) == 0
    assert out_file.exists() and "Документ сохранён" in capsys.readouterr().out
    assert cli.main(["--db", str(db_path), "document", "credits", "--teacher", "123-456-789 64",
                     "--out", str(tmp_path / "none.pdf")]) == 1
    assert "Педагог не найден" in capsys.readouterr().err
