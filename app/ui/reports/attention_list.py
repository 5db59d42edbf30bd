"""«На контроле» on screen: groups with their counts and most urgent records; a click opens them.

AttentionList is the tree on «Главная» (a few records per group, as tall as its
lines) and on the page «На контроле» (every record the service names, filling
the page). Nothing pops up over the work: the sidebar shows the count instead.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from app.services.reports.attention import AttentionGroup
from app.services.reports.dashboard import format_number
from app.services.common.record_target import Target

TONE_COLORS = {"alarm": "#c8554e", "warning": "#d9a23b", "info": "#5b9bd5"}
TONE_TEXT = {"alarm": "#a12622", "warning": "#7a5200", "info": "#1f2d3d"}
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_VISIBLE_LINES = 13
NOTHING_TEXT = "Сроки под контролем: просроченных и подходящих сроков нет."


def _dot(color: str, size: int = 10) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class AttentionList(QTreeWidget):
    """Groups (bold, with a count) over their records; a click or Enter emits ``open_target``."""

    open_target = Signal(object)        # Target

    def __init__(self, parent: QWidget | None = None, fit_to_lines: bool = True):
        super().__init__(parent)
        self.setObjectName("attentionList")
        self._fit_to_lines = fit_to_lines
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(22)
        self.setUniformRowHeights(True)
        self.setIconSize(QSize(10, 10))
        self.setMouseTracking(True)
        self.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self._when_width = self.fontMetrics().horizontalAdvance("00.00.0000 — просрочено на 000 дней") + 24
        self.groups: list[AttentionGroup] = []
        self.itemClicked.connect(self._on_item)
        self.itemActivated.connect(self._on_item)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        # The deadline column keeps its width while the text beside it can still be read.
        self.header().resizeSection(1, min(self._when_width, self.viewport().width() * 2 // 5))

    def show_groups(self, groups: list[AttentionGroup], items_per_group: int | None = None) -> None:
        """``items_per_group`` names fewer records than the service found (the rest behind «и ещё…»)."""
        self.clear()
        self.groups = list(groups)
        bold = QFont(self.font())
        bold.setBold(True)
        if not groups:
            item = QTreeWidgetItem(self, [NOTHING_TEXT, ""])
            item.setForeground(0, QBrush(QColor("#4d7a4d")))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            if self._fit_to_lines:
                self.fit_height()
            return
        for group in groups:
            top = QTreeWidgetItem(self, [group.title, format_number(group.count)])
            top.setIcon(0, _dot(TONE_COLORS[group.tone]))
            top.setFont(0, bold)
            top.setFont(1, bold)
            top.setForeground(1, QBrush(QColor(TONE_TEXT[group.tone])))
            top.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            top.setData(0, TARGET_ROLE, group.target)
            top.setToolTip(0, "Открыть список")
            shown = group.items[:items_per_group] if items_per_group is not None else group.items
            for record in shown:
                child = QTreeWidgetItem(top, [record.text, record.when])
                child.setData(0, TARGET_ROLE, record.target)
                child.setToolTip(0, f"{record.text}\n{record.when}")
                child.setToolTip(1, record.when)
                child.setForeground(1, QBrush(QColor(TONE_TEXT[group.tone] if record.days_left < 0 else "#5b6b7c")))
            rest = group.count - len(shown)
            if shown and rest > 0:
                more = QTreeWidgetItem(top, [f"и ещё {format_number(rest)} — открыть весь список", ""])
                more.setData(0, TARGET_ROLE, group.target)
                more.setForeground(0, QBrush(QColor("#2f6ea5")))
            top.setExpanded(True)
        if self._fit_to_lines:
            self.fit_height()

    def fit_height(self) -> None:
        """As tall as its lines, up to MAX_VISIBLE_LINES; the page scrolls, not the list, for short ones."""
        lines = sum(1 + self.topLevelItem(i).childCount() for i in range(self.topLevelItemCount()))
        row = self.sizeHintForRow(0) if self.topLevelItemCount() else self.fontMetrics().height() + 8
        self.setFixedHeight(min(max(lines, 2), MAX_VISIBLE_LINES) * row + 2 * self.frameWidth() + 4)

    def group_item(self, key: str) -> QTreeWidgetItem:
        index = next(i for i, g in enumerate(self.groups) if g.key == key)
        return self.topLevelItem(index)

    def target_of(self, item: QTreeWidgetItem) -> Target | None:
        return item.data(0, TARGET_ROLE)

    @Slot(QTreeWidgetItem, int)
    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = self.target_of(item)
        if target is not None:
            self.open_target.emit(target)
