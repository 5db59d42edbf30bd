"""«Главная»: key figures, charts and «На контроле», read off the GUI thread.

The page stands in the main window's stack like a SectionPage (activate,
mark_stale, current_record_page). Every figure, bar, slice and attention line
emits ``open_target(Target)``; the window opens that list with its filters.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout,
    QWidget,
)

from app.domain import deadlines
from app.domain import enums as E
from app.domain.validators import format_date
from app.services.reports.dashboard import (
    Dashboard, Figure, compute_dashboard, event_month_bars, figures, material_status_bars, overdue_organization_bars,
    pd_status_bars,
)
from app.services.common.record_target import Target
from app.services.registry.service import RecordService
from app.ui.reports.attention_list import AttentionList
from app.ui.reports.dashboard_charts import LATE_COLOR, NONE_COLOR, OK_COLOR, SOON_COLOR, DashboardChart
from app.ui.common.section_types import Section
from app.ui.reports.background_read import SHUTDOWN_WAIT_MS, BackgroundRead

FIGURE_COLUMNS = 4
DASHBOARD_ITEMS_PER_GROUP = 3   # the page shows every group at a glance; the start-up summary names more
WIDE_FROM = 880             # page width (pixels) from which figures and charts go four and two a row
EVENT_COLORS = {"planned": "#9fc5e8", "held": "#5b9bd5", "cancelled": "#c4ccd4"}

PAGE_STYLE = """
#figureCard { background: #ffffff; border: 1px solid #d8e0e8; border-radius: 6px; text-align: left; }
#figureCard:hover { border-color: #5aa9e6; background: #f7fbfe; }
#figureCard:focus { border-color: #2f6ea5; }
#figureValue { font-size: 19pt; font-weight: bold; color: #1f2d3d; background: transparent; }
#figureValue[tone="alarm"] { color: #a12622; }
#figureValue[tone="warning"] { color: #8a5a00; }
#figureLabel { color: #5b6b7c; font-size: 9pt; background: transparent; }
#dashboardPanel { background: #ffffff; border: 1px solid #d8e0e8; border-radius: 6px; }
#panelTitle { font-size: 10.5pt; font-weight: bold; color: #1f2d3d; }
#attentionList { border: none; background: #ffffff; }
#attentionList::item { padding: 3px 2px; }
#attentionList::item:hover { background: #eef5fb; }
#dashboardScroll, #dashboardBody { background: #f4f7fa; }
"""


class FigureCard(QPushButton):
    """A key figure: the number large, what it counts below; a click opens the records."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(78)
        self.figure: Figure | None = None
        self.value_label = QLabel("—", self)
        self.value_label.setObjectName("figureValue")
        self.caption_label = QLabel("", self)
        self.caption_label.setObjectName("figureLabel")
        for label in (self.value_label, self.caption_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 12, 8)
        layout.setSpacing(0)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)

    def show_figure(self, figure: Figure) -> None:
        self.figure = figure
        self.value_label.setText(figure.text)
        self.value_label.setProperty("tone", figure.tone)
        self.value_label.style().unpolish(self.value_label)
        self.value_label.style().polish(self.value_label)
        self.caption_label.setText(figure.label)
        self.setToolTip(f"{figure.hint}.\nЩелчок открывает эти записи.")
        self.setAccessibleName(f"{figure.label}: {figure.text}")


def _panel(title: str, body: QWidget, parent: QWidget) -> QFrame:
    frame = QFrame(parent)
    frame.setObjectName("dashboardPanel")
    label = QLabel(title, frame)
    label.setObjectName("panelTitle")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(12, 10, 12, 8)
    layout.addWidget(label)
    layout.addWidget(body, 1)
    return frame


class FirstSteps(QFrame):
    """What to do on an empty base: organisations, then teachers, from a spreadsheet; or demo data."""

    import_requested = Signal(str)      # the entity whose list should open with its import dialog
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboardPanel")
        title = QLabel("С чего начать", self)
        title.setObjectName("panelTitle")
        text = QLabel(
            "В базе пока нет ни организаций, ни педагогов.\n"
            "1. Загрузите организации сети из таблицы Excel, ODS или CSV (название, ИНН, тип организации).\n"
            "2. Затем загрузите педагогов: они привяжутся к организациям по ИНН или названию.\n"
            "3. Программы, мероприятия, материалы и договоры добавляются в своих разделах.\n"
            "Чтобы сначала посмотреть, как всё работает, заполните базу демонстрационными данными.", self)
        text.setWordWrap(True)
        self.organizations_button = QPushButton("1. Загрузить организации…", self)
        self.organizations_button.setDefault(True)
        self.teachers_button = QPushButton("2. Загрузить педагогов…", self)
        self.demo_button = QPushButton("Демонстрационные данные…", self)
        self.organizations_button.clicked.connect(lambda: self.import_requested.emit("organizations"))
        self.teachers_button.clicked.connect(lambda: self.import_requested.emit("teachers"))
        self.demo_button.clicked.connect(self.demo_requested)
        buttons = QHBoxLayout()
        for b in (self.organizations_button, self.teachers_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.demo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(4)
        layout.addLayout(buttons)


class DashboardPage(QWidget):
    open_target = Signal(object)        # Target
    loaded = Signal(object)             # Dashboard, after each successful read
    records_changed = Signal(str)       # never emitted; the stack's pages share the interface

    def __init__(self, section: Section, db, parent: QWidget | None = None):
        super().__init__(parent)
        self.section = section
        self._db = db
        self.record_pages: dict = {}
        self.report_tabs: dict = {}
        self.tabs = None
        self.data: Dashboard | None = None
        self._read = BackgroundRead(self)
        self._read.loaded.connect(self._on_loaded)
        self._read.failed.connect(self._on_failed)
        self._read.finished.connect(self._on_finished)
        self._stale = True
        self.today_override: date | None = None     # tests pin the date the service counts for
        self.setStyleSheet(PAGE_STYLE)

        self.title_label = QLabel(section.title, self)
        self.title_label.setObjectName("pageTitle")
        self.description_label = QLabel(section.description, self)
        self.description_label.setObjectName("pageDescription")
        self.description_label.setWordWrap(True)
        self.status_label = QLabel("", self)
        self.status_label.setObjectName("hintLabel")
        self.refresh_button = QPushButton("Обновить", self)
        self.refresh_button.setToolTip("Пересчитать показатели по текущим данным")
        self.refresh_button.clicked.connect(self.reload)
        # The region's database holds many municipalities: the figures can show one of them.
        self.municipality_combo = QComboBox(self)
        self.municipality_combo.setObjectName("dashboardMunicipality")
        self.municipality_combo.addItem("Все муниципалитеты", "")
        for code, name in RecordService(db).municipality_choices("teachers"):
            self.municipality_combo.addItem(name, code)
        self.municipality_combo.setVisible(self.municipality_combo.count() > 1)
        self.municipality_combo.currentIndexChanged.connect(self.reload)
        head = QHBoxLayout()
        head.addWidget(self.title_label)
        head.addStretch(1)
        head.addWidget(self.municipality_combo)
        head.addWidget(self.status_label)
        head.addSpacing(8)
        head.addWidget(self.refresh_button)

        body = QWidget(self)
        body.setObjectName("dashboardBody")
        self.cards: dict[str, FigureCard] = {}
        card_grid = self._card_grid = QGridLayout()
        card_grid.setSpacing(10)
        for i, key in enumerate(("teachers", "organizations", "coverage", "overdue", "due_soon", "events",
                                 "materials_in_review", "young_without_mentor")):
            card = FigureCard(body)
            card.clicked.connect(lambda _checked=False, c=card: self._open_figure(c))
            self.cards[key] = card

        self.first_steps = FirstSteps(body)
        self.first_steps.hide()
        self.attention = AttentionList(body)
        self.attention.open_target.connect(self.open_target)
        self.pd_chart = DashboardChart("Сроки повышения квалификации", body)
        self.events_chart = DashboardChart(f"Мероприятия по месяцам, {date.today().year} год", body)
        self.materials_chart = DashboardChart("Материалы по статусу экспертизы", body)
        self.overdue_chart = DashboardChart("Просрочено повышение квалификации: 10 организаций, где таких педагогов больше всего", body)
        # Category labels of a vertical axis are cut to «…» once a band is lower than the text.
        self.overdue_chart.setMinimumHeight(360)
        for chart in self.charts():
            chart.bar_clicked.connect(self._open)

        grid = self._grid = QGridLayout()
        grid.setSpacing(12)
        self._attention_panel = _panel("На контроле", self.attention, body)
        self._wide: bool | None = None
        self._arrange(wide=True)
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 4, 8, 8)
        inner.setSpacing(12)
        inner.addWidget(self.first_steps)
        inner.addLayout(card_grid)
        inner.addLayout(grid)
        inner.addStretch(1)

        scroll = self.scroll = QScrollArea(self)
        scroll.setObjectName("dashboardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 12, 0)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.description_label)
        layout.addWidget(scroll, 1)

    def _arrange(self, wide: bool) -> None:
        """Four figures and two charts a row in a wide window; two figures and one chart in a narrow one."""
        if wide == self._wide:
            return
        self._wide = wide
        columns = FIGURE_COLUMNS if wide else 2
        for i, card in enumerate(self.cards.values()):
            self._card_grid.addWidget(card, i // columns, i % columns)
        grid = self._grid
        for widget in (self._attention_panel, *self.charts()):
            grid.removeWidget(widget)
        grid.addWidget(self._attention_panel, 0, 0, 1, 2)
        if wide:
            grid.addWidget(self.pd_chart, 1, 0)
            grid.addWidget(self.materials_chart, 1, 1)
        else:
            grid.addWidget(self.pd_chart, 1, 0, 1, 2)
            grid.addWidget(self.materials_chart, 2, 0, 1, 2)
        grid.addWidget(self.events_chart, 3, 0, 1, 2)
        grid.addWidget(self.overdue_chart, 4, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange(wide=event.size().width() >= WIDE_FROM)

    def charts(self) -> list[DashboardChart]:
        return [self.pd_chart, self.events_chart, self.materials_chart, self.overdue_chart]

    # -- the stack's page interface -----------------------------------------------
    def title(self) -> str:
        return self.title_label.text()

    def current_record_page(self):
        return None

    def activate(self) -> None:
        if self._stale:
            self.reload()

    def mark_stale(self, keep=None) -> None:
        self._stale = True

    # -- reading --------------------------------------------------------------
    def is_loading(self) -> bool:
        return self._read.is_loading()

    @Slot()
    def reload(self) -> None:
        """Re-reads in a worker thread; a read already running is left to finish and then repeated."""
        self._stale = False
        db, today, origin = self._db, self.today_override, self.origin()
        if not self._read.start(lambda progress, cancelled: compute_dashboard(db, today, progress, cancelled, origin)):
            self._stale = True
            return
        self.status_label.setText("Подсчёт…")
        self.refresh_button.setEnabled(False)

    def wait(self, msecs: int = SHUTDOWN_WAIT_MS) -> None:
        """Stops a running read (the window closes): the worker must not outlive the database."""
        self._read.wait(msecs)

    @Slot()
    def _on_finished(self) -> None:
        self.refresh_button.setEnabled(True)
        if self._stale and self.isVisible():
            self.reload()

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        self.status_label.setText(f"Не удалось подсчитать показатели: {exc}")

    @Slot(object)
    def _on_loaded(self, d: Dashboard) -> None:
        self.data = d
        self.first_steps.setVisible(d.teachers == 0 and d.organizations == 0)
        self.status_label.setText(f"по состоянию на {format_date(d.today)}")
        for figure in figures(d):
            self.cards[figure.key].show_figure(figure)
        self.attention.show_groups(d.attention, DASHBOARD_ITEMS_PER_GROUP)
        self.pd_chart.show_pie(pd_status_bars(d), [OK_COLOR, SOON_COLOR, LATE_COLOR, NONE_COLOR])
        stacks = {E.EventStatus.label_of(k): bars for k, bars in event_month_bars(d).items()}
        self.events_chart.chart().setTitle(f"Мероприятия по месяцам, {d.today.year} год")
        self.events_chart.show_stacked(stacks, list(deadlines.MONTH_SHORT),
                                       [EVENT_COLORS[k] for k in event_month_bars(d)])
        self.materials_chart.show_bars(material_status_bars(d), "#7fa8cf", horizontal=True)
        self.overdue_chart.show_bars(overdue_organization_bars(d), LATE_COLOR, horizontal=True)
        self.loaded.emit(d)

    # -- clicks -----------------------------------------------------------------
    def origin(self) -> str | None:
        """The municipality the figures are limited to (region), or None."""
        return self.municipality_combo.currentData() or None

    @Slot(object)
    def _open(self, target: Target) -> None:
        """A figure's records: in the region, those of the municipality the page shows."""
        origin = self.origin()
        if origin and target.entity:
            target = Target(target.entity, tuple(sorted({**target.filter_dict(), "origin": origin}.items())),
                            target.record_id, target.report)
        self.open_target.emit(target)

    def _open_figure(self, card: FigureCard) -> None:
        if card.figure is not None:
            self._open(card.figure.target)
