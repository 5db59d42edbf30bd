from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from app.services.registry.service import RecordService
from app.ui.common import record_table_model
from app.ui.common.record_table_model import BLOCK_SIZE, ID_ROLE, RecordTableModel


def _cells(model: RecordTableModel, column: int = 0) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _add_organizations(records: RecordService, n: int) -> None:
    with records.batch() as b:
        for i in range(n):
            b.create("organizations", {"full_name": f"Школа № {i:04d}", "short_name": f"Школа № {i:04d}",
                                       "kind": "school"})


def test_teacher_model_passes_qt_model_tester(qtmodeltester, records, teachers):
    model = RecordTableModel(records, "teachers")
    model.reload()
    assert model.rowCount() == 3
    qtmodeltester.check(model)


def test_organization_model_passes_qt_model_tester(qtmodeltester, records):
    _add_organizations(records, 5)
    model = RecordTableModel(records, "organizations")
    model.reload()
    assert model.rowCount() == 5
    qtmodeltester.check(model)


def test_empty_model_passes_qt_model_tester(qtmodeltester, records):
    model = RecordTableModel(records, "organizations")
    model.reload()
    qtmodeltester.check(model)


def test_headers_and_cells_come_from_the_service(records, teachers):
    model = RecordTableModel(records, "teachers")
    model.reload()
    labels = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert labels[:3] == ["Фамилия", "Имя", "Отчество"]
    assert _cells(model) == ["Иванов", "Семёнов", "Фёдоров"]
    assert _cells(model, 1) == ["Иван", "Андрей", "Пётр"]
    assert model.index(2, 0).data(ID_ROLE) == teachers["Фёдоров"]
    assert model.record_id(0) == teachers["Иванов"]


def test_search_ignores_case_and_yo(records, teachers):
    model = RecordTableModel(records, "teachers")
    assert model.set_search("федоров")
    assert _cells(model) == ["Фёдоров"]
    assert model.set_search("  ")
    assert model.rowCount() == 3


def test_sort_is_a_requery_and_reverses(records, teachers):
    model = RecordTableModel(records, "teachers")
    model.reload()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert _cells(model) == ["Фёдоров", "Семёнов", "Иванов"]
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert _cells(model, 1) == ["Андрей", "Иван", "Пётр"]
    model.sort(-1)
    assert _cells(model) == ["Иванов", "Семёнов", "Фёдоров"]


def test_a_refused_search_empties_the_list_and_reports(qtbot, records):
    records.create("municipalities", {"code": "01", "name": "Городской округ"})
    model = RecordTableModel(records, "municipalities")
    model.reload()
    assert model.rowCount() == 1
    with qtbot.waitSignal(model.load_failed) as failed:
        assert not model.set_search("город")
    assert "не поддерживается" in failed.args[0]
    assert model.rowCount() == 0


def test_rows_are_read_in_blocks_on_demand_and_evicted(records, monkeypatch):
    _add_organizations(records, 2 * BLOCK_SIZE + 50)
    fetched: list[int] = []
    real_rows = records.rows

    def counting_rows(entity, ids):
        ids = list(ids)
        fetched.append(len(ids))
        return real_rows(entity, ids)

    monkeypatch.setattr(records, "rows", counting_rows)
    monkeypatch.setattr(record_table_model, "MAX_CACHED_BLOCKS", 2)
    model = RecordTableModel(records, "organizations")
    model.reload()
    assert model.rowCount() == 2 * BLOCK_SIZE + 50
    assert fetched == []                                    # opening reads ids only

    assert model.index(2 * BLOCK_SIZE + 49, 0).data() == f"Школа № {2 * BLOCK_SIZE + 49:04d}"
    assert model.index(0, 0).data() == "Школа № 0000"
    assert model.index(BLOCK_SIZE - 1, 0).data() == f"Школа № {BLOCK_SIZE - 1:04d}"
    assert fetched == [50, BLOCK_SIZE]                      # one query per block, then cached

    model.index(BLOCK_SIZE, 0).data()                       # a third block evicts the oldest
    model.index(2 * BLOCK_SIZE, 0).data()
    assert fetched == [50, BLOCK_SIZE, BLOCK_SIZE, 50]


def test_invalid_indexes_and_parents_are_empty(records, teachers):
    model = RecordTableModel(records, "teachers")
    model.reload()
    assert model.data(QModelIndex()) is None
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_broad_search_shows_a_first_screen_then_the_whole_list(qtbot, qtmodeltester, records, monkeypatch):
    from app.services.registry import service as records_module

    _add_organizations(records, 40)
    monkeypatch.setattr(records_module, "FULL_ANSWER_MAX", 10)
    monkeypatch.setattr(record_table_model, "FIRST_SCREEN", 7)
    model = RecordTableModel(records, "organizations")
    counts: list[int] = []
    model.loaded.connect(counts.append)
    with qtbot.waitSignals([model.loaded, model.loaded], timeout=5000):
        model.set_search("школа")
    qtbot.waitUntil(lambda: model.is_complete, timeout=5000)
    assert counts == [7, 40]
    assert _cells(model, 0) == [f"Школа № {i:04d}" for i in range(40)]
    qtmodeltester.check(model)


def test_row_of_finds_a_record_beyond_the_first_screen(records, monkeypatch):
    from app.services.registry import service as records_module

    _add_organizations(records, 30)
    monkeypatch.setattr(records_module, "FULL_ANSWER_MAX", 10)
    monkeypatch.setattr(record_table_model, "FIRST_SCREEN", 5)
    model = RecordTableModel(records, "organizations")
    model.reload()
    assert model.rowCount() == 5 and not model.is_complete
    last = records.ids("organizations")[-1]
    assert model.row_of(last) == 29
    assert model.is_complete and model.rowCount() == 30


def test_long_headers_wrap_on_two_lines_and_keep_the_whole_label_as_tooltip(records):
    model = RecordTableModel(records, "teachers")
    labels = {model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole):
              model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())}
    assert labels["Последнее повышение квалификации"] == "Последнее повышение\nквалификации"
    assert labels["Фамилия"] == "Фамилия"
