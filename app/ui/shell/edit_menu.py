"""The «Правка» menu: what the list buttons of the open section do, where a Windows user looks for it.

The keys shown beside the items (Ctrl+N, Enter, Delete, Ctrl+F) belong to the
list pages and the window; the menu only names them, so that one key is never
bound twice (Qt then fires neither).
"""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QPushButton

from app.ui.common.record_page import RecordPage

# (key, text, the key shown, the list page's button that must be usable, what is done)
_ITEMS = (
    ("create", "Создать запись", "Ctrl+N", "create_button", lambda page: page.create_record()),
    ("edit", "Открыть выбранную запись", "Enter", "edit_button", lambda page: page.edit_selected()),
    ("delete", "Удалить выбранную запись", "Delete", "delete_button", lambda page: page.delete_selected()),
    (None, None, None, None, None),
    ("find", "Найти в списке", "Ctrl+F", None, None),
    ("trash", "Корзина списка…", "", "trash_button", lambda page: page.open_trash()),
)


def _usable(button: QPushButton | None) -> bool:
    return button is not None and not button.isHidden() and button.isEnabled()


def install_edit_menu(window: QMainWindow) -> dict[str, QAction]:
    """«Правка» after «Файл»; its items are enabled for the list the user looks at (tests use the actions)."""
    bar = window.menuBar()
    menu = bar.addMenu("Правка")
    if len(bar.actions()) > 2:
        bar.insertMenu(bar.actions()[1], menu)        # after «Файл»
    actions: dict[str, QAction] = {}
    needs: dict[str, str] = {}

    def page() -> RecordPage | None:
        return window.current_page().current_record_page()

    def run(do) -> None:
        current = page()
        if current is not None:
            do(current)

    for key, text, shown, button, do in _ITEMS:
        if key is None:
            menu.addSeparator()
            continue
        action = menu.addAction(f"{text}\t{shown}" if shown else text)
        if key == "find":
            action.triggered.connect(window._focus_search)
        else:
            action.triggered.connect(lambda _checked=False, do=do: run(do))
            needs[key] = button
        actions[key] = action

    def update() -> None:
        current = page()
        for key, action in actions.items():
            if current is None:
                action.setEnabled(False)
            elif key in needs:
                action.setEnabled(_usable(getattr(current, needs[key], None)))
            else:
                action.setEnabled(True)

    menu.aboutToShow.connect(update)
    window.edit_menu = menu
    window.edit_actions = actions
    window.update_edit_actions = update
    return actions
