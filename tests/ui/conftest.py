"""GUI test fixtures: one styled QApplication, and a first-start question that never blocks."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.ui.shell.application import setup_application  # noqa: E402
from app.ui.demo.first_start_dialog import FirstStartDialog  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _styled_app(qapp):
    setup_application(qapp)
    return qapp


@pytest.fixture(autouse=True)
def first_start_answers(monkeypatch):
    """What FirstStartDialog.ask returns (default: an empty base); each call is recorded."""
    answers = {"value": None, "calls": 0}

    def ask(cls, parent=None):
        answers["calls"] += 1
        return answers["value"]

    monkeypatch.setattr(FirstStartDialog, "ask", classmethod(ask))
    return answers


@pytest.fixture
def teachers(records):
    """Three teachers whose surnames differ in «ё», in no particular order."""
    ids = {}
    for last, first in (("Семёнов", "Андрей"), ("Фёдоров", "Пётр"), ("Иванов", "Иван")):
        ids[last] = records.create("teachers", {"last_name": last, "first_name": first})["id"]
    return ids


@pytest.fixture(autouse=True)
def message_answers(monkeypatch):
    """No message box may block a test: discard on close, decline deletes, record errors.

    A test changes an answer (``message_answers["delete"] = True``) and reads
    what was asked or shown from the lists.
    """
    from app.ui.common import messages

    state = {"discard": messages.DISCARD, "delete": False, "asked_delete": [], "errors": [], "asked_discard": 0,
             "undo_merge": False, "asked_undo_merge": [], "saved": [], "open_saved": False}

    def confirm_discard(parent):
        state["asked_discard"] += 1
        return state["discard"]

    def confirm_delete(parent, what):
        state["asked_delete"].append(messages.delete_question(what))
        return state["delete"]

    def confirm_undo_merge(parent, keep_name, other_name):
        state["asked_undo_merge"].append(messages.undo_merge_question(keep_name, other_name))
        return state["undo_merge"]

    monkeypatch.setattr(messages, "confirm_discard", confirm_discard)
    monkeypatch.setattr(messages, "confirm_undo_merge", confirm_undo_merge)
    monkeypatch.setattr(messages, "confirm_delete", confirm_delete)
    def document_saved(parent, path):
        state["saved"].append(messages.saved_text(path))
        return state["open_saved"]

    monkeypatch.setattr(messages, "show_error", lambda parent, text: state["errors"].append(text))
    monkeypatch.setattr(messages, "document_saved", document_saved)
    return state


@pytest.fixture(autouse=True)
def login_answers(monkeypatch):
    """Sign-in dialogs never block: set-up mode creates «admin» / «secret-1-pass»; a login dialog uses ``answers``.

    A test sets ``login_answers["login"] = ("viewer", "pw")`` or ``["accept"] = False`` (the user gives up).
    """
    from app.ui.accounts import login_dialog

    state = {"shown": [], "accept": True, "login": ("admin", "secret-1-pass"), "new_password": "secret-2-pass"}

    def run_dialog(dialog):
        state["shown"].append(type(dialog).__name__)
        if not state["accept"]:
            return False
        if isinstance(dialog, login_dialog.SetupAdminDialog):
            dialog.password_edit.setText("secret-1-pass")
            dialog.repeat_edit.setText("secret-1-pass")
        elif isinstance(dialog, login_dialog.LoginDialog):
            dialog.login_edit.setText(state["login"][0])
            dialog.password_edit.setText(state["login"][1])
        elif isinstance(dialog, login_dialog.ChangePasswordDialog):
            dialog.old_edit.setText(state["login"][1])
            dialog.new_edit.setText(state["new_password"])
            dialog.repeat_edit.setText(state["new_password"])
        dialog.ok_button.click()
        state["error"] = dialog.error_label.text()
        return dialog.result() == dialog.DialogCode.Accepted

    monkeypatch.setattr(login_dialog, "run_dialog", run_dialog)
    return state


@pytest.fixture
def documents_home(tmp_path, monkeypatch):
    """A home folder of the test's own with «Documents» in it, and a current folder elsewhere.

    Returns the Documents folder (what QStandardPaths gives) — where file dialogs start the first time.
    """
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))     # no user-dirs.dirs of the real user
    elsewhere = tmp_path / "current folder"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)                                       # a dialog must never start here
    return home / "Documents"


@pytest.fixture
def file_dialogs(monkeypatch):
    """QFileDialog's static functions replaced: each call is recorded and answered from ``answers``.

    ``file_dialogs.calls`` holds (function, title, start folder or path, filter); ``answers`` are paths
    given back in turn (a list of paths for «open many»); none left means the user cancelled.
    """
    from types import SimpleNamespace

    from PySide6.QtWidgets import QFileDialog

    state = SimpleNamespace(calls=[], answers=[])

    def answer(function, wrap, cancelled):
        def ask(parent=None, title="", start="", file_filter="", *args, **kwargs):
            state.calls.append((function, title, start, file_filter))
            if not state.answers:
                return cancelled
            chosen = state.answers.pop(0)
            return wrap([str(p) for p in chosen] if function == "open many" else str(chosen))
        return staticmethod(ask)

    def with_filter(value):
        return value, ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer("save", with_filter, ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer("open", with_filter, ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", answer("open many", with_filter, ([], "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", answer("folder", lambda value: value, ""))
    return state


@pytest.fixture(scope="session")
def screen_demo_db(tmp_path_factory, _template_db):
    """The 300-teacher demo base with its accounts that the screen probes open (read only), made once per worker."""
    from tests.ui.shell.screen_probe import make_demo_database

    return make_demo_database(tmp_path_factory.mktemp("screens") / "demo.sqlite", _template_db)
