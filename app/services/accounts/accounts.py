"""Accounts: set-up mode, signing in with lockout, passwords, administration.

A database without accounts is in set-up mode: nobody signs in and nothing is
refused until the administrator account is created. Accounts are local to
the installation and never travel in sync packages.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.passwords import hash_password, password_problem, verify_password
from app.services.access import audit
from app.services.common.actor import Actor
from app.services.common.errors import FieldError, ServiceError, ValidationFailed
from app.services.access.permissions import (
    ADMIN, EXPERT, MANAGE_ACCOUNTS, METHODIST, OBSERVER, ROLE_LABELS, ROLES, SignedIn, current, require,
    sign_in_database,
)
from app.storage.base import utcnow
from app.storage.database import Database
from app.storage.models import Account, Review, Teacher

MAX_FAILED_ATTEMPTS = 5
LOCKOUT_MINUTES = 15
LAST_ADMIN_FIRST_DELAY_SECONDS = 5
LAST_ADMIN_MAX_DELAY_SECONDS = 60
ENTITY = "accounts"
# What the audit log shows of an administrator's change (never a hash, never lockout counters).
_LOGGED = ("role", "blocked", "teacher_id", "must_change_password")
DEMO_LOGINS = {ADMIN: "admin", METHODIST: "metodist", EXPERT: "expert", OBSERVER: "viewer"}


class SignInFailed(ServiceError):
    pass


@dataclass(frozen=True)
class AccountView:
    id: int
    login: str
    full_name: str
    role: str
    role_label: str
    teacher_id: str | None
    blocked: bool
    locked_until: datetime | None
    must_change_password: bool
    last_login_at: datetime | None


def _view(a: Account) -> AccountView:
    return AccountView(a.id, a.login, a.full_name, a.role, ROLE_LABELS.get(a.role, a.role), a.teacher_id,
                       bool(a.blocked), a.locked_until, bool(a.must_change_password), a.last_login_at)


def _signed_in(a: Account) -> SignedIn:
    return SignedIn(a.id, a.login, a.full_name, a.role, a.teacher_id)


def has_accounts(db: Database) -> bool:
    with db.read() as s:
        return bool(s.scalar(select(func.count()).select_from(Account)))


def is_setup_mode(db: Database) -> bool:
    return not has_accounts(db)


def actor_for(db: Database) -> Actor:
    """Who the audit log names: the signed-in account, else the operating-system user."""
    account = current(db)
    return Actor(account.login) if account is not None else Actor.system_user()


def list_accounts(db: Database) -> list[AccountView]:
    require(db, MANAGE_ACCOUNTS)
    with db.read() as s:
        return [_view(a) for a in s.scalars(select(Account).order_by(Account.login))]


def _check_new(s: Session, login: str, password: str, role: str, teacher_id: str | None,
               demo: bool = False) -> str:
    errors = []
    login = (login or "").strip()
    if not login:
        errors.append(FieldError("login", "Имя входа", "обязательное поле не заполнено"))
    elif len(login) > 64 or any(c.isspace() for c in login):
        errors.append(FieldError("login", "Имя входа", "без пробелов, не длиннее 64 символов"))
    elif s.scalar(select(Account.id).where(func.lower(Account.login) == login.lower())) is not None:
        errors.append(FieldError("login", "Имя входа", f"учётная запись «{login}» уже есть"))
    problem = None if demo else password_problem(password or "")
    if problem:
        errors.append(FieldError("password", "Пароль", problem))
    if role not in ROLES:
        errors.append(FieldError("role", "Роль", f"неизвестная роль «{role}»"))
    if teacher_id and s.get(Teacher, teacher_id) is None:
        errors.append(FieldError("teacher_id", "Педагог", f"не найден педагог {teacher_id}"))
    if errors:
        raise ValidationFailed(errors)
    return login


def create_account(db: Database, login: str, password: str, role: str, *, full_name: str = "",
                   teacher_id: str | None = None, must_change_password: bool = False,
                   demo: bool = False) -> AccountView:
    """The first account of a database must be the administrator's; later ones need the right.

    ``demo``: the demonstration accounts keep their documented short password («demo»).
    """
    first = is_setup_mode(db)
    if first and role != ADMIN:
        raise ServiceError("Первой создаётся учётная запись администратора.")
    if not first:
        require(db, MANAGE_ACCOUNTS, "создавать учётные записи")
    with db.session() as s:
        login = _check_new(s, login, password, role, teacher_id, demo)
        account = Account(login=login, full_name=(full_name or "").strip(), role=role, teacher_id=teacher_id or None,
                          password_hash=hash_password(password), must_change_password=must_change_password,
                          blocked=False, failed_attempts=0)
        s.add(account)
        s.flush()
        audit.write(s, actor_for(db) if not first else Actor(login), "create", ENTITY, str(account.id),
                    None, {"login": login, "role": role}, f"Учётная запись {login} ({ROLE_LABELS[role]})")
        return _view(account)


def sign_in(db: Database, login: str, password: str) -> SignedIn:
    """Checks the password; after MAX_FAILED_ATTEMPTS failures the account is locked for LOCKOUT_MINUTES."""
    sign_in_database(db, None)
    now = utcnow()
    refusal = None
    with db.session() as s:
        account = s.scalar(select(Account).where(func.lower(Account.login) == (login or "").strip().lower()))
        if account is None:
            raise SignInFailed("Неверное имя входа или пароль.")
        if account.blocked:
            raise SignInFailed(f"Учётная запись «{account.login}» заблокирована администратором.")
        if account.locked_until is not None and account.locked_until > now:
            raise SignInFailed(f"Слишком много неудачных попыток входа. Повторите через "
                               f"{_wait_text(account.locked_until - now)}.")
        if verify_password(password or "", account.password_hash):
            account.failed_attempts = 0
            account.locked_until = None
            account.last_login_at = now
            signed = _signed_in(account)
        else:
            # The failure is counted (committed) even though the sign-in is refused.
            account.failed_attempts = (account.failed_attempts or 0) + 1
            refusal = "Неверное имя входа или пароль."
            if account.failed_attempts >= MAX_FAILED_ATTEMPTS and _is_last_admin(s, account):
                # Anyone at the PC could lock the only administrator out for good: a short
                # wait that doubles with each further failure slows guessing instead.
                wait = last_admin_delay(account.failed_attempts)
                account.locked_until = now + wait
                refusal += f" Следующая попытка — через {_wait_text(wait)}."
                if account.failed_attempts == MAX_FAILED_ATTEMPTS:
                    audit.write(s, Actor(account.login), "lockout", ENTITY, str(account.id),
                                summary=f"Вход {account.login} замедлен после неудачных попыток (единственный "
                                        "администратор не блокируется)")
            elif account.failed_attempts >= MAX_FAILED_ATTEMPTS:
                account.locked_until = now + timedelta(minutes=LOCKOUT_MINUTES)
                account.failed_attempts = 0
                refusal += f" Вход заблокирован на {LOCKOUT_MINUTES} мин."
                audit.write(s, Actor(account.login), "lockout", ENTITY, str(account.id),
                            summary=f"Учётная запись {account.login} заблокирована после неудачных попыток входа")
    if refusal:
        raise SignInFailed(refusal)
    sign_in_database(db, signed)
    return signed


def last_admin_delay(failures: int) -> timedelta:
    """5 s after the fifth failure in a row, doubling each time, never more than a minute."""
    extra = max(0, failures - MAX_FAILED_ATTEMPTS)
    return timedelta(seconds=min(LAST_ADMIN_MAX_DELAY_SECONDS, LAST_ADMIN_FIRST_DELAY_SECONDS * 2 ** min(extra, 10)))


def _wait_text(left: timedelta) -> str:
    seconds = max(1, int(left.total_seconds() + 0.999))
    return f"{seconds} с" if seconds < 60 else f"{(seconds + 59) // 60} мин."


def _is_last_admin(s: Session, account: Account) -> bool:
    if account.role != ADMIN or account.blocked:
        return False
    others = s.scalar(select(func.count()).select_from(Account).where(
        Account.role == ADMIN, Account.blocked.is_(False), Account.id != account.id))
    return not others


def sign_out(db: Database) -> None:
    sign_in_database(db, None)


def must_change_password(db: Database) -> bool:
    account = current(db)
    if account is None:
        return False
    with db.read() as s:
        return bool(s.scalar(select(Account.must_change_password).where(Account.id == account.id)))


def change_password(db: Database, old_password: str, new_password: str) -> None:
    account = current(db)
    if account is None:
        raise ServiceError("Сначала войдите в программу: пароль меняется у своей учётной записи.")
    problem = password_problem(new_password or "")
    if problem:
        raise ValidationFailed([FieldError("new_password", "Новый пароль", problem)])
    with db.session() as s:
        row = s.get(Account, account.id)
        if not verify_password(old_password or "", row.password_hash):
            raise ValidationFailed([FieldError("old_password", "Текущий пароль", "неверный пароль")])
        row.password_hash = hash_password(new_password)
        row.must_change_password = False
        audit.write(s, actor_for(db), "password", ENTITY, str(row.id), summary=f"{row.login} сменил(а) пароль")


def _admin_change(db: Database, login: str, action: str, summary: str, **values) -> AccountView:
    require(db, MANAGE_ACCOUNTS)
    with db.session() as s:
        row = s.scalar(select(Account).where(func.lower(Account.login) == login.strip().lower()))
        if row is None:
            raise ServiceError(f"Учётная запись «{login}» не найдена.")
        me = current(db)
        if me is not None and row.id == me.id and (values.get("blocked") or values.get("role", ADMIN) != ADMIN):
            raise ServiceError("Нельзя заблокировать свою учётную запись или снять с себя роль администратора.")
        before = {k: getattr(row, k) for k in values if k in _LOGGED and getattr(row, k) != values[k]}
        for key, value in values.items():
            setattr(row, key, value)
        s.flush()
        _keep_an_admin(s)
        audit.write(s, actor_for(db), action, ENTITY, str(row.id), before,
                    {k: values[k] for k in before}, f"{row.login}: {summary}")
        return _view(row)


def _keep_an_admin(s: Session) -> None:
    active = s.scalar(select(func.count()).select_from(Account).where(Account.role == ADMIN, Account.blocked.is_(False)))
    if not active:
        raise ServiceError("Должен остаться хотя бы один действующий администратор.")


def reset_password(db: Database, login: str, new_password: str) -> AccountView:
    """Administrator sets a temporary password; the user is asked to change it at the next sign-in."""
    problem = password_problem(new_password or "")
    if problem:
        raise ValidationFailed([FieldError("password", "Пароль", problem)])
    return _admin_change(db, login, "reset", "пароль сброшен администратором",
                         password_hash=hash_password(new_password), must_change_password=True,
                         failed_attempts=0, locked_until=None)


def set_role(db: Database, login: str, role: str, teacher_id: str | None = None) -> AccountView:
    if role not in ROLES:
        raise ServiceError(f"Неизвестная роль «{role}». Допустимые: {', '.join(ROLES)}.")
    values = {"role": role}
    if teacher_id is not None:
        values["teacher_id"] = teacher_id or None
    return _admin_change(db, login, "role", f"роль {ROLE_LABELS[role]}", **values)


def set_blocked(db: Database, login: str, blocked: bool) -> AccountView:
    return _admin_change(db, login, "block" if blocked else "unblock",
                         "заблокирована" if blocked else "разблокирована",
                         blocked=blocked, failed_attempts=0, locked_until=None)


def create_demo_accounts(db: Database, password: str = "demo") -> list[AccountView]:
    """One account per role; the expert is the teacher with the most assigned reviews."""
    with db.read() as s:
        expert_teacher = s.scalar(select(Review.expert_id).where(Review.deleted_at.is_(None))
                                  .group_by(Review.expert_id).order_by(func.count().desc()).limit(1))
        existing = set(s.scalars(select(Account.login)))
    made = []
    for role in (ADMIN, METHODIST, EXPERT, OBSERVER):
        login = DEMO_LOGINS[role]
        if login in existing:
            continue
        made.append(create_account(db, login, password, role, full_name=f"Демо: {ROLE_LABELS[role].lower()}",
                                   teacher_id=expert_teacher if role == EXPERT else None, demo=True))
    return made


def expert_candidates(db: Database, limit: int = 500) -> list[tuple[str, str]]:
    """(teacher id, ФИО) of the teachers reviews are assigned to, for linking an expert account."""
    require(db, MANAGE_ACCOUNTS)
    with db.read() as s:
        rows = s.execute(
            select(Teacher.id, Teacher.last_name, Teacher.first_name, Teacher.middle_name)
            .where(Teacher.id.in_(select(Review.expert_id)), Teacher.deleted_at.is_(None))
            .order_by(Teacher.last_name, Teacher.first_name).limit(limit))
        return [(r.id, " ".join(p for p in (r.last_name, r.first_name, r.middle_name) if p)) for r in rows]
