"""The command line for events: `list events` with Russian search and filters, `import events`, `export plan`."""
from __future__ import annotations

import json
from datetime import date

import openpyxl

from app.cli import main
from app.services.events import events as ev
from app.services.common.actor import Actor
from tests.services.events.conftest import event_values

ACTOR = Actor("tester")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _events(db, net):
    ev.create_event(db, ACTOR, event_values(title="Семинар «Учёба молодых»", plan_year=2025), [net.centre["id"]])
    ev.create_event(db, ACTOR, event_values(title="Вебинар по ФОП", kind="webinar", format="remote",
                                            starts_on=date(2026, 2, 1), plan_year=2026))


def test_list_events_finds_russian_words_and_filters_by_year_and_kind(capsys, db, db_path, net):
    _events(db, net)
    code, out, _ = run(capsys, "--db", str(db_path), "list", "events", "--search", "УЧЕБА", "--json")
    assert code == 0 and [r["title"] for r in json.loads(out)] == ["Семинар «Учёба молодых»"]
    _, out, _ = run(capsys, "--db", str(db_path), "list", "events", "--filter", "plan_year=2026", "--json")
    assert [r["title"] for r in json.loads(out)] == ["Вебинар по ФОП"]
    _, out, _ = run(capsys, "--db", str(db_path), "list", "events", "--filter", "kind=Семинар")
    lines = out.strip().splitlines()
    assert len(lines) == 2 and "Семинар «Учёба молодых»" in lines[1] and "Семинар" in lines[1]
    code, _, err = run(capsys, "--db", str(db_path), "list", "events", "--filter", "год")
    assert code == 1 and "ПОЛЕ=ЗНАЧЕНИЕ" in err


def test_list_participations_json(capsys, db, db_path, net):
    from app.services.events.participants import add_participants

    event_id = ev.create_event(db, ACTOR, event_values())
    add_participants(db, ACTOR, event_id, teacher_ids=[net.teachers[0]["id"]])
    code, out, _ = run(capsys, "--db", str(db_path), "list", "participations", "--search", "смирнова", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 1 and rows[0]["teacher"] == "Смирнова Ольга"


def test_export_plan_then_import_it_back_changes_nothing(capsys, db, db_path, net, tmp_path):
    _events(db, net)
    out_file = tmp_path / "план-2025.xlsx"
    code, out, _ = run(capsys, "--db", str(db_path), "export", "plan", "--year", "2025", "--out", str(out_file))
    assert code == 0 and "мероприятий: 1" in out
    ws = openpyxl.load_workbook(out_file).active
    assert ws.cell(4, 2).value == "Семинар «Учёба молодых»" and ws.cell(5, 2).value is None
    report = tmp_path / "отчёт.xlsx"
    code, out, _ = run(capsys, "--db", str(db_path), "import", "events", str(out_file), "--report", str(report))
    assert code == 1 and "без изменений: 1" in out
    assert openpyxl.load_workbook(report).sheetnames == ["Итоги импорта", "Отклонённые строки"]


def test_import_events_uses_the_year_option(capsys, db, db_path, net, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Название;Вид;Дата начала;Организаторы\nЗаседание НМС;заседание НМС;15.01.2026;ИМЦ\n",
                    encoding="utf-8")
    code, out, err = run(capsys, "--db", str(db_path), "import", "events", str(path), "--year", "2025")
    assert code == 0, err
    _, out, _ = run(capsys, "--db", str(db_path), "list", "events", "--filter", "plan_year=2025", "--json")
    assert [(r["title"], r["kind"]) for r in json.loads(out)] == [("Заседание НМС", "nms_meeting")]
