"""The page «На контроле»: every deadline that is near or past, read off the GUI thread.

It replaces the window that used to pop up over the work after sign-in. The
main window puts the number of urgent records beside the page's name in the
sidebar (``counted``), from this page's own read or from the one «Главная»
makes at start, so the count is there before the page is ever opened. In the
region's database a municipality can be chosen: the groups then count and open
that municipality's records only, while the sidebar keeps the whole count.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.validators import format_date
from app.services.registry.service import RecordService
from app.services.reports.attention import AttentionGroup, attention_groups, urgent_count
from app.ui.reports.attention_list import AttentionList
from app.ui.reports.background_read import SHUTDOWN_WAIT_MS, BackgroundRead


class AttentionPage(QWidget):
    open_target = Signal(object)        # Target
    counted = Signal(int)               # records in the urgent groups, after each read

    def __init__(self, service: RecordService, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("attentionPage")
        self._db = service.db
        self._read = BackgroundRead(self)
        self._read.loaded.connect(self._on_loaded)
        self._read.failed.connect(lambda exc: self.status_label.setText(f"Не удалось проверить сроки: {exc}"))
        self._read.finished.connect(self._on_finished)
        self._stale = True
        self.today_override: date | None = None     # tests pin the date the service counts for
        self.groups: list[AttentionGroup] = []

        self.status_label = QLabel("", self)
        self.status_label.setObjectName("hintLabel")
        self.refresh_button = QPushButton("Обновить", self)
        self.refresh_button.setToolTip("Проверить сроки по текущим данным")
        self.refresh_button.clicked.connect(self.reload)
        self.list = AttentionList(self, fit_to_lines=False)
        self.list.open_target.connect(self.open_target)
        self.municipality_combo = QComboBox(self)
        self.municipality_combo.setObjectName("attentionMunicipality")
        self.municipality_combo.setToolTip("Сроки одного муниципалитета или всех")
        self.municipality_combo.addItem("Все муниципалитеты", "")
        for code, name in service.municipality_choices("teachers"):
            self.municipality_combo.addItem(name, code)
        self.municipality_combo.setVisible(self.municipality_combo.count() > 2)
        self.municipality_combo.currentIndexChanged.connect(self.reload)
        head = QHBoxLayout()
        head.addWidget(self.municipality_combo)
        head.addStretch(1)
        head.addWidget(self.status_label)
        head.addSpacing(8)
        head.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.list, 1)

    # -- the section page's interface ----------------------------------------------
    def activate(self) -> None:
        if self._stale:
            self.reload()

    def mark_stale(self) -> None:
        self._stale = True

    # -- reading --------------------------------------------------------------------
    def is_loading(self) -> bool:
        return self._read.is_loading()

    def origin(self) -> str | None:
        """The municipality the groups are limited to (region), or None."""
        return self.municipality_combo.currentData() or None

    @Slot()
    def reload(self) -> None:
        self._stale = False
        db, today, origin = self._db, self.today_override, self.origin()
        if not self._read.start(lambda progress, cancelled: _read_groups(db, today, origin)):
            self._stale = True          # read again once the running read is over
            return
        self.status_label.setText("Проверка сроков…")
        self.refresh_button.setEnabled(False)

    def wait(self, msecs: int = SHUTDOWN_WAIT_MS) -> None:
        self._read.wait(msecs)

    @Slot()
    def _on_finished(self) -> None:
        self.refresh_button.setEnabled(True)
        if self._stale and self.isVisible():
            self.reload()

    @Slot(object)
    def _on_loaded(self, result) -> None:
        today, groups, origin, whole = result
        if origin is not None:
            self.counted.emit(whole)
        self.show_groups(groups, today, origin)

    def show_groups(self, groups: list[AttentionGroup], today: date, origin: str | None = None) -> None:
        """Also fed by «Главная», whose read at start counts the same groups (of every municipality)."""
        if origin is None:
            self.counted.emit(urgent_count(groups))
        if origin != self.origin():
            return          # the user has chosen another municipality meanwhile: its read follows
        self.groups = list(groups)
        self._stale = False
        self.list.show_groups(self.groups)
        self.status_label.setText(f"по состоянию на {format_date(today)}")


def _read_groups(db, today: date | None, origin: str | None) -> tuple[date, list[AttentionGroup], str | None, int]:
    """The groups shown and the sidebar's count, which is of every municipality even while one is shown."""
    groups = attention_groups(db, today, origin=origin)
    whole = urgent_count(groups if origin is None else attention_groups(db, today))
    return today or date.today(), groups, origin, whole
