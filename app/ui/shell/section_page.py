"""A section of the main window as a page: one list, several lists and report tabs, a page of its own
(reports, the exchange with the region) or an explanatory text."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from app.services.registry.service import RecordService
from app.ui.common.messages import SURFACE_SCROLLER, ScrolledContent
from app.ui.common.record_page import RecordPage
from app.ui.common.section_types import Section
from app.ui.development.pd_reports import REPORTS, ReportTab
from app.ui.events.certificate_register import CertificateRegisterTab

# Report tabs a section may name: the PD reports and the certificate register.
REPORT_TABS = {**REPORTS, CertificateRegisterTab.key: CertificateRegisterTab}


def page_class(entity: str) -> type[RecordPage]:
    """The list page of an entity: a few have their own (events: a calendar and event actions)."""
    if entity == "events":
        from app.ui.events.page import EventsPage

        return EventsPage
    return RecordPage


def custom_page(key: str, service: RecordService, parent: QWidget) -> QWidget:
    """A section page that is not a list of records (Section.page); it has activate() and mark_stale()."""
    if key == "report_catalogue":
        from app.ui.reports.report_catalogue import ReportCatalogue

        return ReportCatalogue(service, parent)
    if key == "attention":
        from app.ui.reports.attention_page import AttentionPage

        return AttentionPage(service, parent)
    raise KeyError(key)


class SectionPage(QWidget):
    """A titled page: one list, several lists in tabs, or an explanatory text."""

    records_changed = Signal(str)

    def __init__(self, section: Section, service: RecordService, parent: QWidget | None = None):
        super().__init__(parent)
        self.section = section
        self.record_pages: dict[str, RecordPage] = {}
        self.report_tabs: dict[str, ReportTab] = {}
        self.tabs: QTabWidget | None = None
        self.custom_page: QWidget | None = None
        self.sync_page: QWidget | None = None
        self._service = service

        self.title_label = QLabel(section.title, self)
        self.title_label.setObjectName("pageTitle")
        self.description_label = QLabel(section.description, self)
        self.description_label.setObjectName("pageDescription")
        self.description_label.setWordWrap(True)
        # On a small logical screen (1366×768 at 150 % leaves 911×512) a page taller than the window
        # scrolls instead of forcing the window past the screen's edge.
        self.scroller = QScrollArea(self)
        self.scroller.setObjectName(SURFACE_SCROLLER)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        content = ScrolledContent(self.scroller)
        content.setObjectName("pageContent")
        self.scroller.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroller)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)

        if section.key == "exchange":
            # Built when first opened: the exchange page and its cryptography cost
            # a third of a second that no start-up should pay.
            layout.addWidget(self.description_label)
            self._layout = layout
            return
        if section.page:
            layout.addWidget(self.description_label)
            self.custom_page = custom_page(section.page, service, self)
            layout.addWidget(self.custom_page, 1)
            return
        if not section.tabs:
            self.description_label.setObjectName("placeholderText")
            self.description_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            frame = QFrame(self)
            frame.setObjectName("placeholderFrame")
            inner = QVBoxLayout(frame)
            inner.setContentsMargins(18, 16, 18, 16)
            inner.addWidget(self.description_label)
            layout.addSpacing(6)
            layout.addWidget(frame)
            layout.addStretch(1)
            return

        layout.addWidget(self.description_label)
        for key in section.reports:
            report = REPORT_TABS[key](service, self)
            report.records_changed.connect(self.records_changed)
            self.report_tabs[key] = report
        for tab in section.tabs:
            page = page_class(tab.entity)(service, tab, self)
            page.records_changed.connect(self.records_changed)
            self.record_pages[tab.entity] = page
        if len(section.tabs) == 1 and not section.reports:
            layout.addWidget(self.record_pages[section.tabs[0].entity], 1)
        else:
            self.tabs = QTabWidget(self)
            self.tabs.setDocumentMode(True)
            for tab in section.tabs:
                self.tabs.addTab(self.record_pages[tab.entity], tab.label)
            for key, report in self.report_tabs.items():
                self.tabs.addTab(report, report.label)
            self.tabs.currentChanged.connect(lambda _index: self.activate())
            layout.addSpacing(4)
            layout.addWidget(self.tabs, 1)

    def title(self) -> str:
        return self.title_label.text()

    def current_record_page(self) -> RecordPage | None:
        """The list on screen; None while a report tab is open."""
        if self.tabs is not None:
            widget = self.tabs.currentWidget()
            return widget if isinstance(widget, RecordPage) else None
        return next(iter(self.record_pages.values()), None)

    def show_report(self, key: str) -> ReportTab:
        report = self.report_tabs[key]
        if self.tabs is not None:
            self.tabs.setCurrentWidget(report)
        self.activate()
        return report

    def show_entity(self, entity: str) -> RecordPage:
        page = self.record_pages[entity]
        if self.tabs is not None:
            self.tabs.setCurrentWidget(page)
        self.activate()
        return page

    def activate(self) -> None:
        """Loads what is on screen; other tabs load when they are opened."""
        if self.section.key == "exchange" and self.sync_page is None:
            from app.ui.sync.page import SyncPage

            self.sync_page = SyncPage(self._service.db, self)
            self._layout.addWidget(self.sync_page, 1)
            self.sync_page.show()   # a layout shows a late child only on the next event loop turn
        if self.custom_page is not None:
            self.custom_page.activate()
        if self.tabs is not None and isinstance(self.tabs.currentWidget(), ReportTab):
            self.tabs.currentWidget().ensure_loaded()
            return
        page = self.current_record_page()
        if page is not None:
            page.ensure_loaded()

    def mark_stale(self, keep: "RecordPage | None" = None) -> None:
        if self.custom_page is not None:
            self.custom_page.mark_stale()
        for page in self.record_pages.values():
            if page is not keep:
                page.mark_stale()
        for report in self.report_tabs.values():
            report.mark_stale()
