"""Qt's own file dialog speaks Russian: the texts qtbase_ru.qm lacks are supplied by the program."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QPushButton, QToolButton

from app.ui.shell.application import install_russian


def _texts_of_the_dialog(qtbot, ask) -> list[str]:
    seen: list[str] = []

    def look():
        dialog = QApplication.activeModalWidget()
        seen.extend(label.text() for label in dialog.findChildren(QLabel) if label.text())
        seen.extend(b.text() for b in dialog.findChildren(QPushButton) if b.text())
        seen.extend(b.toolTip() for b in dialog.findChildren(QToolButton) if b.toolTip())
        dialog.reject()

    QTimer.singleShot(300, look)
    ask()
    return seen


def test_save_open_and_folder_dialogs_have_no_english_labels(qtbot, qapp, tmp_path):
    install_russian(qapp)
    options = QFileDialog.Option.DontUseNativeDialog
    saved = _texts_of_the_dialog(qtbot, lambda: QFileDialog.getSaveFileName(
        None, "Сохранить отчёт", str(tmp_path / "Охват ПК.xlsx"), "Excel (*.xlsx)", options=options))
    assert {"&Папка:", "&Имя файла:", "&Тип файлов:", "&Сохранить", "Отмена"} <= set(saved)
    assert {"Назад", "Вперёд", "Родительская папка", "Создать папку", "Список", "Подробно"} <= set(saved)
    opened = _texts_of_the_dialog(qtbot, lambda: QFileDialog.getOpenFileName(
        None, "Открыть пакет", str(tmp_path), "Пакет (*.msp)", options=options))
    assert "&Открыть" in opened and "&Тип файлов:" in opened
    english = ("Look in", "Files of type", "File name", "Back", "Forward", "Parent Directory", "Detail View",
               "Cancel", "Save", "Open")
    assert not [t for t in saved + opened if any(t.replace("&", "").startswith(e) for e in english)]
