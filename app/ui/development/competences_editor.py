"""The competences a programme addresses, or the deficits a route addresses: ticked, not typed as codes.

Both are stored as comma-separated competence codes (app.domain.enums.COMPETENCES);
the form shows one check box per competence with its Russian name. A code
this version does not know (received from another office) is kept as it is.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget

from app.domain.enums import COMPETENCE_LABELS, COMPETENCES
from app.services.common.fields import Field

# The fields edited with this widget: (entity field name).
COMPETENCE_FIELDS = ("competences", "deficits")
COLUMNS = 2


def competence_text(codes: str | None) -> str:
    """«digital,fgos» → «Цифровые образовательные технологии; Требования ФГОС и ФОП»."""
    parts = [c.strip() for c in (codes or "").split(",") if c.strip()]
    return "; ".join(COMPETENCE_LABELS.get(c, c) for c in parts)


class CompetencesEditor(QWidget):
    changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None, columns: int = COLUMNS):
        super().__init__(parent)
        self.field = field
        self.boxes: dict[str, QCheckBox] = {}
        self._unknown: list[str] = []
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(16)
        layout.setVerticalSpacing(2)
        rows = (len(COMPETENCES) + columns - 1) // columns
        for n, (code, label) in enumerate(COMPETENCES):
            box = QCheckBox(label, self)
            box.setObjectName(f"competence_{code}")
            box.toggled.connect(lambda _on: self.changed.emit())
            layout.addWidget(box, n % rows, n // rows)
            self.boxes[code] = box

    def value(self) -> str:
        codes = [code for code, box in self.boxes.items() if box.isChecked()]
        return ",".join(codes + self._unknown)

    def set_value(self, value: Any, record: dict | None = None) -> None:
        codes = [c.strip() for c in str(value or "").split(",") if c.strip()]
        self._unknown = [c for c in codes if c not in self.boxes]
        for code, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(code in codes)
            box.blockSignals(False)
        self.changed.emit()

    def set_codes(self, codes: list[str]) -> None:
        self.set_value(",".join(codes))

    def local_error(self) -> str | None:
        return None

    def is_blank(self) -> bool:
        return not self.value()
