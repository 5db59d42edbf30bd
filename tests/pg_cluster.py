"""A throwaway PostgreSQL cluster for the tests: initdb and pg_ctl in a temporary folder, a Unix socket only.

The server runs as a non-root user (PostgreSQL refuses root): the caller's own
user, or ``postgres`` through runuser when the tests run as root (a CI
container). The application connects as ``metodset``, a role without
superuser rights that owns its database, as the README tells a region to set
up. Nothing listens on TCP.
"""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from app.storage.pg_backup import newest_debian_tool

APP_ROLE = "metodset"
SUPERUSER = "postgres"
# A role that must give a password (scram-sha-256), for the tests of how the program asks for one.
PASSWORD_ROLE, PASSWORD = "metodset_pw", "пароль-сервера-1"


class ServerMissing(RuntimeError):
    """The PostgreSQL server binaries are not installed here."""


def _bindir() -> Path:
    found = newest_debian_tool("pg_ctl")
    if found:
        return Path(found).parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).resolve().parent
    raise ServerMissing("PostgreSQL server binaries (initdb, pg_ctl) are not installed; "
                        "Debian: apt-get install postgresql")


@dataclass
class Cluster:
    root: Path
    bindir: Path
    run_as: str | None              # the OS user the server runs as when the tests run as root
    # synchronous_commit=off loses the last commits when the server is killed: tests that halt it need it on.
    durable: bool = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", self.run_as, "--", *args] if self.run_as else list(args)

    def _run(self, *args: str) -> None:
        done = subprocess.run(self._cmd(*args), capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {done.stdout}\n{done.stderr}")

    def start(self) -> "Cluster":
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if self.run_as:
            user = pwd.getpwnam(self.run_as)
            for path in (self.root, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"local all {PASSWORD_ROLE} scram-sha-256\n" + hba.read_text())   # root may write it
        self.resume()
        self.admin(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        self.admin(f"CREATE ROLE {PASSWORD_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{PASSWORD}'")
        return self

    def resume(self) -> None:
        """Starts the server on the existing data folder (after ``halt``, with crash recovery)."""
        options = (f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off -c full_page_writes=off "
                   f"-c synchronous_commit={'on' if self.durable else 'off'} -c max_connections=100")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.root / "server.log"), "-w", "start")

    def halt(self) -> None:
        """Stops the server the way a crash or a pulled cable does: every open transaction is cut off."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(self._cmd(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"),
                           capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)

    def admin(self, sql: str, dbname: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), user=SUPERUSER, dbname=dbname, autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self, template: str | None = None, owner: str = APP_ROLE) -> str:
        """An empty database owned by ``owner`` (or a copy of ``template``); its URL, as that role."""
        name = "t_" + uuid.uuid4().hex[:12]
        self.admin(f"CREATE DATABASE {name} OWNER {owner}" + (f" TEMPLATE {template}" if template else ""))
        return self.url(name, owner)

    def drop_database(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def url(self, name: str, user: str = APP_ROLE) -> str:
        return f"postgresql+psycopg://{user}@/{name}?host={self.socket_dir}"


def start_cluster(root: Path, *, durable: bool = False) -> Cluster:
    bindir = _bindir()
    run_as = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise ServerMissing("running as root and there is no «postgres» user to run the server as") from None
        if not shutil.which("runuser"):
            raise ServerMissing("running as root without runuser to start the server as «postgres»")
        run_as = "postgres"
    return Cluster(root, bindir, run_as, durable).start()
