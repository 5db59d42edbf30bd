"""The PDF documents read back: names, СНИЛС, titles, totals, page numbers, embedded Cyrillic font."""
from __future__ import annotations

from datetime import date

import pytest

from app.export import pdf_common
from app.export.pdf_documents import write_credits_pdf, write_group_plan_pdf, write_iom_pdf
from app.services.common.errors import ServiceError

from tests.services.development.conftest import SNILS, add_item, make_teacher, pdf_fonts, pdf_pages, squash

TODAY = date(2025, 6, 1)


def _assert_fonts(path):
    names, embedded = pdf_fonts(path)
    assert names and all("DejaVuSans" in n for n in names), names
    assert not any("Helvetica" in n for n in names)
    assert embedded
    assert b"Helvetica" not in path.read_bytes()


def _has(text: str, *needles: str) -> None:
    flat = squash(text)
    missing = [n for n in needles if squash(n) not in flat]
    assert not missing, missing


@pytest.fixture
def diagnosed(case, records):
    """The case's route linked to a diagnostic with two deficits (and one competence that is fine)."""
    diag = records.create("diagnostics", {"teacher_id": case.teacher["id"], "held_on": date(2022, 12, 1),
                                          "instrument": "Региональная диагностика ЦНППМ"})
    for comp, score, deficit in (("digital", 41.5, True), ("assessment", 55, True), ("subject", 88, False)):
        records.create("diagnostic_results", {"diagnostic_id": diag["id"], "competence": comp, "score": score,
                                              "is_deficit": deficit})
    records.update("trajectories", case.route["id"], {"diagnostic_id": diag["id"]})
    return case


def test_iom_pdf(tmp_path, db, diagnosed):
    case = diagnosed
    path = write_iom_pdf(db, case.teacher["id"], tmp_path / "иом.pdf", today=TODAY, unmasked=True)
    pages = pdf_pages(path)
    text = "\n".join(pages)
    assert "Индивидуальный образовательный маршрут педагога" in text
    _has(text, "Фёдорова Анна Сергеевна", SNILS, "учитель математики", "МАОУ Лицей № 2",
         "на период с 01.01.2023 по 31.12.2025")
    for item in case.items.values():              # every item of the route, cancelled and planned included
        _has(text, item["title"])
    assert "Курс в удалённом маршруте" not in text and "Курс другого педагога" not in text
    # Deficits from the linked diagnostic, weakest first; a competence without a deficit is not listed.
    _has(text, "по результатам: диагностика от 01.12.2022", "Цифровые образовательные технологии — 41,5 из 100",
         "Оценивание образовательных результатов — 55 из 100")
    assert "Предметные знания" not in text
    # Plan (all but cancelled): 72 + 18 + 36 + 24 h = 150 h; 2 + 0.5 + 1 (computed) + 0.67 (computed) = 4.17.
    # Fact (completed): 126 h, 3.5 з.е.
    _has(text, "По плану (без отменённых) 4 150 4,17", "Выполнено (факт) 3 126 3,5")
    _has(text, "Педагог", "/А. С. Фёдорова/", "Руководитель ОО", "Методист", "Дата: 01.06.2025")
    assert "Стр. 1 из" in pages[0]
    _assert_fonts(path)


def test_iom_pdf_long_route_splits_with_repeated_header(tmp_path, db, case, records):
    route = records.create("trajectories", {"teacher_id": case.other["id"], "period_start": date(2025, 1, 1),
                                            "period_end": date(2025, 12, 31), "goals": "Длинный маршрут"})
    for n in range(1, 41):
        add_item(records, route, f"Модуль {n}: проектирование образовательной среды с использованием "
                                 f"цифровых ресурсов и сетевого взаимодействия школ округа", kind="event",
                 formality="non_formal", hours=6, planned_start=date(2025, 2, 1), planned_end=date(2025, 2, 2))
    path = write_iom_pdf(db, case.other["id"], tmp_path / "long.pdf", route_id=route["id"], today=TODAY)
    pages = pdf_pages(path)
    assert len(pages) >= 3
    for i, page in enumerate(pages[:-1]):
        assert f"Стр. {i + 1} из {len(pages)}" in page
    assert "Отметка о выполнении" in pages[1]                    # the header row repeats
    # 40 × 6 h = 240 h; each item's 0.17 з.е. is what the table shows, and the total is their sum (6.8).
    _has("\n".join(pages), "Модуль 40: проектирование", "По плану (без отменённых) 40 240 6,8")


def test_credits_pdf(tmp_path, db, case):
    # СНИЛС is masked unless asked for (and the account has the right; no account here = set-up mode).
    masked_text = "\n".join(pdf_pages(write_credits_pdf(db, case.teacher["id"], tmp_path / "m.pdf", today=TODAY)))
    _has(masked_text, "СНИЛС ***-***-445 95")
    assert squash(SNILS) not in squash(masked_text)
    path = write_credits_pdf(db, case.teacher["id"], tmp_path / "выписка.pdf", today=TODAY, unmasked=True)
    pages = pdf_pages(path)
    text = "\n".join(pages)
    assert "Выписка о накопленных зачётных единицах" in text
    _has(text, "Фёдорова Анна Сергеевна", f"СНИЛС {SNILS}", "14.03.1985", "по состоянию на 01.06.2025")
    _has(text, "Формирование функциональной грамотности", "Стажировка на базе МБОУ СОШ № 5",
         "Семинар «Цифровая школа»", "У-123", "от 21.03.2023")
    for absent in ("Отменённый курс", "Курс на будущее", "Курс в удалённом маршруте", "Курс другого педагога"):
        assert absent not in text
    _has(text, "2023 1 72 2", "2024 1 18 0,5", "2025 1 36 1", "Итого за весь период 3 126 3,5")
    _has(text, "Последнее повышение квалификации 20.03.2023", "Следующее — не позднее 20.03.2026 — в норме")
    _has(text, "Дата выдачи: 01.06.2025", "Методист")
    assert "Стр. 1 из 1" in pages[0] or "Стр. 1 из 2" in pages[0]
    _assert_fonts(path)


def test_group_plan_pdf_by_organization_and_by_list(tmp_path, db, case, records):
    no_route = make_teacher(records, case.org, "Яковлева", "Вера", "Павловна")
    path = write_group_plan_pdf(db, case.org["id"], tmp_path / "группа.pdf", today=TODAY)
    text = "\n".join(pdf_pages(path))
    _has(text, "План индивидуальных образовательных маршрутов группы педагогов", "МАОУ Лицей № 2",
         "Смирнов О. И.", "Фёдорова А. С.", "Яковлева В. П.", "Маршрут не составлен",
         "Курс другого педагога", "Формирование функциональной грамотности", "Отменено",
         "Педагогов: 3, из них с маршрутом: 2")
    assert text.index("Смирнов") < text.index("Фёдорова") < text.index("Яковлева")
    assert squash(SNILS) not in squash(text)  # a circulated group document carries no СНИЛС
    assert "Стр. 1 из" in text
    _assert_fonts(path)

    listed = write_group_plan_pdf(db, [no_route["id"], case.teacher["id"]], tmp_path / "список.pdf", today=TODAY)
    text = "\n".join(pdf_pages(listed))
    assert text.index("Яковлева") < text.index("Фёдорова") and "Смирнов" not in text


def test_write_is_atomic(tmp_path, db, case, monkeypatch):
    out = tmp_path / "документы"
    target = out / "выписка.pdf"
    write_credits_pdf(db, case.teacher["id"], target, today=TODAY)
    before = target.read_bytes()

    def broken(self, *args, **kwargs):
        raise RuntimeError("сбой посреди записи")

    monkeypatch.setattr(pdf_common.SimpleDocTemplate, "build", broken)
    with pytest.raises(RuntimeError):
        write_credits_pdf(db, case.teacher["id"], target, today=TODAY)
    assert target.read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["выписка.pdf"]         # no temporary file left behind


def test_unwritable_target_is_a_russian_error(tmp_path, db, case):
    (tmp_path / "занято.pdf").mkdir()
    with pytest.raises(ServiceError, match="Не удалось сохранить документ"):
        write_credits_pdf(db, case.teacher["id"], tmp_path / "занято.pdf", today=TODAY)


def test_teacher_without_route_has_no_iom(tmp_path, db, case, records):
    lone = make_teacher(records, case.org, "Одинокова", "Инна")
    with pytest.raises(ServiceError, match="нет индивидуальных образовательных маршрутов"):
        write_iom_pdf(db, lone["id"], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
