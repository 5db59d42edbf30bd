from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread

from app.ui.common.progress_dialog import TaskProgressDialog
from app.ui.common.task_runner import Task


def test_result_and_progress_arrive_on_the_gui_thread(qtbot):
    gui_thread = QThread.currentThread()
    seen = []

    def work(progress, is_cancelled):
        worker = threading.current_thread()
        for i in range(5):
            progress(i / 4, f"шаг {i}")
        return ("готово", worker is not threading.main_thread())

    task = Task(work)
    task.progressed.connect(lambda f, m: seen.append((f, m, QThread.currentThread() is gui_thread)))
    with qtbot.waitSignal(task.succeeded, timeout=5000) as done:
        task.start()
    assert done.args[0] == ("готово", True)
    assert task.result == ("готово", True)
    assert not task.is_running()
    assert seen and all(on_gui for _f, _m, on_gui in seen)
    assert seen[0][1] == "шаг 0"


def test_an_exception_becomes_failed_with_its_message(qtbot):
    def work(progress, is_cancelled):
        raise ValueError("Файл повреждён: строка 7")

    task = Task(work)
    with qtbot.waitSignal(task.failed, timeout=5000) as failed:
        task.start()
    assert str(failed.args[0]) == "Файл повреждён: строка 7"
    assert isinstance(task.error, ValueError)


def _until_cancelled(progress, is_cancelled):
    start = time.monotonic()
    while not is_cancelled():
        if time.monotonic() - start > 10:
            return "не отменено"
        progress(0.5, "работа")
        time.sleep(0.005)
    raise RuntimeError("остановлено")


def test_cancel_ends_in_cancelled_not_failed(qtbot):
    task = Task(_until_cancelled)
    outcomes = []
    task.failed.connect(lambda e: outcomes.append("failed"))
    task.succeeded.connect(lambda r: outcomes.append("succeeded"))
    task.cancelled.connect(lambda: outcomes.append("cancelled"))
    task.start()
    assert task.is_running()
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.cancel()
    assert outcomes == ["cancelled"]


def test_a_task_runs_once(qtbot):
    task = Task(lambda progress, is_cancelled: 1)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    with pytest.raises(RuntimeError):
        task.start()


def test_progress_dialog_follows_and_cancel_stops_the_task(qtbot):
    task = Task(_until_cancelled)
    dialog = TaskProgressDialog(task, "Проверка", "Работаем…")
    task.start()
    dialog.show()
    qtbot.waitUntil(lambda: dialog.value() == 500 and dialog.labelText() == "работа", timeout=5000)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        dialog.canceled.emit()
        assert dialog.isVisible()           # stays up, saying it is cancelling, until the worker returns
        assert dialog.labelText().startswith("Отмена")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


def test_closing_the_main_window_stops_every_task_still_running(qtbot, db):
    import threading

    from app.ui.common.task_runner import running_tasks
    from app.ui.shell.main_window import MainWindow

    window = MainWindow(db)
    qtbot.addWidget(window)
    started = threading.Event()

    def until_cancelled(_progress, is_cancelled):
        started.set()
        while not is_cancelled():
            time.sleep(0.01)
        return "stopped"

    orphan = Task(until_cancelled)          # a card's or a list's read, owned by no window
    orphan.start()
    assert started.wait(5)
    window.close()
    # The worker has returned: the process may end without Qt aborting on a running thread.
    assert orphan._thread.isFinished()
    qtbot.waitUntil(lambda: orphan not in running_tasks())
