"""Where a figure or a «На контроле» line leads: a list with filters, one record in it, or a report tab."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    entity: str | None = None                       # the list (RecordService entity name)
    filters: tuple[tuple[str, str], ...] = ()       # named and field filters, as the list's panel takes them
    record_id: str | None = None                    # the record to select in that list
    report: str | None = None                       # or a read-only report tab (pd_reports.REPORTS key)

    @staticmethod
    def records(entity: str, record_id: str | None = None, **filters: str) -> "Target":
        return Target(entity, tuple(sorted(filters.items())), record_id)

    @staticmethod
    def report_tab(key: str) -> "Target":
        return Target(report=key)

    def filter_dict(self) -> dict[str, str]:
        return dict(self.filters)
