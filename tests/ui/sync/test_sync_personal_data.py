"""The exchange page: the personal-data level chosen for the package, and the region's aggregates table."""
from __future__ import annotations

import io
import zipfile
from datetime import date

from app.services.common.actor import Actor
from app.services.registry.service import RecordService
from app.sync import envelope
from app.sync.identity import init_installation, load_keys, load_profile, write_keycard
from app.sync.partners import trust, trusted_by_fingerprint
from app.ui.shell.main_window import MainWindow
from tests.sync.conftest import sites  # noqa: F401 - the two-installation fixture
from tests.sync.helpers import rows


def _wait(qtbot, task):
    qtbot.waitUntil(lambda: not task.is_running(), timeout=20_000)


def test_aggregates_chosen_in_the_page_reach_the_regions_table(qtbot, db, db_path, tmp_path, sites):
    init_installation(db, "municipal", "46-231", "ММЦ Курского района")
    region = sites("region", "region", "46", "Региональный центр")
    write_keycard(region.db, tmp_path / "region.card")
    write_keycard(db, tmp_path / "mun.card")
    trust(db, tmp_path / "region.card")
    trust(region.db, tmp_path / "mun.card")
    records = RecordService(db, Actor("t"))
    school = records.create("organizations", {"full_name": "Школа № 3", "short_name": "Школа 3", "kind": "school"})
    records.create("teachers", {"last_name": "Кузнецова", "first_name": "Мария", "snils": "112-233-445 95",
                                "organization_id": school["id"], "career_start": date(2024, 9, 1)})

    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    page = window.select_section("exchange").sync_page
    combo = page.personal_data_combo
    assert combo.isVisible() and combo.currentData() == "full"
    combo.setCurrentIndex(combo.findData("aggregates"))
    task = page.export_to(tmp_path / "g1.msp")
    _wait(qtbot, task)
    assert "только сводные показатели" in page.status_label.text()
    assert page.log_table.item(0, 5).text() == "только сводные показатели"

    data = envelope.read_file(tmp_path / "g1.msp")
    with region.db.read() as s:
        sign_key = trusted_by_fingerprint(s, envelope.sender_of(data, "g1.msp")).sign_key
        keys = load_keys(load_profile(s))
    plain = envelope.decrypt(envelope.verify(data, "g1.msp", bytes.fromhex(sign_key)), keys.encryption)
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        body = b"".join(zf.read(n) for n in zf.namelist()).decode("utf-8")
    assert "Кузнецова" not in body and "112-233-445" not in body and "Школа 3" in body

    region_window = MainWindow(region.db)
    qtbot.addWidget(region_window)
    region_window.show()
    rpage = region_window.select_section("exchange").sync_page
    assert not rpage.personal_data_combo.isVisible() and rpage.aggregates_box.isHidden()
    task = rpage.open_package(tmp_path / "g1.msp")
    _wait(qtbot, task)
    qtbot.waitUntil(lambda: rpage.preview_dialog is not None and rpage.preview_dialog.isVisible())
    summary = rpage.preview_dialog.summary.text()
    assert "Персональные данные: только сводные показатели" in summary and "организаций: 1" in summary
    rpage.preview_dialog.apply_button.click()
    qtbot.waitUntil(lambda: "загружен" in rpage.status_label.text(), timeout=20_000)
    assert "Сводные показатели организаций: 1." in rpage.status_label.text()
    assert not rpage.aggregates_box.isHidden()
    table = rpage.aggregates_table
    assert [table.item(0, c).text() for c in (0, 1, 3, 7)] == ["46-231", "Школа 3", "1", "1"]
    assert rpage.reports_table.item(0, 5).text() == "только сводные показатели"
    rpage.grab().save(str(tmp_path / "region_aggregates.png"))


def test_the_region_sends_its_key_in_an_addressed_catalogue_then_a_pseudonymised_package_goes(
        qtbot, db, db_path, tmp_path, sites):
    init_installation(db, "municipal", "46-231", "ММЦ Курского района")
    region = sites("region", "region", "46", "Региональный центр")
    write_keycard(region.db, tmp_path / "region.card")
    write_keycard(db, tmp_path / "mun.card")
    trust(db, tmp_path / "region.card")
    trust(region.db, tmp_path / "mun.card")
    RecordService(db, Actor("t")).create("teachers", {"last_name": "Кузнецова", "first_name": "Мария",
                                                      "snils": "112-233-445 95"})

    region_window = MainWindow(region.db)
    qtbot.addWidget(region_window)
    region_window.show()
    rpage = region_window.select_section("exchange").sync_page
    combo = rpage.catalogue_to_combo
    assert combo.isVisible() and combo.count() == 2 and combo.currentData() is None
    combo.setCurrentIndex(1)
    task = rpage.export_to(tmp_path / "cat.msp")
    _wait(qtbot, task)
    assert "для «ММЦ Курского района»" in rpage.status_label.text()

    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    page = window.select_section("exchange").sync_page
    assert not page.catalogue_to_combo.isVisible()
    task = page.apply_package(tmp_path / "cat.msp")
    qtbot.waitUntil(lambda: "Получен ключ псевдонимизации" in page.status_label.text(), timeout=20_000)
    page.personal_data_combo.setCurrentIndex(page.personal_data_combo.findData("pseudonymised"))
    task = page.export_to(tmp_path / "p1.msp")
    _wait(qtbot, task)
    assert "персональные данные: псевдонимизированно" in page.status_label.text()

    task = rpage.apply_package(tmp_path / "p1.msp")
    qtbot.waitUntil(lambda: "загружен" in rpage.status_label.text(), timeout=20_000)
    assert rows(region.path, "SELECT last_name, snils FROM teacher") == [("Педагог", None)]
    page.grab().save(str(tmp_path / "mun_page.png"))
