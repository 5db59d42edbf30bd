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
        accounts.create_account(db, "m", "secret1", METHODIST)
    accounts.create_account(db, "admin", "secret1", ADMIN)
    assert not accounts.is_setup_mode(db)


def test_sign_in_locks_after_five_failures_and_says_for_how_long(db, admin_created):
    accounts.create_account(db, "olga", "secret2", METHODIST)   # not signed in yet: set-up rights
    for _ in range(4):
        with pytest.raises(accounts.SignInFailed, match="Неверное имя входа или пароль"):
            accounts.sign_in(db, "olga", "wrong")
    with pytest.raises(accounts.SignInFailed, match="заблокирован на 15 мин"):
        accounts.sign_in(db, "olga", "wrong")
    with pytest.raises(accounts.SignInFailed, match="Повторите через 15 мин"):
        accounts.sign_in(db, "olga", "secret2")      # even the right password, while locked
    assert current(db) is None
    with db.session() as s:   # the lockout has run out
        s.scalar(select(Account).where(Account.login == "olga")).locked_until = utcnow() - timedelta(seconds=1)
    signed = accounts.sign_in(db, "OLGA", "secret2")
    assert signed.role == METHODIST and current(db) == signed
    with db.read() as s:
        actions = [e.action for e in audit.entries(s, entity="accounts")]
    assert "lockout" in actions


def test_password_change_and_administrator_reset(db, admin_created):
    accounts.sign_in(db, "admin", "secret1")
    accounts.create_account(db, "viewer", "secret3", OBSERVER)
    accounts.reset_password(db, "viewer", "temp99")
    accounts.sign_in(db, "viewer", "temp99")
    assert accounts.must_change_password(db)
    with pytest.raises(ValidationFailed, match="неверный пароль"):
        accounts.change_password(db, "nope", "newpass")
    accounts.change_password(db, "temp99", "newpass")     # an observer may change their own password
    assert not accounts.must_change_password(db)
    with pytest.raises(PermissionDenied, match="Недостаточно прав"):
        accounts.set_role(db, "viewer", ADMIN)
    with pytest.raises(PermissionDenied):
        accounts.create_account(db, "friend", "secret4", ADMIN)
    accounts.sign_in(db, "viewer", "newpass")
    with db.read() as s:
        assert s.scalar(select(Account.role).where(Account.login == "viewer")) == OBSERVER
        assert s.scalar(select(Account.id).where(Account.login == "friend")) is None


def test_blocked_accounts_cannot_sign_in_and_an_admin_always_remains(db, admin_created):
    accounts.sign_in(db, "admin", "secret1")
    accounts.create_account(db, "e1", "secret5", EXPERT)
    accounts.set_blocked(db, "e1", True)
    with pytest.raises(accounts.SignInFailed, match="заблокирована администратором"):
        accounts.sign_in(db, "e1", "secret5")
    accounts.sign_in(db, "admin", "secret1")
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
    accounts.create_account(db, "elena", "secret7", EXPERT, teacher_id=other["id"])   # set-up rights, not signed in
    accounts.sign_in(db, "admin", "secret1")
    merge_teachers(db, Actor("x"), keep["id"], other["id"], {})
    assert accounts.sign_in(db, "elena", "secret7").teacher_id == keep["id"]
