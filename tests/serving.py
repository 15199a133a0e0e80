"""The production command line (`make serve`'s recipe) and a gunicorn master started from it
on a free loopback port, for the serving tests."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.live_server import ROOT, free_port, wait_until_live


def serve_recipe() -> str:
    """The command `make serve` runs, as written in the Makefile."""
    found = re.search(r"^serve:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert found is not None, "the Makefile has no serve target"
    return found.group(1)


def serve_command(host: str, port: int, bin_dir: Path | None = None) -> list[str]:
    """`make serve`'s command line with its variables filled in."""
    bin_dir = bin_dir or Path(sys.executable).parent
    line = (
        serve_recipe()
        .replace("$(BIN)", str(bin_dir))
        .replace("$(HOST)", host)
        .replace("$(PORT)", str(port))
    )
    return shlex.split(line)


def children(pid: int) -> list[int]:
    """PIDs of the live processes whose parent is `pid` (gunicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process just ended
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@contextmanager
def gunicorn_server(
    env: Mapping[str, str], log_path: Path, timeout: float = 60.0
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Yield the gunicorn master and its base URL; stop exactly that master afterwards."""
    port = free_port()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            serve_command("127.0.0.1", port),
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_live(proc, base, log_path, timeout, "gunicorn")
            yield proc, base
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
