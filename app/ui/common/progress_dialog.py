"""A progress window over a background Task, with Cancel."""
from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.ui.common.task_runner import Task

STEPS = 1000


class TaskProgressDialog(QProgressDialog):
    """Follows ``task`` and closes itself when it finishes.

    Cancel only asks the task to stop: the window stays (as «Отмена…») until
    the worker has really returned, so nobody edits data it is still writing.
    """

    def __init__(self, task: Task, title: str, label: str, parent: QWidget | None = None):
        super().__init__(label, "Отмена", 0, STEPS, parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(460)
        self._task = task
        self._finished = False
        task.progressed.connect(self._on_progress)
        task.finished.connect(self._on_finished)
        self.canceled.connect(self._on_cancel)
        self.setValue(0)

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        if self._task.is_cancel_requested():
            return
        self.setValue(max(0, min(STEPS, round(fraction * STEPS))))
        if message:
            self.setLabelText(message)

    @Slot()
    def _on_cancel(self) -> None:
        # QProgressDialog hides itself on cancel and on close; while the
        # worker is still running the user must keep seeing that it is.
        if self._finished:
            return
        self._task.cancel()
        self.setLabelText("Отмена… Дождитесь, пока изменения будут отменены.")
        self.setRange(0, 0)
        self.show()

    @Slot()
    def _on_finished(self) -> None:
        self._finished = True
        self.close()
        self.deleteLater()
