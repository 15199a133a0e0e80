"""Servers the harness starts: own process group, readiness, RSS, and a guaranteed stop.

Only processes started here are ever signalled, by process group id (each server is the
leader of a new session). Every live server is stopped at exit, on Ctrl-C and on SIGTERM.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO

HOST = "127.0.0.1"
_LIVE: dict[int, Server] = {}


class ServerError(RuntimeError):
    """A server did not come up (its log tail is in the message)."""


PORT_WAIT_S = 60.0  # a server with MCP requests cut mid-flight takes a while to exit


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def http_status(port: int, path: str, timeout: float = 2.0) -> int | None:
    """Status of GET http://127.0.0.1:port/path, or None when nothing answers."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except OSError:
        return None
    finally:
        conn.close()


@dataclass
class Server:
    """One spawned server (the leader of its own process group)."""

    command: list[str]
    env: dict[str, str]
    port: int
    log_path: Path
    cwd: Path
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    _log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        # The previous server on this port (the same configuration, other settings) may
        # still be exiting: wait for it, bounded, before calling the port taken.
        deadline = time.monotonic() + PORT_WAIT_S
        while not port_is_free(self.port) and time.monotonic() < deadline:
            time.sleep(0.2)
        if not port_is_free(self.port):
            msg = f"port {self.port} on {HOST} is taken; choose another with --port-base"
            raise ServerError(msg)
        self._log = self.log_path.open("ab")
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(  # noqa: S603 - our own argv, no shell
            self.command,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _LIVE[self.process.pid] = self

    def wait_ready(self, path: str, timeout: float = 60.0) -> float:
        """Seconds from spawn to the first 200 on `path` (the cold start)."""
        assert self.process is not None
        deadline = self.started_at + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise ServerError(f"server exited with {code}\n{self.log_tail()}")
            if http_status(self.port, path, timeout=1.0) == 200:
                return time.perf_counter() - self.started_at
            time.sleep(0.01)
        raise ServerError(f"no 200 from {path} within {timeout:.0f} s\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def pids(self) -> list[int]:
        """Every process of this server's group (leader first)."""
        assert self.process is not None
        return group_pids(self.process.pid)

    def stop(self, grace: float = 10.0) -> None:
        if self.process is None:
            return
        pgid = self.process.pid
        _signal_group(pgid, signal.SIGTERM)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            _signal_group(pgid, signal.SIGKILL)
            self.process.wait(timeout=grace)
        # Workers may outlive the leader by a moment; never leave one behind.
        deadline = time.monotonic() + grace
        while group_pids(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if group_pids(pgid):
            _signal_group(pgid, signal.SIGKILL)
        _LIVE.pop(pgid, None)
        if self._log is not None:
            self._log.close()
        self.process = None


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces; everything after its ')' is split.
    return raw[raw.rindex(")") + 2 :].split()


def group_pids(pgid: int) -> list[int]:
    """Live (non-zombie) processes whose process group is `pgid`, leader first."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        # fields[0] is the state, fields[2] the process group.
        if fields is not None and fields[0] != "Z" and int(fields[2]) == pgid:
            found.append(int(entry.name))
    return sorted(found, key=lambda pid: (pid != pgid, pid))


def parent_pid(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[1]) if fields is not None else None


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def rss_mb(pid: int) -> float | None:
    """VmRSS of `pid` in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def live_groups() -> set[int]:
    """Process group ids of the servers running now."""
    return set(_LIVE)


def stop_all() -> None:
    for server in list(_LIVE.values()):
        server.stop(grace=5.0)


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    stop_all()
    raise SystemExit(128 + signum)


def install_cleanup() -> None:
    """Stop every server we started at exit, on Ctrl-C (SIGINT) and on SIGTERM."""
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
