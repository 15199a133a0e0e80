"""A private PostgreSQL for tests that stop and restart the database (never the shared one):
a cluster made by `initdb` in a temporary directory owned by the `postgres` account (initdb
refuses root), listening on 127.0.0.1 on a free port, started as one `postgres` process and
stopped by its PID. The data directory survives a stop, so a restart brings the rows back."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2

from tests.live_server import free_port

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 30.0
ACCOUNT = "postgres"


def bin_dir() -> Path:
    """The newest installed PostgreSQL's binaries (Debian keeps them off PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    assert found, "PostgreSQL server binaries are not installed (apt-get install postgresql)"
    return found[-1].parent


def _as_postgres() -> dict[str, object]:
    """Run a child as the `postgres` account when we are root (initdb and postgres refuse
    root); as ourselves otherwise."""
    if os.geteuid() != 0:
        return {}
    account = pwd.getpwnam(ACCOUNT)
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


class PrivatePostgres:
    """One data directory and port; `stop()` (fast shutdown) and `start()` it again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="fault-pg-"))
        self.data = self.dir / "data"
        self.url = f"postgresql+psycopg2://{ACCOUNT}@127.0.0.1:{self.port}/postgres"
        self._proc: subprocess.Popen[bytes] | None = None
        if os.geteuid() == 0:
            account = pwd.getpwnam(ACCOUNT)
            os.chown(self.dir, account.pw_uid, account.pw_gid)

    def init(self) -> None:
        subprocess.run(
            [
                str(bin_dir() / "initdb"), "-D", str(self.data), "-U", ACCOUNT,
                "-A", "trust", "--no-sync", "-E", "UTF8", "--no-instructions",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=self.dir,
            **_as_postgres(),  # type: ignore[arg-type]
        )  # fmt: skip

    def start(self) -> None:
        log = (self.dir / "postgres.log").open("ab")
        self._proc = subprocess.Popen(
            [
                str(bin_dir() / "postgres"), "-D", str(self.data), "-p", str(self.port),
                "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={self.dir}",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=200", "-c", "shared_buffers=32MB",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.dir,
            **_as_postgres(),  # type: ignore[arg-type]
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                psycopg2.connect(
                    host="127.0.0.1", port=self.port, user=ACCOUNT, dbname="postgres",
                    connect_timeout=1,
                ).close()  # fmt: skip
                return
            except psycopg2.OperationalError:
                if self._proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"postgres did not start:\n{self.log()[-2000:]}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        """Fast shutdown (SIGINT to the postmaster): clients are disconnected at once."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def log(self) -> str:
        path = self.dir / "postgres.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A fresh cluster, running; stopped by its PID and deleted afterwards."""
    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.stop()
        server.remove()
