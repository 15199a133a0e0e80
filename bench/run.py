"""Run the benchmark: `make bench` (3 rounds) or `make bench-smoke` (1 short round).

    .venv/bin/python -m bench.run [--smoke] [--rounds N] [--duration S] [--out DIR] ...

Every server binds 127.0.0.1 only, runs in its own process group and is stopped (by that
group id) after its scenarios, at exit, on Ctrl-C and on failure. wrk runs are bounded
by duration and a subprocess timeout.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import procs, report, wrk
from bench.configurations import Configuration, variant
from bench.configurations import by_name as configurations_by_name
from bench.load import OtherLoad
from bench.otlp_sink import Sink
from bench.procs import Server
from bench.scenarios import OTLP_SINK, Scenario
from bench.scenarios import by_name as scenarios_by_name
from bench.seed import Tokens, request_json, seed
from bench.services import BIN, ROOT, Backends, check_redis, ensure_database, server_env
from bench.streams import HeldStats, held_streams

# wrk's result, the other load (cores) during it, and the held streams' outcome if any.
Measurement = tuple[wrk.WrkResult, float, dict[str, Any] | None]

READY_PATH = "/api/v1/health/live"
# (probe factory?, extra server env, the scenarios one server start runs)
ServerGroup = tuple[bool, dict[str, str], list[Scenario]]
DEFAULT_OUT = ROOT / "bench" / "results"


@dataclass(frozen=True)
class Options:
    rounds: int
    duration_s: float
    warmup_s: float
    connections: int
    wrk_threads: int
    port_base: int
    out: Path
    name: str
    smoke: bool
    configurations: list[Configuration]
    scenarios: list[Scenario]
    users: int
    backends: Backends
    wsgi_threads: int | None
    service_root: Path
    latest: bool
    quiet_wait_s: float
    quiet_threshold: float
    quiet_budget_s: float
    retries: int


def parse_args(argv: list[str]) -> Options:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--smoke", action="store_true", help="1 round, 2 s per scenario, temp dir")
    p.add_argument("--rounds", type=int, help="rounds (default 3; smoke 1)")
    p.add_argument("--duration", type=float, help="seconds per scenario (default 10; smoke 2)")
    p.add_argument("--warmup", type=float, help="warm-up seconds, discarded (default 1; smoke 0)")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--wrk-threads", type=int, default=1)
    p.add_argument("--port-base", type=int, default=18400, help="servers use base+1..base+4")
    p.add_argument("--out", type=Path, help="results directory (default bench/results)")
    p.add_argument("--name", help="result file name (default: UTC timestamp[-label])")
    p.add_argument("--label", default="", help="appended to the default name, e.g. before")
    p.add_argument(
        "--no-latest", action="store_true", help="leave bench/results/LATEST.md as it is"
    )
    p.add_argument("--configs", nargs="*", help="subset of configurations")
    p.add_argument("--scenarios", nargs="*", help="subset of scenarios")
    p.add_argument("--users", type=int, default=50, help="ordinary accounts to seed")
    p.add_argument("--wsgi-threads", type=int, help="WSGI_THREADS for the service")
    p.add_argument(
        "--service-root",
        type=Path,
        help="serve this service from the checkout at PATH (e.g. a worktree of HEAD, so "
        "edits in this tree during the run do not reach the servers; default: this tree)",
    )
    p.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="also run service-1w from the checkout at PATH, as `service-1w@NAME` "
        "(repeatable; bench/ablate.py passes one per reverted fix)",
    )
    p.add_argument(
        "--quiet-wait",
        type=float,
        help="before each scenario, wait up to this many seconds for other processes to go "
        "quiet (default 60; smoke 0)",
    )
    p.add_argument(
        "--quiet-budget", type=float, default=900, help="total seconds of such waiting per run"
    )
    p.add_argument(
        "--quiet-threshold", type=float, default=0.25, help="cores other processes may use"
    )
    p.add_argument(
        "--retries",
        type=int,
        help="measure a scenario again (up to N times) when other processes used more than "
        "the quiet threshold during it; the least disturbed attempt is kept (default 2; smoke 0)",
    )
    p.add_argument("--pg-host", default="127.0.0.1")
    p.add_argument("--pg-port", type=int, default=5432)
    p.add_argument("--pg-user", default="postgres")
    p.add_argument("--database", default="bench")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    p.add_argument("--redis-key-prefix", default="bench")
    a = p.parse_args(argv)
    variants: list[Configuration] = []
    for i, item in enumerate(a.variant):
        vname, sep, vpath = item.partition("=")
        if not sep or not vname or not Path(vpath, "app", "main.py").is_file():
            p.error(f"--variant {item!r}: expected NAME=PATH of a checkout with app/main.py")
        variants.append(variant(vname, Path(vpath).resolve(), i))
    if a.service_root is not None and not (a.service_root / "app" / "main.py").is_file():
        p.error(f"--service-root {a.service_root}: not a checkout with app/main.py")
    configurations = configurations_by_name(a.configs) + variants
    if any(c.variant_of for c in variants) and "service-1w" not in {c.name for c in configurations}:
        p.error("--variant needs service-1w in --configs (variants are compared with it)")
    top_offset = max(c.port_offset for c in configurations)
    if not 18000 <= a.port_base <= 65535 - top_offset:
        p.error(f"--port-base must leave room for {top_offset} ports")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = a.name or (f"{stamp}-{a.label}" if a.label else stamp) + ("-smoke" if a.smoke else "")
    out = a.out or (Path(tempfile.mkdtemp(prefix="bench-smoke-")) if a.smoke else DEFAULT_OUT)
    return Options(
        rounds=a.rounds or (1 if a.smoke else 3),
        duration_s=a.duration or (2.0 if a.smoke else 10.0),
        warmup_s=a.warmup if a.warmup is not None else (0.0 if a.smoke else 1.0),
        connections=a.connections,
        wrk_threads=a.wrk_threads,
        port_base=a.port_base,
        out=out,
        name=name,
        smoke=a.smoke,
        configurations=configurations,
        scenarios=scenarios_by_name(a.scenarios),
        users=a.users,
        backends=Backends(
            a.pg_host, a.pg_port, a.pg_user, a.database, a.redis_url, a.redis_key_prefix
        ),
        wsgi_threads=a.wsgi_threads,
        service_root=(a.service_root or ROOT).resolve(),
        latest=not a.no_latest
        and (a.out is None or a.out.resolve() == DEFAULT_OUT.resolve() or a.smoke),
        quiet_wait_s=a.quiet_wait if a.quiet_wait is not None else (0.0 if a.smoke else 60.0),
        quiet_threshold=a.quiet_threshold,
        quiet_budget_s=a.quiet_budget,
        retries=a.retries if a.retries is not None else (0 if a.smoke else 2),
    )


def _git(*args: str, cwd: Path = ROOT) -> str:
    git = shutil.which("git") or "git"
    done = subprocess.run(  # noqa: S603
        [git, *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False
    )
    return done.stdout.strip()


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_facts(wrk_path: str, service_root: Path = ROOT) -> dict[str, Any]:
    """Facts about the machine and the checkout the service is served from."""
    return {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": _git("rev-parse", "HEAD", cwd=service_root),
        "git_branch": _git("rev-parse", "--abbrev-ref", "HEAD", cwd=service_root),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no", cwd=service_root)),
        "service_root": str(service_root),
        "wrk": wrk.version(wrk_path),
        "bytecode": _bytecode_facts(),
    }


def _bytecode_facts() -> dict[str, Any]:
    """Cold start depends on whether compiled bytecode exists (and may be written)."""
    site = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"), None)
    cached = site is not None and any((site / "connexion").glob("__pycache__/*.pyc"))
    return {
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", ""),
        "site_packages_compiled": cached,
    }


class Harness:
    def __init__(self, opts: Options, wrk_path: str) -> None:
        self.opts = opts
        self.wrk = wrk_path
        self.env = server_env(opts.backends, wsgi_threads=opts.wsgi_threads)
        self.work = Path(tempfile.mkdtemp(prefix="bench-work-"))
        self.tokens: Tokens | None = None
        self.other_load = OtherLoad(procs.live_groups)
        self.sink = Sink(str(BIN / "python"), self.work, ROOT, self.env)  # traced scenarios
        self.quiet_budget_s = opts.quiet_budget_s
        self.results: dict[str, Any] = {
            "name": opts.name,
            "machine": machine_facts(wrk_path, opts.service_root),
            "settings": {
                "rounds": opts.rounds,
                "duration_s": opts.duration_s,
                "warmup_s": opts.warmup_s,
                "connections": opts.connections,
                "wrk_threads": opts.wrk_threads,
                "smoke": opts.smoke,
                "users_seeded": opts.users,
                "database": opts.backends.database,
                "wsgi_threads": opts.wsgi_threads,
                "quiet_wait_s": opts.quiet_wait_s,
                "quiet_threshold_cores": opts.quiet_threshold,
                "quiet_budget_s": opts.quiet_budget_s,
                "retries": opts.retries,
            },
            "configurations": [
                {
                    **asdict(c),
                    "root": str(c.root) if c.root else None,
                    "command": " ".join(self._argv(c, probe=False, short=True)),
                }
                for c in opts.configurations
            ],
            "scenarios": [
                {**asdict(s), "connections": s.connections or opts.connections}
                for s in opts.scenarios
            ],
            "concurrency": {},
            "runs": [],
            "spawns": [],
        }

    def _argv(self, config: Configuration, *, probe: bool, short: bool = False) -> list[str]:
        argv = config.command(BIN, self.port(config), probe=probe)
        return [Path(argv[0]).name, *argv[1:]] if short else argv

    def port(self, config: Configuration) -> int:
        return self.opts.port_base + config.port_offset

    def log(self, message: str) -> None:
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)

    def spawn(self, config: Configuration, *, probe: bool, extra_env: dict[str, str]) -> Server:
        root = config.root or self.opts.service_root
        server = Server(
            command=self._argv(config, probe=probe),
            env={**self.env, **extra_env, "PYTHONPATH": str(root)},
            port=self.port(config),
            log_path=self.work / f"{config.name}.log",
            cwd=root,
        )
        server.start()
        return server

    def prepare(self) -> None:
        b = self.opts.backends
        self.log(f"database {b.database} on {b.pg_host}:{b.pg_port}: create if missing, migrate")
        ensure_database(b)
        check_redis(b.redis_url)
        seeder = next((c for c in self.opts.configurations if c.kind == "service"), None)
        if seeder is None:
            seeder = configurations_by_name(["service-1w"])[0]
        server = self.spawn(seeder, probe=False, extra_env={})
        try:
            server.wait_ready(READY_PATH)
            self.log(f"seeding {self.opts.users} users and an admin through the service")
            self.tokens = seed(self.port(seeder), self.env, users=self.opts.users)
        finally:
            server.stop()

    def _headers(self, scenario: Scenario) -> dict[str, str]:
        headers = {}
        if scenario.auth is not None:
            assert self.tokens is not None
            headers["Authorization"] = f"Bearer {self.tokens.for_account(scenario.auth)}"
        if scenario.body is not None:
            headers["Content-Type"] = "application/json"
        headers.update(scenario.headers)
        return headers

    def _groups(self, config: Configuration) -> Iterator[ServerGroup]:
        """Scenarios grouped by the server they need, in first-seen order."""
        groups: dict[tuple[bool, tuple[tuple[str, str], ...]], list[Scenario]] = {}
        for s in self.opts.scenarios:
            if config.is_baseline and (not s.baselines or config.kind not in s.baseline_kinds):
                continue
            key = (s.probe and not config.is_baseline, s.server_env)
            groups.setdefault(key, []).append(s)
        for (probe, env), scenarios in groups.items():
            yield probe, dict(env), scenarios

    def _wrk(self, scenario: Scenario, config: Configuration, duration: float) -> wrk.WrkResult:
        return wrk.run(
            self.wrk,
            scenario=scenario,
            port=self.port(config),
            headers=self._headers(scenario),
            duration_s=duration,
            connections=scenario.connections or self.opts.connections,
            threads=self.opts.wrk_threads,
            script_path=self.work / f"{scenario.name}.lua",
        )

    def run_configuration(self, round_no: int, config: Configuration) -> None:
        for probe, extra_env, scenarios in self._groups(config):
            server = self.spawn(config, probe=probe, extra_env=self.sink.resolve(extra_env))
            try:
                cold = server.wait_ready(READY_PATH)
                self.log(f"round {round_no} {config.name}: up in {cold:.2f} s")
                if any(s.slow_seconds for s in scenarios):
                    self._record_concurrency(config)
                exported_before = self.sink.stats()
                for scenario in scenarios:
                    self._run_scenario(round_no, config, scenario)
                self.results["spawns"].append(
                    {
                        "round": round_no,
                        "configuration": config.name,
                        "probe": probe,
                        "server_env": extra_env,
                        "cold_start_s": round(cold, 3),
                        "rss_mb": _rss(server),
                        **self._exported(extra_env, exported_before),
                    }
                )
            finally:
                server.stop()

    def _exported(self, env: dict[str, str], before: dict[str, Any] | None) -> dict[str, Any]:
        """For a traced server: the OTLP export requests and bytes its sink took (proof
        that the spans left the process, and how much)."""
        after = self.sink.stats()
        if OTLP_SINK not in env.values() or after is None:
            return {}
        base = before or {}
        took = {k: after[k] - base.get(k, 0) for k in ("requests", "bytes")}
        self.log(f"OTLP sink took {took['requests']} exports, {took['bytes']:,} bytes")
        return {"otlp_export": took}

    def _record_concurrency(self, config: Configuration) -> None:
        status, body = request_json(self.port(config), "GET", "/_bench/info")
        if status == 200 and isinstance(body, dict):
            self.results["concurrency"][config.name] = int(body["concurrency_per_process"])

    def _wait_for_quiet(self) -> None:
        wait = min(self.opts.quiet_wait_s, self.quiet_budget_s)
        if wait <= 0:
            return
        started = time.monotonic()
        self.other_load.wait_for_quiet(
            max_wait_s=wait, threshold_cores=self.opts.quiet_threshold, log=self.log
        )
        self.quiet_budget_s -= time.monotonic() - started

    def _measure(self, config: Configuration, scenario: Scenario) -> Measurement:
        self._wait_for_quiet()
        with ExitStack() as stack:
            held: HeldStats | None = None
            if scenario.held_streams:
                assert self.tokens is not None
                held = stack.enter_context(
                    held_streams(self.port(config), self.tokens.user, scenario.held_streams)
                )
                self.log(f"  {held.opened} of {held.requested} streams open")
            if scenario.warmup and self.opts.warmup_s > 0:
                self._wrk(scenario, config, self.opts.warmup_s)
            self.other_load.start()
            result = self._wrk(scenario, config, self.opts.duration_s * scenario.duration_factor)
            other = self.other_load.stop()
            streams = held.as_dict() if held is not None else None
        self.log(
            f"  {scenario.name:<16} {result.rps:>9,.1f} req/s  p50 {result.p50_ms:7.2f} ms  "
            f"p99 {result.p99_ms:8.2f} ms  errors {result.errors}  other load {other:.2f} cores"
            + (
                f"  streams open {streams['open_at_end']}/{streams['requested']}, errors "
                f"{streams['errors']}"
                if streams
                else ""
            )
        )
        return result, other, streams

    def _run_scenario(self, round_no: int, config: Configuration, scenario: Scenario) -> None:
        attempts = [self._measure(config, scenario)]
        while (
            min(attempt[1] for attempt in attempts) > self.opts.quiet_threshold
            and len(attempts) <= self.opts.retries
        ):
            self.log("  disturbed by other processes: measuring again")
            self._drain(config, scenario)
            attempts.append(self._measure(config, scenario))
        result, other, streams = min(attempts, key=lambda attempt: attempt[1])
        self.results["runs"].append(
            {
                "round": round_no,
                "configuration": config.name,
                "scenario": scenario.name,
                **result.as_dict(),
                "other_load_cores": other,
                "attempts": len(attempts),
                **({"held_streams": streams} if streams else {}),
            }
        )

    def _drain(self, config: Configuration, scenario: Scenario) -> None:
        """Before measuring a slow scenario again on the same server: the requests wrk left
        queued behind the busy threads still run (the server learns the client left only
        when it answers), and would take the next measurement's threads for a while."""
        if not scenario.slow_seconds:
            return
        connections = scenario.connections or self.opts.connections
        concurrency = self.results["concurrency"].get(config.name) or 1
        waves = math.ceil(connections / concurrency)
        time.sleep(scenario.slow_seconds * waves + 1.0)

    def run(self) -> None:
        configs = self.opts.configurations
        for round_no in range(1, self.opts.rounds + 1):
            shift = (round_no - 1) % len(configs)
            order = configs[shift:] + configs[:shift]
            self.log(f"round {round_no}/{self.opts.rounds}: {', '.join(c.name for c in order)}")
            for config in order:
                self.run_configuration(round_no, config)
        self.sink.stop()

    def write(self) -> tuple[Path, Path]:
        self.results["machine"]["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        self.results["summary"] = report.summarize(self.results)
        out = self.opts.out
        out.mkdir(parents=True, exist_ok=True)
        json_path, md_path = out / f"{self.opts.name}.json", out / f"{self.opts.name}.md"
        json_path.write_text(json.dumps(self.results, indent=2) + "\n")
        text = report.markdown(self.results)
        md_path.write_text(text)
        if self.opts.latest:
            (out / "LATEST.md").write_text(text)
        return json_path, md_path


def _rss(server: Server) -> dict[str, Any]:
    """VmRSS of the server's workers after its load (and of the master, if any)."""
    pids = server.pids()
    leader = pids[0] if pids else None
    if len(pids) <= 1:
        return {"workers": [round(procs.rss_mb(p) or 0.0, 1) for p in pids], "master": None}
    workers = [
        p
        for p in pids[1:]
        if procs.parent_pid(p) == leader and "resource_tracker" not in procs.cmdline(p)
    ]
    master = procs.rss_mb(leader) if leader is not None else None
    return {
        "workers": [round(procs.rss_mb(p) or 0.0, 1) for p in workers],
        "master": round(master, 1) if master is not None else None,
    }


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    procs.install_cleanup()
    wrk_path = wrk.ensure_wrk()
    harness = Harness(opts, wrk_path)
    try:
        harness.prepare()
        harness.run()
        json_path, md_path = harness.write()
    except BaseException:
        procs.stop_all()
        harness.log(f"failed; server logs and wrk scripts are in {harness.work}")
        raise
    procs.stop_all()
    shutil.rmtree(harness.work, ignore_errors=True)
    harness.log(f"wrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
