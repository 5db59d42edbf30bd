"""Roles, what each may do, and the write guard that enforces it for every service.

The signed-in account travels with the Database (``db.account``, set by
accounts.sign_in). ``Policy`` is installed as ``db.guard``: storage asks it before
any write reaches SQLite (app/storage/write_guard.py), so a service written
without a permission check still cannot write what the role may not.
Services also call ``require`` first where a clear message helps the user.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import inspect as sa_inspect

from app.services.common.errors import ServiceError
from app.storage.write_guard import INSERT, SCHEMA, UPDATE, in_checked_flush

if TYPE_CHECKING:
    from app.storage.database import Database

ADMIN, METHODIST, EXPERT, OBSERVER = "admin", "methodist", "expert", "observer"
ROLE_LABELS = {ADMIN: "Администратор", METHODIST: "Методист", EXPERT: "Эксперт", OBSERVER: "Наблюдатель"}
ROLES = tuple(ROLE_LABELS)

# Permissions (beyond the table rules below) checked by name.
MANAGE_ACCOUNTS = "manage_accounts"
EDIT_RECORDS = "edit_records"
REVIEW_ASSIGNED = "review_assigned"
SEE_PERSONAL_DATA = "see_personal_data"
ERASE_PERSONAL_DATA = "erase_personal_data"
VIEW_AUDIT = "view_audit"
MANAGE_BACKUPS = "manage_backups"
IMPORT_DATA = "import_data"
VIEW_REPORTS = "view_reports"

PERMISSION_LABELS = {
    MANAGE_ACCOUNTS: "управлять учётными записями",
    EDIT_RECORDS: "изменять записи",
    REVIEW_ASSIGNED: "проводить экспертизу назначенных материалов",
    SEE_PERSONAL_DATA: "видеть персональные данные без маскирования",
    ERASE_PERSONAL_DATA: "обезличивать персональные данные",
    VIEW_AUDIT: "просматривать журнал изменений",
    MANAGE_BACKUPS: "создавать и восстанавливать резервные копии",
    IMPORT_DATA: "загружать данные из файлов",
    VIEW_REPORTS: "строить отчёты по всей сети",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    ADMIN: frozenset(PERMISSION_LABELS),
    METHODIST: frozenset({EDIT_RECORDS, SEE_PERSONAL_DATA, VIEW_AUDIT, MANAGE_BACKUPS, IMPORT_DATA, VIEW_REPORTS}),
    # An expert sees only the materials assigned to them: network-wide reports are not theirs.
    EXPERT: frozenset({REVIEW_ASSIGNED}),
    OBSERVER: frozenset({VIEW_REPORTS}),
}

# Tables anybody signed in may append to: the log of their own actions.
_APPEND_ONLY = {"audit_log"}
# The change counter every saved row advances (an expert's review too).
_CHANGE_COUNTER = "counter"
_ACCOUNT_TABLE = "account"
_REVIEW_TABLE = "review"


class PermissionDenied(ServiceError):
    """«Недостаточно прав: …» — the action is refused and nothing was written."""


@dataclass(frozen=True)
class SignedIn:
    """Who works with the database now (what the services need of an account)."""

    id: int
    login: str
    full_name: str
    role: str
    teacher_id: str | None = None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def can(self, permission: str) -> bool:
        return permission in ROLE_PERMISSIONS.get(self.role, frozenset())


def current(db: "Database") -> SignedIn | None:
    """The signed-in account, or None in set-up mode and for the installation's own work."""
    return getattr(db, "account", None)


def has(db: "Database", permission: str) -> bool:
    account = current(db)
    return account is None or account.can(permission)


def require(db: "Database", permission: str, action: str = "") -> None:
    account = current(db)
    if account is None or account.can(permission):
        return
    what = action or PERMISSION_LABELS.get(permission, permission)
    raise PermissionDenied(f"Недостаточно прав: роль «{account.role_label}» не позволяет {what}.")


def can_see_personal_data(account: SignedIn | None) -> bool:
    return account is None or account.can(SEE_PERSONAL_DATA)


class Policy:
    """The write guard of one signed-in account (see app/storage/write_guard.py)."""

    def __init__(self, account: SignedIn):
        self.account = account

    def _refuse(self, what: str) -> None:
        raise PermissionDenied(f"Недостаточно прав: роль «{self.account.role_label}» не позволяет {what}.")

    def check_table(self, table: str, op: str) -> None:
        role = self.account.role
        if role == ADMIN:
            return
        if op == SCHEMA:
            self._refuse("менять структуру базы данных")
        if table in _APPEND_ONLY:
            if op != INSERT:
                self._refuse("изменять журнал изменений")
            return
        if table == _ACCOUNT_TABLE:
            # Only one's own row (a password change), checked row by row in check_row.
            if op != UPDATE or not in_checked_flush():
                self._refuse("управлять учётными записями")
            return
        if role == METHODIST:
            return
        if table == _CHANGE_COUNTER and role == EXPERT:
            return
        if role == EXPERT and table == _REVIEW_TABLE and op == UPDATE:
            return
        self._refuse("изменять записи" if role == OBSERVER else "изменять записи, кроме своих экспертиз")

    def check_bulk(self, table: str, op: str) -> None:
        # A statement over many rows cannot be checked row by row: refused where rows differ in who may write them.
        role = self.account.role
        if role == ADMIN:
            return
        if table == _ACCOUNT_TABLE:
            self._refuse("управлять учётными записями")
        if table == _REVIEW_TABLE and role == EXPERT:
            self._refuse("изменять экспертизы, назначенные другим экспертам")
        self.check_table(table, op)

    def check_row(self, session, obj, op: str) -> None:
        table = obj.__table__.name
        role = self.account.role
        if table == _ACCOUNT_TABLE:
            if role != ADMIN and (op != UPDATE or obj.id != self.account.id
                                  or _changed(obj, {"role", "blocked", "login", "teacher_id"})):
                self._refuse("управлять учётными записями")
            return
        self.check_table(table, op)
        if table == _REVIEW_TABLE and role == EXPERT:
            teacher = self.account.teacher_id
            if op != UPDATE or teacher is None or _old_value(obj, "expert_id") != teacher or obj.expert_id != teacher:
                self._refuse("изменять экспертизы, назначенные другим экспертам")


def _changed(obj, names: set[str]) -> bool:
    state = sa_inspect(obj)
    return any(state.attrs[n].history.has_changes() for n in names)


def _old_value(obj, name: str):
    history = sa_inspect(obj).attrs[name].history
    if history.deleted:
        return history.deleted[0]
    return getattr(obj, name)


def sign_in_database(db: "Database", account: SignedIn | None) -> None:
    """Makes ``account`` the one every later unit of work on ``db`` acts for (None: nobody, set-up mode)."""
    db.account = account
    db.guard = Policy(account) if account is not None else None


__all__ = ["ADMIN", "METHODIST", "EXPERT", "OBSERVER", "ROLES", "ROLE_LABELS", "PermissionDenied", "SignedIn",
           "Policy", "current", "has", "require", "can_see_personal_data", "sign_in_database"]
