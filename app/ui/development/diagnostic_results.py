"""The levels of a diagnostic, edited inside its form: a line per competence, the deficit, the proposed programme.

Every competence has its line; a line with a score is a stored result. A
score below 60 % of the maximum marks a deficit (the box can be changed), and
a deficit offers the catalogue's programmes that address it
(diagnostic_proposals) — the first is proposed at once when none is chosen.
RecordDialog writes the diagnostic and its results in one transaction on
«Сохранить»; a cleared score sends its result to the bin. Nothing is written here.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHeaderView, QLabel, QLineEdit, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from app.domain import enums as E
from app.services.development.diagnostic_proposals import is_deficit, programmes_by_competence
from app.services.registry.service import RecordService
from app.ui.common.related_rows import RelatedChanges, RelatedKind

ENTITY = "diagnostic_results"
OWNER_FIELD = "diagnostic_id"
RESULTS_KIND = RelatedKind("Результаты по компетенциям", ENTITY, OWNER_FIELD, (), ())
HEADERS = ("Компетенция", "Балл", "Из", "Дефицит", "Предложенная программа")
COL_COMPETENCE, COL_SCORE, COL_MAX, COL_DEFICIT, COL_PROGRAMME = range(5)
NO_PROGRAMME = "— не предложена —"
DEFICIT_COLOR = "#a12622"


def _number(text: str) -> float | None:
    text = text.strip().replace(",", ".").replace(" ", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _text(value: float | None) -> str:
    return "" if value is None else f"{value:g}".replace(".", ",")


class DiagnosticResultsEditor(QWidget):
    changed = Signal()

    def __init__(self, service: RecordService, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = RESULTS_KIND
        self._service = service
        self._options = programmes_by_competence(service.db)
        self._stored: dict[str, dict[str, Any]] = {}       # competence → stored result (with id)
        self._loading = False
        self.scores: dict[str, QLineEdit] = {}
        self.maxima: dict[str, QLineEdit] = {}
        self.deficits: dict[str, QCheckBox] = {}
        self.programmes: dict[str, QComboBox] = {}

        self.table = QTableWidget(len(E.COMPETENCES), len(HEADERS), self)
        self.table.setObjectName("diagnosticResults")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(COL_COMPETENCE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_COMPETENCE, 300)
        for col, width in ((COL_SCORE, 64), (COL_MAX, 56), (COL_DEFICIT, 74)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(COL_PROGRAMME, QHeaderView.ResizeMode.Stretch)
        for row, (code, label) in enumerate(E.COMPETENCES):
            item = QTableWidgetItem(label)
            item.setToolTip(label)
            self.table.setItem(row, COL_COMPETENCE, item)
            score, maximum = QLineEdit(), QLineEdit()
            score.setObjectName(f"score_{code}")
            maximum.setPlaceholderText("100")
            deficit = QCheckBox()
            deficit.setObjectName(f"deficit_{code}")
            programme = QComboBox()
            programme.setObjectName(f"programme_{code}")
            programme.addItem(NO_PROGRAMME, None)
            for option in self._options.get(code, []):
                programme.addItem(option.label, option.id)
            programme.setEnabled(False)
            if programme.count() == 1:
                programme.setToolTip("В каталоге нет программ, отмеченных этой компетенцией")
            score.textChanged.connect(lambda _t, c=code: self._on_score(c))
            maximum.textChanged.connect(lambda _t, c=code: self._on_score(c))
            deficit.toggled.connect(lambda _on, c=code: self._on_deficit(c))
            programme.currentIndexChanged.connect(lambda _i: self._emit())
            self.table.setCellWidget(row, COL_SCORE, score)
            self.table.setCellWidget(row, COL_MAX, maximum)
            self.table.setCellWidget(row, COL_DEFICIT, deficit)
            self.table.setCellWidget(row, COL_PROGRAMME, programme)
            self.scores[code], self.maxima[code] = score, maximum
            self.deficits[code], self.programmes[code] = deficit, programme
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 14)
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * (len(E.COMPETENCES) + 1) + 8)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("deficitSummary")
        self.summary_label.setWordWrap(True)
        hint = QLabel("Балл ниже 60 % максимума — дефицит; для него предлагаются программы каталога, "
                      "отмеченные этой компетенцией. Пустой балл — компетенция не оценивалась.", self)
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.summary_label)
        layout.addWidget(hint)
        self._update_summary()

    # -- loading and reporting ----------------------------------------------
    def load(self, owner_id: str) -> None:
        ids = self._service.ids(ENTITY, filters={OWNER_FIELD: owner_id})
        rows = [self._service.get(ENTITY, i) for i in ids]
        self._stored = {r["competence"]: r for r in rows}
        self._loading = True
        try:
            for code, row in self._stored.items():
                if code not in self.scores:
                    continue
                self.scores[code].setText(_text(row["score"]))
                self.maxima[code].setText("" if row.get("max_score") in (None, 100.0) else _text(row["max_score"]))
                self.deficits[code].setChecked(bool(row.get("is_deficit")))
                self._select_programme(code, row.get("proposed_programme_id"), row.get("proposed_programme"))
                self._style(code)
        finally:
            self._loading = False
        self._update_summary()

    def values(self, code: str) -> dict[str, Any] | None:
        """The result of one competence as it would be stored; None when it has no score."""
        score = _number(self.scores[code].text())
        if score is None:
            return None
        deficit = self.deficits[code].isChecked()
        return {"competence": code, "score": score, "max_score": _number(self.maxima[code].text()) or 100.0,
                "is_deficit": deficit,
                "proposed_programme_id": self.programmes[code].currentData() if deficit else None}

    def changes(self) -> RelatedChanges:
        creates, updates, deletes = [], [], []
        for code, label in E.COMPETENCES:
            values = self.values(code)
            stored = self._stored.get(code)
            if stored is None:
                if values is not None:
                    creates.append((label, values))
            elif values is None:
                deletes.append(stored["id"])
            else:
                diff = {k: v for k, v in values.items() if v != stored.get(k)}
                if diff:
                    updates.append((stored["id"], label, diff))
        return RelatedChanges(creates, updates, deletes)

    def local_errors(self) -> list[str]:
        out = []
        for code, label in E.COMPETENCES:
            for box in (self.scores[code], self.maxima[code]):
                if box.text().strip() and _number(box.text()) is None:
                    out.append(f"«{label}»: «{box.text()}» не является числом")
        return out

    def deficit_text(self) -> str:
        return self.summary_label.text()

    # -- reacting --------------------------------------------------------------
    def _on_score(self, code: str) -> None:
        if self._loading:
            return
        score = _number(self.scores[code].text())
        self.deficits[code].setChecked(is_deficit(score, _number(self.maxima[code].text()) or 100.0))
        self._style(code)
        self._emit()

    def _on_deficit(self, code: str) -> None:
        programme = self.programmes[code]
        on = self.deficits[code].isChecked()
        programme.setEnabled(on and programme.count() > 1)
        if not self._loading:
            if on and programme.currentData() is None and programme.count() > 1:
                programme.setCurrentIndex(1)            # the best candidate, proposed at once
            elif not on:
                programme.setCurrentIndex(0)
        self._style(code)
        self._emit()

    def _select_programme(self, code: str, programme_id: str | None, label: str | None) -> None:
        combo = self.programmes[code]
        if programme_id and combo.findData(programme_id) < 0:
            # Proposed earlier, though the catalogue would not offer it now (ended, re-tagged).
            combo.addItem(label or programme_id, programme_id)
        combo.setCurrentIndex(max(0, combo.findData(programme_id)) if programme_id else 0)
        combo.setEnabled(self.deficits[code].isChecked() and combo.count() > 1)

    def _style(self, code: str) -> None:
        row = [c for c, _l in E.COMPETENCES].index(code)
        item = self.table.item(row, COL_COMPETENCE)
        deficit = self.deficits[code].isChecked()
        item.setForeground(Qt.GlobalColor.darkRed if deficit else self.table.palette().text().color())
        font = item.font()
        font.setBold(deficit)
        item.setFont(font)

    def _emit(self) -> None:
        if self._loading:
            return
        self._update_summary()
        self.changed.emit()

    def _update_summary(self) -> None:
        parts = []
        for code, label in E.COMPETENCES:
            if self.deficits[code].isChecked() and self.scores[code].text().strip():
                programme = self.programmes[code]
                proposed = programme.currentText() if programme.currentData() else "программа не предложена"
                parts.append(f"{label} → {proposed}")
        self.summary_label.setText(("Дефициты: " + "; ".join(parts)) if parts else "Дефицитов не выявлено.")
        self.summary_label.setStyleSheet(f"color: {DEFICIT_COLOR};" if parts else "")


def diagnostic_deficits(service: RecordService, diagnostic_id: str) -> list[str]:
    """The competence codes a diagnostic found deficient, in the catalogue's order."""
    if not diagnostic_id:
        return []
    ids = service.ids(ENTITY, filters={OWNER_FIELD: diagnostic_id, "is_deficit": True})
    found = {service.get(ENTITY, i)["competence"] for i in ids}
    return [code for code, _label in E.COMPETENCES if code in found]
