"""Drive one scenario with wrk: a generated Lua script sets the request and prints a
machine-readable summary (exact percentiles, error kinds, and statuses when needed)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.scenarios import Scenario

_DONE = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local e = summary.errors
  local fields = {summary.duration, summary.requests, summary.bytes, e.connect, e.read,
    e.write, e.status, e.timeout}
  io.write("BENCH summary " .. table.concat(fields, " ") .. "\\n")
  fields = {latency.mean, latency.stdev, latency.max, latency:percentile(50),
    latency:percentile(90), latency:percentile(99)}
  io.write("BENCH latency " .. table.concat(fields, " ") .. "\\n")
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then
      for k, v in pairs(s) do io.write("BENCH status " .. k .. " " .. v .. "\\n") end
    end
  end
end
"""
# Only when the expected status is not 2xx: a per-response Lua callback costs wrk CPU.
_COUNT_STATUSES = """
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
"""


class WrkError(RuntimeError):
    pass


@dataclass
class WrkResult:
    duration_s: float
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    errors: int
    socket_errors: dict[str, int]
    non_2xx_3xx: int
    statuses: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def ensure_wrk() -> str:
    """Path of wrk; installs the Debian package when it is missing (needs root)."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None:
        raise WrkError("wrk is not installed and apt-get is unavailable: install wrk")
    print("wrk missing: apt-get update && apt-get install -y wrk", flush=True)
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    subprocess.run([apt, "update", "-qq"], check=True, env=env, timeout=600)  # noqa: S603
    subprocess.run([apt, "install", "-y", "-qq", "wrk"], check=True, env=env, timeout=600)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        raise WrkError("apt-get install wrk did not provide a wrk binary")
    return found


def version(wrk: str) -> str:
    out = subprocess.run([wrk, "-v"], capture_output=True, text=True, timeout=10, check=False)  # noqa: S603
    words = (out.stdout or out.stderr).split()
    return " ".join(words[:2])  # e.g. "wrk debian/4.1.0-3+b2"


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for ASCII


def lua_script(scenario: Scenario, headers: dict[str, str]) -> str:
    lines = [f"wrk.method = {_lua_string(scenario.method)}"]
    for name, value in headers.items():
        lines.append(f"wrk.headers[{_lua_string(name)}] = {_lua_string(value)}")
    if scenario.body is not None:
        lines.append(f"wrk.body = {_lua_string(json.dumps(scenario.body))}")
    script = "\n".join(lines) + "\n" + _DONE
    if not 200 <= scenario.expect_status < 400:
        script += _COUNT_STATUSES
    return script


def run(
    wrk: str,
    *,
    scenario: Scenario,
    port: int,
    headers: dict[str, str],
    duration_s: float,
    connections: int,
    threads: int,
    script_path: Path,
) -> WrkResult:
    script_path.write_text(lua_script(scenario, headers))
    seconds = max(1, round(duration_s))
    argv = [
        wrk,
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={scenario.timeout_s:g}s",
        "--latency",
        "-s",
        str(script_path),
        f"http://127.0.0.1:{port}{scenario.path}",
    ]
    try:
        out = subprocess.run(  # noqa: S603 - our own argv, no shell
            argv,
            capture_output=True,
            text=True,
            timeout=seconds + scenario.timeout_s + 30,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise WrkError(f"wrk did not finish: {' '.join(argv)}") from exc
    if out.returncode != 0:
        raise WrkError(f"wrk failed ({out.returncode}): {out.stderr.strip() or out.stdout}")
    return parse(out.stdout, scenario.expect_status)


def parse(stdout: str, expect_status: int) -> WrkResult:
    summary: list[int] | None = None
    latency: list[int] | None = None
    statuses: dict[str, int] = {}
    for line in stdout.splitlines():
        parts = line.split()
        if parts[:2] == ["BENCH", "summary"]:
            summary = [int(float(p)) for p in parts[2:]]
        elif parts[:2] == ["BENCH", "latency"]:
            latency = [int(float(p)) for p in parts[2:]]
        elif parts[:2] == ["BENCH", "status"]:
            statuses[parts[2]] = statuses.get(parts[2], 0) + int(parts[3])
    if summary is None or latency is None:
        raise WrkError(f"no summary in wrk output:\n{stdout}")
    duration_us, requests, _bytes, connect, read, write, status, timeout = summary
    mean, _stdev, max_us, p50, p90, p99 = latency
    sockets = {"connect": connect, "read": read, "write": write, "timeout": timeout}
    if statuses:
        unexpected = sum(n for code, n in statuses.items() if int(code) != expect_status)
    else:
        unexpected = status
    duration_s = duration_us / 1e6
    return WrkResult(
        duration_s=round(duration_s, 3),
        requests=requests,
        rps=round(requests / duration_s, 1) if duration_s else 0.0,
        p50_ms=p50 / 1000,
        p90_ms=p90 / 1000,
        p99_ms=p99 / 1000,
        mean_ms=round(mean / 1000, 3),
        max_ms=max_us / 1000,
        errors=unexpected + sum(sockets.values()),
        socket_errors=sockets,
        non_2xx_3xx=status,
        statuses=statuses,
    )
