"""Importing organisations: matched by ИНН, then by name; kinds from a column or from the name."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.services.importing.spreadsheet_import import ORGANIZATIONS, detect, import_file
from app.storage.models import AuditLog, Organization
from tests.services.importing.builders import DDT_INN, FIXTURES, SCHOOL_INN, organizations_workbook
from tests.services.importing.conftest import SCHOOL_FULL_NAME


def _by_short_or_full(db) -> dict[str, Organization]:
    with db.session() as s:
        return {o.short_name or o.full_name: o for o in s.scalars(select(Organization))}


def _audit_count(db) -> int:
    with db.session() as s:
        return len(s.scalars(select(AuditLog.id)).all())


def test_the_register_of_organisations(db, school, tmp_path):
    path = organizations_workbook(tmp_path / "реестр.xlsx")
    plan = detect(path, ORGANIZATIONS)
    assert plan.header_row == 3
    assert list(plan.mapping.values()) == ["full_name", "short_name", "kind", "inn_kpp", "ogrn", "address", "phone",
                                           "head_name"]
    result = import_file(db, path, ORGANIZATIONS)
    assert result.committed
    assert (result.created, result.updated, result.unchanged) == (3, 1, 0)
    assert [(r.row_number, r.column) for r in result.rejected] == [(7, "D (ИНН/КПП)"), (7, "C (Тип)")]
    assert "неверная контрольная сумма" in result.rejected[0].reason
    assert "«завод» нет в списке допустимых значений" in result.rejected[1].reason

    orgs = _by_short_or_full(db)
    assert len(orgs) == 4
    school_now = orgs["МБОУ СОШ № 1"]
    assert school_now.id == school["id"]                                 # matched by ИНН
    assert (school_now.kpp, school_now.ogrn) == ("770701001", "1027700132195")
    assert school_now.address == "г. Энск, ул. Ленина, 1" and school_now.phone == "+74955005550"
    assert school_now.head_name == "Иванов Иван Иванович"
    assert school_now.full_name == SCHOOL_FULL_NAME and school_now.row_version == school["row_version"] + 1
    assert orgs["МБДОУ д/с № 5"].kind == "kindergarten"                 # guessed from the name
    ddt = orgs["МАУ ДО ДДТ"]
    assert ddt.kind == "additional" and ddt.inn == DDT_INN                # ИНН stored as a number
    assert orgs["ГБПОУ «Энский педагогический колледж»"].kind == "college"
    assert orgs["ГБПОУ «Энский педагогический колледж»"].short_name == ""


def test_importing_the_register_again_changes_nothing(db, school, tmp_path):
    path = organizations_workbook(tmp_path / "реестр.xlsx")
    import_file(db, path, ORGANIZATIONS)
    with db.session() as s:
        versions = dict(s.execute(select(Organization.id, Organization.row_version)).all())
    audit = _audit_count(db)
    again = import_file(db, path, ORGANIZATIONS)
    assert (again.created, again.updated, again.unchanged, again.committed) == (0, 0, 4, False)
    with db.session() as s:
        assert dict(s.execute(select(Organization.id, Organization.row_version)).all()) == versions
    assert _audit_count(db) == audit


def test_matched_by_name_when_there_is_no_inn(db, records, tmp_path):
    known = records.create("organizations", {"full_name": "МБДОУ «Детский сад № 5»", "kind": "kindergarten"})
    rows = [["Мбдоу детский сад №5", None, None, None, None, "г. Энск, ул. Мира, 5", None, None]]
    result = import_file(db, organizations_workbook(tmp_path / "r.xlsx", rows), ORGANIZATIONS)
    assert (result.created, result.updated) == (0, 1)
    updated = records.get("organizations", known["id"])
    assert updated["address"] == "г. Энск, ул. Мира, 5"
    assert updated["full_name"] == "Мбдоу детский сад №5"                # the file's spelling is the newer one


def test_the_same_name_with_another_inn_is_another_organisation(db, records, tmp_path):
    records.create("organizations", {"full_name": "МБОУ «СОШ № 1»", "kind": "school", "inn": SCHOOL_INN})
    rows = [["МБОУ «СОШ № 1»", None, None, DDT_INN, None, None, None, None]]
    result = import_file(db, organizations_workbook(tmp_path / "r.xlsx", rows), ORGANIZATIONS)
    assert (result.created, result.updated) == (1, 0)


def test_duplicates_in_the_register(db, tmp_path):
    rows = [["Гимназия № 3", None, None, None, None, None, None, None],
            ["ГИМНАЗИЯ №3", None, None, None, None, None, None, None]]
    result = import_file(db, organizations_workbook(tmp_path / "r.xlsx", rows), ORGANIZATIONS)
    assert result.created == 1
    assert [(r.row_number, r.column, r.reason) for r in result.rejected] == [
        (5, "A (Полное наименование)", "та же организация, что в строке 4; повторная строка не импортируется")]


@pytest.mark.parametrize("name", ["organizations.xls", "organizations.ods"])
def test_xls_and_ods_registers(db, school, name):
    result = import_file(db, FIXTURES / name, ORGANIZATIONS)
    assert (result.created, result.updated, result.rejected_rows) == (3, 1, 1)
