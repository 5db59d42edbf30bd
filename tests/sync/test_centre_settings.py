"""The centre's settings after the first run: the name at any time, the code and role before the first exchange."""
from __future__ import annotations

import pytest

from app.services.registry.service import RecordService
from app.sync.errors import SyncError
from PySide6.QtWidgets import QLabel

from app.sync.exchange import partners, profile, revoke, update_installation
from app.ui.sync.centre_dialog import CentreDialog


def test_before_any_exchange_the_code_and_role_change_and_own_rows_follow(sites):
    site = sites("mun", "municipal", "46-231", "ММЦ Курского района")
    org = site.records.create("organizations", {"full_name": "МБОУ СОШ № 1", "kind": "school"})
    assert RecordService(site.db).get("organizations", org["id"])["origin"] == "46-231"
    update_installation(site.db, name="ММЦ Курского района (новое имя)", municipality_code="38620000",
                        role="municipal")
    me = profile(site.db)
    assert (me.name, me.municipality_code) == ("ММЦ Курского района (новое имя)", "38620000")
    assert RecordService(site.db).get("organizations", org["id"])["origin"] == "38620000"


def test_after_an_exchange_only_the_name_changes(mun_and_region):
    mun, _region = mun_and_region
    with pytest.raises(SyncError, match="только до первого обмена"):
        update_installation(mun.db, name="ММЦ", municipality_code="46-999")
    assert profile(mun.db).municipality_code == "46-231"
    update_installation(mun.db, name="ММЦ Курского района и города")
    assert profile(mun.db).name == "ММЦ Курского района и города"
    with pytest.raises(SyncError, match="название"):
        update_installation(mun.db, name="  ")


def test_the_dialog_shows_code_and_role_locked_after_an_exchange(qtbot, mun_and_region):
    mun, _region = mun_and_region
    dialog = CentreDialog(mun.db)
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == "ММЦ Курского района"
    assert not dialog.code_edit.isEnabled() and not dialog.region_button.isEnabled()
    dialog.name_edit.setText("")
    dialog.save()
    assert "название" in dialog.error_label.text() and dialog.result() == 0
    dialog.name_edit.setText("ММЦ Курского района (переименован)")
    dialog.save()
    assert dialog.result() == 1 and profile(mun.db).name == "ММЦ Курского района (переименован)"


def test_the_own_municipality_record_follows_a_changed_code(sites):
    site = sites("mun", "municipal", "46-231", "ММЦ Курского района")
    own = site.records.create("municipalities", {"code": "46-231", "name": "Курский район"})
    other = site.records.create("municipalities", {"code": "46-232", "name": "Соседний район"})
    update_installation(site.db, name="ММЦ Курского района", municipality_code="38620000")
    records = RecordService(site.db)
    assert (records.get("municipalities", own["id"])["code"], records.get("municipalities", own["id"])["name"]) == (
        "38620000", "Курский район")
    assert records.get("municipalities", other["id"])["code"] == "46-232"
    # A code whose record already exists leaves both records as they are.
    update_installation(site.db, name="ММЦ Курского района", municipality_code="46-232")
    assert records.get("municipalities", own["id"])["code"] == "38620000"
    assert profile(site.db).municipality_code == "46-232"


def test_the_dialog_keeps_code_and_role_locked_once_the_only_partner_is_revoked(qtbot, mun_and_region):
    mun, _region = mun_and_region
    for partner in partners(mun.db):
        revoke(mun.db, partner.fingerprint)
    assert partners(mun.db, include_revoked=False) == []
    dialog = CentreDialog(mun.db)
    qtbot.addWidget(dialog)
    assert not dialog.code_edit.isEnabled() and not dialog.municipal_button.isEnabled()
    assert "только до первого обмена" in " ".join(label.text() for label in dialog.findChildren(QLabel))
