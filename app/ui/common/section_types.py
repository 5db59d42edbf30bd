"""What a section of the main window is: a title, lists of records in tabs, report tabs or a page of its own.

The shell lists the sections (shell.sections); the pages that draw them only need these shapes.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tab:
    entity: str
    label: str
    search_hint: str = "Поиск"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str
    tabs: tuple[Tab, ...] = ()      # empty for a page that is not a list of records
    reports: tuple[str, ...] = ()   # read-only report tabs after the lists (shell.section_page.REPORT_TABS keys)
    page: str = ""                  # a page of its own instead of lists (shell.section_page.custom_page keys)

    @property
    def entities(self) -> tuple[str, ...]:
        return tuple(t.entity for t in self.tabs)
