"""The OTLP/HTTP receiver that traced scenarios export to: it takes every
`POST /v1/traces`, counts it and throws it away (tests/fakes/otlp_receiver.py with
`keep=False`), so a traced scenario measures what tracing costs the server (spans, the
batch processor, protobuf encoding, the HTTP export) and not a collector.

A scenario asks for it with `server_env=(("OTEL_EXPORTER_OTLP_ENDPOINT", OTLP_SINK), ...)`
(bench/scenarios.py); the harness starts one sink per run, on a free loopback port, the
first time a server needs it (`Sink.resolve`), in its own process group like the servers
(procs.Server: counted as the benchmark's own load, stopped by that group id), and stops
it with the run.

    python -m bench.otlp_sink --port 4318     # by hand; GET /stats says what it took
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import Any

from bench.procs import HOST, Server
from bench.scenarios import OTLP_SINK
from bench.seed import request_json


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class Sink:
    """The run's sink process, started on first use."""

    def __init__(self, python: str, work: Path, cwd: Path, env: dict[str, str]) -> None:
        self._python, self._work, self._cwd, self._env = python, work, cwd, env
        self.server: Server | None = None

    def resolve(self, env: dict[str, str]) -> dict[str, str]:
        """`env` with OTLP_SINK replaced by the sink's endpoint (starting the sink)."""
        if OTLP_SINK not in env.values():
            return env
        if self.server is None:
            port = _free_port()
            server = Server(
                command=[self._python, "-m", "bench.otlp_sink", "--port", str(port)],
                env=self._env,
                port=port,
                log_path=self._work / "otlp-sink.log",
                cwd=self._cwd,
            )
            server.start()
            self.server = server
            server.wait_ready("/stats", timeout=30)
        endpoint = f"http://{HOST}:{self.server.port}"
        return {k: endpoint if v == OTLP_SINK else v for k, v in env.items()}

    def stats(self) -> dict[str, Any] | None:
        """What the sink took so far (requests, bytes), or None when it is not running."""
        if self.server is None:
            return None
        status, body = request_json(self.server.port, "GET", "/stats")
        return body if status == 200 else None

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    from tests.fakes.otlp_receiver import OTLPReceiver  # noqa: PLC0415 - only in the sink

    receiver = OTLPReceiver(keep=False, port=args.port)
    print(f"OTLP sink on {receiver.endpoint}/v1/traces", flush=True)
    receiver.serve_forever()  # until the harness stops its process group
    return 0


if __name__ == "__main__":
    sys.exit(main())
