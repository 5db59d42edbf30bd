"""Accounts of every role on a database with a material assigned to the expert and one to somebody else."""
from __future__ import annotations

import pytest

from app.services.accounts import accounts
from app.services.access.permissions import ADMIN, SignedIn, sign_in_database


@pytest.fixture
def world(db, records):
    org = records.create("organizations", {"full_name": "МБОУ СШ № 3", "kind": "school"})
    expert = records.create("teachers", {"last_name": "Экспертова", "first_name": "Елена", "organization_id": org["id"],
                                         "snils": "112-233-445 95", "phone": "+79123456789", "email": "elena@school3.ru"})
    other = records.create("teachers", {"last_name": "Другов", "first_name": "Олег", "organization_id": org["id"]})
    mine = records.create("materials", {"title": "Урок-исследование", "kind": "Проект"})
    theirs = records.create("materials", {"title": "Чужой проект", "kind": "Проект"})
    my_review = records.create("reviews", {"material_id": mine["id"], "expert_id": expert["id"],
                                           "assigned_on": "01.09.2026"})
    their_review = records.create("reviews", {"material_id": theirs["id"], "expert_id": other["id"],
                                              "assigned_on": "01.09.2026"})
    return {"org": org, "expert": expert, "other": other, "mine": mine, "theirs": theirs,
            "my_review": my_review, "their_review": their_review}


def as_role(db, role: str, teacher_id: str | None = None, account_id: int = 0) -> SignedIn:
    """Acts as an account of ``role`` (the password check itself is tested in test_accounts)."""
    account = SignedIn(account_id, role, role, role, teacher_id)
    sign_in_database(db, account)
    return account


@pytest.fixture
def admin_created(db):
    return accounts.create_account(db, "admin", "secret-1-pass", ADMIN, full_name="Администратор")
