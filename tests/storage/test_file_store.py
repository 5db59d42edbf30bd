import hashlib

import pytest

from app.storage.file_store import FileStore, FileTooLarge


def test_same_content_is_stored_once(tmp_path):
    store = FileStore(tmp_path / "files")
    a = tmp_path / "план.docx"
    b = tmp_path / "копия плана.docx"
    a.write_bytes(b"content" * 100)
    b.write_bytes(b"content" * 100)
    first, second = store.add(a), store.add(b)
    assert first.sha256 == second.sha256 == hashlib.sha256(b"content" * 100).hexdigest()
    assert first.size == 700 and second.file_name == "копия плана.docx"
    stored = [p for p in (tmp_path / "files").rglob("*") if p.is_file()]
    assert len(stored) == 1
    assert store.read_bytes(first.sha256) == b"content" * 100
    assert store.verify(first.sha256)


def test_too_large_file_is_refused_with_its_name(tmp_path):
    store = FileStore(tmp_path / "files", max_bytes=10)
    big = tmp_path / "видео.mp4"
    big.write_bytes(b"x" * 11)
    with pytest.raises(FileTooLarge, match="видео.mp4"):
        store.add(big)
    assert not any(p.is_file() for p in (tmp_path / "files").rglob("*"))


def test_damaged_file_fails_verification(tmp_path):
    store = FileStore(tmp_path / "files")
    stored = store.add_bytes(b"minutes", "протокол.pdf")
    store.path_for(stored.sha256).write_bytes(b"edited")
    assert not store.verify(stored.sha256)
    out = store.export(stored.sha256, tmp_path / "out" / "протокол.pdf")
    assert out.read_bytes() == b"edited"
