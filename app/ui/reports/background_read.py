"""One read of a page at a time, off the GUI thread: «Главная» and «На контроле» read this way.

A page asks ``start``; while a read runs the page remembers it is stale and asks
again when ``finished`` comes. ``wait`` stops a read as the window closes, so the
worker does not outlive the database.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from app.ui.common.task_runner import CancelledFn, ProgressFn, Task

SHUTDOWN_WAIT_MS = 30_000


class BackgroundRead(QObject):
    loaded = Signal(object)             # what the read returned
    failed = Signal(object)             # the exception; str(exc) is the user's message
    finished = Signal()                 # after loaded or failed (or a cancel)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._task: Task | None = None

    def is_loading(self) -> bool:
        return self._task is not None and self._task.is_running()

    def start(self, read: Callable[[ProgressFn, CancelledFn], Any]) -> bool:
        """Starts ``read`` in a worker; False (nothing started) while the previous one runs."""
        if self.is_loading():
            return False
        # No Qt parent: the page may go before its worker ends; task_runner keeps the task until then.
        task = Task(read)
        task.succeeded.connect(self.loaded)
        task.failed.connect(self.failed)
        task.finished.connect(self.finished)
        self._task = task
        task.start()
        return True

    def wait(self, msecs: int = SHUTDOWN_WAIT_MS) -> None:
        if self.is_loading():
            self._task.cancel()
            self._task.wait(msecs)
