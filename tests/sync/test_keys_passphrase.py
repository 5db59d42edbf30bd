"""The private keys of the exchange can be protected by a passphrase: copied keys are useless without it."""
from __future__ import annotations

import pytest

from app.cli import main
from app.sync import exchange as sx
from app.sync import identity
from app.sync.export import export_delta
from app.sync.identity import KeysLocked, keys_dir, load_profile


@pytest.fixture
def forget_passphrases():
    yield
    identity.forget_passphrases()


def _profile(site):
    with site.db.read() as s:
        return load_profile(s)


def test_protected_keys_work_only_with_the_passphrase(mun_and_region, tmp_path, forget_passphrases):
    mun, region = mun_and_region
    mun.records.create("organizations", {"full_name": "Школа № 1", "kind": "school"})
    with pytest.raises(sx.SyncError, match="не короче 8"):
        sx.set_keys_passphrase(mun.db, "коротко")
    sx.set_keys_passphrase(mun.db, "длинный пароль ключей")
    folder = keys_dir(_profile(mun).installation_id)
    assert b"ENCRYPTED PRIVATE KEY" in (folder / "signing.pem").read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in (folder / "encryption.pem").read_bytes()
    export_delta(mun.db, tmp_path / "p1.msp")      # typed in this process: it works

    identity.forget_passphrases()                      # a new start of the program
    assert sx.keys_need_passphrase(mun.db)
    with pytest.raises(KeysLocked, match="защищены паролем"):
        export_delta(mun.db, tmp_path / "p2.msp")
    with pytest.raises(KeysLocked, match="Неверный пароль"):
        sx.unlock_keys(mun.db, "не тот пароль ключей")
    assert not (tmp_path / "p2.msp").exists()
    sx.unlock_keys(mun.db, "длинный пароль ключей")
    assert export_delta(mun.db, tmp_path / "p2.msp").sequence == 2
    assert sx.import_package(region.db, tmp_path / "p1.msp").applied

    sx.set_keys_passphrase(mun.db, None)
    identity.forget_passphrases()
    assert not sx.keys_are_protected(mun.db)
    assert export_delta(mun.db, tmp_path / "p3.msp").sequence == 3


def test_the_command_line_asks_for_the_passphrase_or_takes_it_from_the_environment(
        mun_and_region, tmp_path, monkeypatch, capsys, forget_passphrases):
    mun, _region = mun_and_region
    monkeypatch.setenv("METODSET_KEYS_NEW_PASSWORD", "пароль ключей 2026")
    assert main(["--db", str(mun.path), "sync", "passphrase"]) == 0
    assert "защищены паролем" in capsys.readouterr().out
    monkeypatch.delenv("METODSET_KEYS_NEW_PASSWORD")
    identity.forget_passphrases()
    mun.db.dispose()
    monkeypatch.setattr("sys.stdin", open("/dev/null"))
    assert main(["--db", str(mun.path), "sync", "export", "--out", str(tmp_path / "p.msp")]) == 1
    err = capsys.readouterr().err
    assert "METODSET_KEYS_PASSWORD" in err and "Traceback" not in err and not (tmp_path / "p.msp").exists()
    monkeypatch.setenv("METODSET_KEYS_PASSWORD", "пароль ключей 2026")
    assert main(["--db", str(mun.path), "sync", "export", "--out", str(tmp_path / "p.msp")]) == 0
    assert (tmp_path / "p.msp").exists()


def test_the_regions_pseudonymisation_key_is_kept_under_the_same_passphrase(mun_and_region, tmp_path,
                                                                            forget_passphrases):
    from app.sync.export import export_catalogue
    from app.sync.identity import region_secret

    mun, region = mun_and_region
    profile = _profile(region)
    before = region_secret(profile)
    path = keys_dir(profile.installation_id) / "pseudonymisation.key"
    assert path.read_text().strip() == before.hex()

    sx.set_keys_passphrase(region.db, "пароль региона 2026")
    text = path.read_text()
    assert text.startswith("enc1:") and before.hex() not in text
    assert region_secret(profile) == before                  # typed in this process
    identity.forget_passphrases()
    with pytest.raises(KeysLocked):
        region_secret(profile)
    with pytest.raises(KeysLocked):
        export_catalogue(region.db, tmp_path / "cat.msp", mun.code)
    sx.unlock_keys(region.db, "пароль региона 2026")
    assert region_secret(profile) == before
    export_catalogue(region.db, tmp_path / "cat.msp", mun.code)
    assert sx.import_package(mun.db, tmp_path / "cat.msp").pseudonym_key

    sx.set_keys_passphrase(region.db, None)
    assert path.read_text().strip() == before.hex()
