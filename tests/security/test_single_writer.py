"""One writer per database file: a second process is refused, a crashed one's lock is taken over."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.services.common.bootstrap import close_database, open_database
from app.storage.single_writer import DatabaseInUse, lock_path, network_share_reason, refuse_network_share

HOLDER = """
import sys, time
from app.services.common.bootstrap import open_database
db, _ = open_database(sys.argv[1], exclusive=True)
print("open", flush=True)
time.sleep(60)
"""


def _start_holder(path: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_a_second_process_is_refused_naming_the_holder_and_a_crashed_holder_is_taken_over(db_path):
    holder = _start_holder(db_path)
    try:
        with pytest.raises(DatabaseInUse, match=f"уже открыта: программа \\(процесс {holder.pid}\\)"):
            open_database(str(db_path), exclusive=True)
        # The CLI in another process says the same and exits 1.
        cli = subprocess.run([sys.executable, "-m", "app.cli", "--db", str(db_path), "stats"],
                             capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
        assert cli.returncode == 1 and "только одна копия МетодСети" in cli.stderr
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert lock_path(db_path).exists()        # the crashed process left its lock file behind …
    db, _ = open_database(str(db_path), exclusive=True)   # … and it is taken over
    assert str(os.getpid()) in lock_path(db_path).read_text()
    close_database(db)
    db2, _ = open_database(str(db_path), exclusive=True)   # released on close
    close_database(db2)


def test_network_shares_are_refused():
    mounts = ("/dev/sda1 / ext4 rw 0 0\n//srv/docs /mnt/share cifs rw 0 0\n"
              "srv:/export /home/u/nfs nfs4 rw 0 0\n")
    assert "cifs" in network_share_reason(Path("/mnt/share/metodset.sqlite"), platform="linux", mounts=mounts)
    assert "nfs4" in network_share_reason(Path("/home/u/nfs/a/b.sqlite"), platform="linux", mounts=mounts)
    assert network_share_reason(Path("/home/u/nfsx/b.sqlite"), platform="linux", mounts=mounts) is None
    assert network_share_reason(Path("/home/u/local.sqlite"), platform="linux", mounts=mounts) is None
    assert "сетевую папку" in network_share_reason(Path("//server/share/db.sqlite"), platform="linux", mounts="")
    with pytest.raises(DatabaseInUse, match="на локальный диск"):
        refuse_network_share(Path("\\\\server\\share\\metodset.sqlite"), platform="linux", mounts="")


def test_the_lock_is_released_when_the_holder_exits(db_path):
    proc = subprocess.run([sys.executable, "-c", HOLDER.replace("time.sleep(60)", ""), str(db_path)],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 0
    start = time.monotonic()
    db, _ = open_database(str(db_path), exclusive=True)
    close_database(db)
    assert time.monotonic() - start < 5
