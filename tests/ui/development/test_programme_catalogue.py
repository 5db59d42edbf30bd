"""The programme catalogue list: filters by form, certification, provider, certificate term, competence; ended
and ending certificates stand out."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.ui.common.highlights import ALARM_TEXT, WARNING_BACKGROUND
from app.ui.common.record_page import RecordPage
from app.ui.shell.sections import Tab
from tests.services.development.conftest import make_org

TODAY = date.today()


def _titles(page: RecordPage) -> list[str]:
    return sorted(page.model.index(r, 0).data() for r in range(page.count()))


def test_filters_and_certificate_highlight(qtbot, records):
    academy = make_org(records, "Академия", "7707083893")
    records.create("programmes", {"title": "Цифровая дидактика", "hours": 36, "form": "distance",
                                  "certification_status": "certified", "certified_until": TODAY - timedelta(days=3),
                                  "competences": "digital", "provider_id": academy["id"]})
    records.create("programmes", {"title": "Грамотность", "hours": 72, "form": "full_time",
                                  "certification_status": "certified", "certified_until": TODAY + timedelta(days=20),
                                  "competences": "functional_literacy,digital_school"})
    records.create("programmes", {"title": "Инклюзия", "hours": 24, "form": "distance",
                                  "certification_status": "in_review", "competences": "inclusive"})
    page = RecordPage(records, Tab("programmes", "Программы"))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    page.ensure_loaded()
    panel = page.filter_panel
    assert panel.isVisible()
    assert set(panel.combos) >= {"form", "certification_status", "provider_id", "certificate_term", "competence"}

    headers = [page.model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
               for c in range(page.model.columnCount())]
    until_column = headers.index("Сертификат действует до")
    cells = {page.model.index(r, 0).data(): page.model.index(r, until_column) for r in range(page.count())}
    expired = cells["Цифровая дидактика"]
    assert expired.data(Qt.ItemDataRole.ForegroundRole) == QColor(ALARM_TEXT)
    assert "Сертификат программы истёк" in expired.data(Qt.ItemDataRole.ToolTipRole)
    assert cells["Грамотность"].data(Qt.ItemDataRole.BackgroundRole) == QColor(WARNING_BACKGROUND)
    assert cells["Инклюзия"].data(Qt.ItemDataRole.BackgroundRole) is None

    panel.set_filter("form", "distance")
    assert _titles(page) == ["Инклюзия", "Цифровая дидактика"]
    panel.set_filter("form", None)
    panel.set_filter("certificate_term", "expiring")
    assert _titles(page) == ["Грамотность"]
    panel.set_filter("certificate_term", "expired")
    assert _titles(page) == ["Цифровая дидактика"]
    panel.set_filter("certificate_term", None)
    panel.set_filter("competence", "digital")               # a whole code: not «digital_school»
    assert _titles(page) == ["Цифровая дидактика"]
    panel.set_filter("competence", None)
    panel.set_filter("provider_id", academy["id"])
    assert _titles(page) == ["Цифровая дидактика"]
    panel.set_filter("provider_id", None)
    panel.set_filter("certification_status", "in_review")
    assert _titles(page) == ["Инклюзия"]
