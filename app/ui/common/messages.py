"""The questions and messages the record pages and forms ask, each one function.

Callers use them through the module (``messages.confirm_delete(...)``), so a
test replaces one function and never meets a blocking message box.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFrame, QLabel, QMessageBox, QScrollArea, QVBoxLayout, QWidget, QWizard

APP_TITLE = "МетодСеть"

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
# A dialog takes at most this share of the available screen: a 1366×768 monitor leaves about
# 1366×728 above the taskbar, and the title bar and borders come on top of the size asked for.
SCREEN_SHARE = 0.9
# The scroll area that holds a whole page or dialog when the screen is too small for it (1366×768 at 150 %
# leaves 911×472 logical pixels): what it holds scrolls instead of lying past the screen's edge.
SURFACE_SCROLLER = "pageScroller"
FRAME_ALLOWANCE = (16, 40)          # the borders and the title bar a window manager adds


def confirm_discard(parent: QWidget | None) -> str:
    """Closing a form with changes: SAVE, DISCARD or CANCEL (stay in the form)."""
    box = QMessageBox(QMessageBox.Icon.Question, APP_TITLE, "Сохранить изменения?", QMessageBox.StandardButton.NoButton,
                      parent)
    box.setInformativeText("В форме есть изменения, которые ещё не сохранены.")
    save = box.addButton("Сохранить", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Не сохранять", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Отмена", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL


def confirm_delete(parent: QWidget | None, what: str) -> bool:
    """«Удалить …? Запись можно будет восстановить из корзины.» — True to delete."""
    box = QMessageBox(QMessageBox.Icon.Question, APP_TITLE, delete_question(what),
                      QMessageBox.StandardButton.NoButton, parent)
    delete = box.addButton("Удалить", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Отмена", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is delete


def delete_question(what: str) -> str:
    return f"Удалить {what}? Запись можно будет восстановить из корзины."


def confirm_undo_merge(parent: QWidget | None, keep_name: str, other_name: str) -> bool:
    """«Отменить объединение …?» — True to undo."""
    box = QMessageBox(QMessageBox.Icon.Question, APP_TITLE, undo_merge_question(keep_name, other_name),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setInformativeText("Обе записи снова станут отдельными, перенесённые данные вернутся к своим записям.")
    undo = box.addButton("Отменить объединение", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Не отменять", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is undo


def undo_merge_question(keep_name: str, other_name: str) -> str:
    return f"Отменить объединение записей «{keep_name}» и «{other_name}»?"


def show_error(parent: QWidget | None, text: str) -> None:
    """A refusal or failure the user must read (the service's Russian message)."""
    QMessageBox.warning(parent, APP_TITLE, text)


def saved_text(path: str) -> str:
    return f"Документ сохранён: {path}"


def document_saved(parent: QWidget | None, path: str) -> bool:
    """«Документ сохранён: …» with «Открыть» — True if the user wants to open the file."""
    box = QMessageBox(QMessageBox.Icon.Information, APP_TITLE, saved_text(path), QMessageBox.StandardButton.NoButton,
                      parent)
    open_button = box.addButton("Открыть", QMessageBox.ButtonRole.AcceptRole)
    close = box.addButton("Закрыть", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(open_button)
    box.setEscapeButton(close)
    box.exec()
    return box.clickedButton() is open_button


def dialog_heading(parent: QWidget, title: str, hint: str) -> tuple[QLabel, QLabel]:
    """A dialog's title line and the wrapped hint under it, styled by the shared sheet."""
    title_label = QLabel(title, parent)
    title_label.setObjectName("dialogTitle")
    hint_label = QLabel(hint, parent)
    hint_label.setObjectName("hintLabel")
    hint_label.setWordWrap(True)
    return title_label, hint_label


def error_line(parent: QWidget, text: str = "") -> QLabel:
    """The red, wrapped line under a form where a refusal is told (``errorLabel``)."""
    label = QLabel(text, parent)
    label.setObjectName("errorLabel")
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    return label


def show_in_line(label: QLabel, text: str, *, done: bool = False) -> None:
    """A dialog's message line (``#messageLabel``): hidden when empty, green for a step done, pink for a refusal."""
    label.setText(text)
    label.setVisible(bool(text))
    tone = "done" if done else "refused"
    if label.property("tone") != tone:
        label.setProperty("tone", tone)
        label.style().unpolish(label)      # a dynamic property restyles only when polished again
        label.style().polish(label)


def within_screen(dialog: QWidget, width: int, height: int, share: float = SCREEN_SHARE) -> tuple[int, int]:
    """width×height, or ``share`` of the available screen where that is less."""
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return width, height
    available = screen.availableGeometry()
    return min(width, int(available.width() * share)), min(height, int(available.height() * share))


def fit_minimum(dialog: QWidget, width: int, height: int, share: float = SCREEN_SHARE) -> None:
    """The least size of ``dialog``, but never more than ``share`` of the available screen: below that the
    dialog's own layout decides (a minimum larger than the screen puts the buttons off it)."""
    dialog.setMinimumSize(*within_screen(dialog, width, height, share))


def fit_to_screen(dialog: QWidget, width: int, height: int, share: float = SCREEN_SHARE) -> tuple[int, int]:
    """Resizes ``dialog`` to width×height, or to ``share`` of the available screen where that is less; the size set."""
    width, height = within_screen(dialog, width, height, share)
    dialog.resize(width, height)
    return width, height


UNWRAPPED_WIDTH = 10_000


class ScrolledContent(QWidget):
    """What a page's or dialog's scroller holds. It scrolls only below its least height: QScrollArea would
    take the preferred height for width of wrapped labels and flowing button rows as the least one, and
    scroll (and stretch) a page that fits."""

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        # The least height, plus the lines that wrapping adds at this width: what a very wide surface of the
        # same content needs is the baseline.
        wrapped = super().heightForWidth(width) - super().heightForWidth(UNWRAPPED_WIDTH)
        return self.minimumSizeHint().height() + max(wrapped, 0)


class ScrollWhenTooLarge(QObject):
    """Installed on the application: a dialog whose least size does not fit the screen gets its content put
    into a scroll area the first time it is shown, and is sized inside the screen. On a screen that has room
    nothing changes."""

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if (event.type() == QEvent.Type.Show and isinstance(obj, QDialog)
                and not isinstance(obj, (QMessageBox, QWizard)) and obj.property("fitChecked") is None):
            obj.setProperty("fitChecked", True)
            scroll_if_too_large(obj)
        return False


def scroll_if_too_large(dialog: QDialog) -> bool:
    """Puts ``dialog``'s layout into a scroll area when its least size with the frame exceeds the available
    screen; True when it did."""
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    layout = dialog.layout()
    if screen is None or layout is None:
        return False
    available = screen.availableGeometry()
    least = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
    room_w, room_h = available.width() - FRAME_ALLOWANCE[0], available.height() - FRAME_ALLOWANCE[1]
    if least.width() <= room_w and least.height() <= room_h:
        return False
    content = ScrolledContent()
    content.setLayout(layout)            # the layout and its widgets move over whole
    scroller = QScrollArea(dialog)
    scroller.setObjectName(SURFACE_SCROLLER)
    scroller.setWidgetResizable(True)
    scroller.setFrameShape(QFrame.Shape.NoFrame)
    scroller.setWidget(content)
    dialog.setMinimumSize(0, 0)
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroller)
    dialog.resize(min(max(dialog.width(), least.width()), room_w), min(max(dialog.height(), least.height()), room_h))
    # move() places the frame: its top at the top of the area, so the bottom (the buttons) stays above the taskbar.
    dialog.move(available.x() + (available.width() - dialog.width() - FRAME_ALLOWANCE[0]) // 2, available.y())
    return True
