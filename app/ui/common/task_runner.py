"""Running a plain function off the GUI thread, with progress and cancel.

The function knows nothing of Qt: it receives ``progress(fraction, message)``
and ``is_cancelled()`` and returns a result or raises. Every public signal of
``Task`` is emitted on the GUI thread, so slots may touch widgets freely.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

ProgressFn = Callable[[float, str], None]
CancelledFn = Callable[[], bool]
TaskFn = Callable[[ProgressFn, CancelledFn], Any]

# Work loops may report thousands of times a second; the event loop needs only a few.
PROGRESS_INTERVAL_S = 0.05

# Every task whose worker has not returned: the program waits for them before it ends,
# since Qt aborts the process when a QThread is destroyed while it runs.
_RUNNING: set["Task"] = set()
_RUNNING_LOCK = threading.Lock()


def running_tasks() -> list["Task"]:
    with _RUNNING_LOCK:
        return list(_RUNNING)


def stop_all_tasks(msecs: int) -> bool:
    """Asks every running task to stop and waits for each (at most ``msecs`` apiece); True if none is left."""
    tasks = running_tasks()
    for task in tasks:
        task.cancel()
    return all(task.wait(msecs) for task in tasks)


class _WorkerThread(QThread):
    def __init__(self, body: Callable[[], None]):
        super().__init__()
        self._body = body

    def run(self) -> None:
        self._body()


class Task(QObject):
    """One run of ``fn`` in a worker thread; exactly one of succeeded/failed/cancelled, then finished."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)      # the exception; str(exc) is the user's message
    cancelled = Signal()
    finished = Signal()

    # Emitted from the worker thread; connected to a slot of this GUI-thread
    # object, so Qt queues it and the public signal is re-emitted on the GUI thread.
    _worker_progress = Signal(float, str)

    def __init__(self, fn: TaskFn, parent: QObject | None = None):
        super().__init__(parent)
        self._fn = fn
        self._cancel_requested = threading.Event()
        self._thread: _WorkerThread | None = None
        self._final: tuple[str, Any] | None = None   # written by the worker before it ends
        self._done = False
        self._last_report = (0.0, None)
        self.result: Any = None
        self.error: BaseException | None = None
        self._worker_progress.connect(self._relay_progress)

    # -- GUI thread ------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("a Task runs once")
        self._thread = _WorkerThread(self._run)
        self._thread.finished.connect(self._on_thread_finished)
        with _RUNNING_LOCK:
            _RUNNING.add(self)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel_requested.set()

    def is_running(self) -> bool:
        return self._thread is not None and not self._done

    def is_cancel_requested(self) -> bool:
        return self._cancel_requested.is_set()

    def wait(self, msecs: int = -1) -> bool:
        """Blocks until the worker has returned (for shutdown, not for normal use)."""
        if self._thread is None:
            return True
        return self._thread.wait(msecs) if msecs >= 0 else self._thread.wait()

    @Slot(float, str)
    def _relay_progress(self, fraction: float, message: str) -> None:
        if not self._done:
            self.progressed.emit(fraction, message)

    @Slot()
    def _on_thread_finished(self) -> None:
        kind, value = self._final or ("failed", RuntimeError("Задача завершилась без результата."))
        self._done = True
        with _RUNNING_LOCK:
            _RUNNING.discard(self)
        if kind == "succeeded":
            self.result = value
            self.succeeded.emit(value)
        elif kind == "cancelled":
            self.cancelled.emit()
        else:
            self.error = value
            self.failed.emit(value)
        self.finished.emit()

    # -- worker thread ---------------------------------------------------
    def _report(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        last_time, last_message = self._last_report
        if message != last_message or now - last_time >= PROGRESS_INTERVAL_S:
            self._last_report = (now, message)
            self._worker_progress.emit(float(fraction), str(message))

    def _run(self) -> None:
        try:
            value = self._fn(self._report, self._cancel_requested.is_set)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI as a message
            # Whatever the function raises after a cancel request is how it stopped.
            if self._cancel_requested.is_set():
                outcome = ("cancelled", exc)
            else:
                log.exception("background task failed")
                outcome = ("failed", exc)
        else:
            outcome = ("succeeded", value)
        # QThread.finished is emitted after this returns, so the GUI thread reads it safely.
        self._final = outcome
