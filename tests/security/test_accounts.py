"""Set-up mode, signing in with lockout, password change and administration."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.passwords import hash_password, verify_password
from app.services.accounts import accounts
from app.services.access import audit
from app.services.common.errors import ServiceError, ValidationFailed
from app.services.access.permissions import ADMIN, EXPERT, METHODIST, OBSERVER, PermissionDenied, current
from app.storage.base import utcnow
from app.storage.models import Account


def test_scrypt_hash_keeps_its_parameters_and_a_per_account_salt():
    a, b = hash_password("пароль"), hash_password("пароль")
    assert a != b and a.startswith("scrypt$16384$8$1$")
    assert verify_password("пароль", a) and not verify_password("Пароль", a)
    assert not verify_password("x", "garbage")


def test_setup_mode_until_the_administrator_exists(db):
    assert accounts.is_setup_mode(db)
    with pytest.raises(ServiceError, match="администратора"):
        accounts.create_account(db, "m", "secret-1-pass", METHODIST)
    accounts.create_account(db, "admin", "secret-1-pass", ADMIN)
    assert not accounts.is_setup_mode(db)


def test_sign_in_locks_after_five_failures_and_says_for_how_long(db, admin_created):
    accounts.create_account(db, "olga", "secret-2-pass", METHODIST)   # not signed in yet: set-up rights
    for _ in range(4):
        with pytest.raises(accounts.SignInFailed, match="Неверное имя входа или пароль"):
            accounts.sign_in(db, "olga", "wrong")
    with pytest.raises(accounts.SignInFailed, match="заблокирован на 15 мин"):
        accounts.sign_in(db, "olga", "wrong")
    with pytest.raises(accounts.SignInFailed, match="Повторите через 15 мин"):
        accounts.sign_in(db, "olga", "secret-2-pass")      # even the right password, while locked
    assert current(db) is None
    with db.session() as s:   # the lockout has run out
        s.scalar(select(Account).where(Account.login == "olga")).locked_until = utcnow() - timedelta(seconds=1)
    signed = accounts.sign_in(db, "OLGA", "secret-2-pass")
    assert signed.role == METHODIST and current(db) == signed
    with db.read() as s:
        actions = [e.action for e in audit.entries(s, entity="accounts")]
    assert "lockout" in actions


def test_the_only_administrator_is_slowed_down_never_locked_out(db, admin_created):
    for _ in range(4):
        with pytest.raises(accounts.SignInFailed, match="Неверное имя входа или пароль"):
            accounts.sign_in(db, "admin", "wrong")
    with pytest.raises(accounts.SignInFailed, match="Следующая попытка — через 5 с"):
        accounts.sign_in(db, "admin", "wrong")
    with pytest.raises(accounts.SignInFailed, match="Повторите через 5 с"):
        accounts.sign_in(db, "admin", "secret-1-pass")      # the wait holds for the right password too
    for wanted in ("10 с", "20 с", "40 с", "1 мин", "1 мин"):
        with db.session() as s:
            s.scalar(select(Account).where(Account.login == "admin")).locked_until = utcnow() - timedelta(seconds=1)
        with pytest.raises(accounts.SignInFailed, match=f"через {wanted}"):
            accounts.sign_in(db, "admin", "wrong")
    with db.read() as s:
        locked_until = s.scalar(select(Account.locked_until).where(Account.login == "admin"))
    assert locked_until - utcnow() <= timedelta(seconds=60)      # never the 15-minute lock
    with db.session() as s:
        s.scalar(select(Account).where(Account.login == "admin")).locked_until = None
    assert accounts.sign_in(db, "admin", "secret-1-pass").role == ADMIN
    # With a second administrator the ordinary lock applies again.
    accounts.create_account(db, "deputy", "secret-6-pass", ADMIN)
    accounts.sign_out(db)
    for _ in range(4):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(db, "admin", "wrong")
    with pytest.raises(accounts.SignInFailed, match="заблокирован на 15 мин"):
        accounts.sign_in(db, "admin", "wrong")


def test_new_passwords_are_at_least_eight_characters_but_the_demo_keeps_its_own(db, admin_created):
    accounts.sign_in(db, "admin", "secret-1-pass")
    with pytest.raises(ValidationFailed, match="не короче 8 символов"):
        accounts.create_account(db, "olga", "1234567", METHODIST)
    accounts.create_account(db, "olga", "12345678", METHODIST)
    with pytest.raises(ValidationFailed, match="не короче 8 символов"):
        accounts.reset_password(db, "olga", "short")
    with pytest.raises(ValidationFailed, match="не короче 8 символов"):
        accounts.change_password(db, "secret-1-pass", "abc")
    made = accounts.create_demo_accounts(db, "demo")
    assert {a.login for a in made} == {"metodist", "expert", "viewer"}
    assert accounts.sign_in(db, "viewer", "demo").role == OBSERVER


def test_password_change_and_administrator_reset(db, admin_created):
    accounts.sign_in(db, "admin", "secret-1-pass")
    accounts.create_account(db, "viewer", "secret-3-pass", OBSERVER)
    accounts.reset_password(db, "viewer", "temporary99")
    accounts.sign_in(db, "viewer", "temporary99")
    assert accounts.must_change_password(db)
    with pytest.raises(ValidationFailed, match="неверный пароль"):
        accounts.change_password(db, "nope", "newpass-2026")
    accounts.change_password(db, "temporary99", "newpass-2026")     # an observer may change their own password
    assert not accounts.must_change_password(db)
    with pytest.raises(PermissionDenied, match="Недостаточно прав"):
        accounts.set_role(db, "viewer", ADMIN)
    with pytest.raises(PermissionDenied):
        accounts.create_account(db, "friend", "secret-4-pass", ADMIN)
    accounts.sign_in(db, "viewer", "newpass-2026")
    with db.read() as s:
        assert s.scalar(select(Account.role).where(Account.login == "viewer")) == OBSERVER
        assert s.scalar(select(Account.id).where(Account.login == "friend")) is None


def test_blocked_accounts_cannot_sign_in_and_an_admin_always_remains(db, admin_created):
    accounts.sign_in(db, "admin", "secret-1-pass")
    accounts.create_account(db, "e1", "secret-5-pass", EXPERT)
    accounts.set_blocked(db, "e1", True)
    with pytest.raises(accounts.SignInFailed, match="заблокирована администратором"):
        accounts.sign_in(db, "e1", "secret-5-pass")
    accounts.sign_in(db, "admin", "secret-1-pass")
    with pytest.raises(ServiceError, match="Нельзя заблокировать свою"):
        accounts.set_blocked(db, "admin", True)
    accounts.set_blocked(db, "e1", False)
    assert [a.login for a in accounts.list_accounts(db)] == ["admin", "e1"]
    with db.read() as s:
        entry = audit.entries(s, entity="accounts", limit=1)[0]
    assert entry.actor == "admin" and entry.action == "unblock"


def test_merging_teachers_moves_the_expert_account_to_the_survivor(db, records, admin_created):
    from app.services.common.actor import Actor
    from app.services.duplicates.merge import merge_teachers

    keep = records.create("teachers", {"last_name": "Экспертова", "first_name": "Елена", "birth_date": "01.02.1980"})
    other = records.create("teachers", {"last_name": "Экспертова", "first_name": "Елена", "birth_date": "01.02.1980"})
    accounts.create_account(db, "elena", "secret-7-pass", EXPERT, teacher_id=other["id"])   # set-up rights, not signed in
    accounts.sign_in(db, "admin", "secret-1-pass")
    merge_teachers(db, Actor("x"), keep["id"], other["id"], {})
    assert accounts.sign_in(db, "elena", "secret-7-pass").teacher_id == keep["id"]
