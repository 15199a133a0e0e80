"""Aggregate a run's JSON into medians, ratios and issue 9's targets; render markdown.

python -m bench.report bench/results/<name>.json   # re-render <name>.md
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any

from bench.configurations import REFERENCE, SECONDARY

Result = dict[str, Any]
SERVICE_2W, SERVICE_1W = "service-2w", "service-1w"
COLD_START_TARGET_S = 1.0
RSS_TARGET_MB = 150.0
P99_TARGET_RATIO = 3.0
SLOW_TARGET_SHARE = 0.9


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def scenario_stats(results: Result) -> dict[str, dict[str, Result]]:
    """{scenario: {configuration: stats over rounds}}."""
    out: dict[str, dict[str, Result]] = {}
    for run in results["runs"]:
        cell = out.setdefault(run["scenario"], {}).setdefault(run["configuration"], {"runs": []})
        cell["runs"].append(run)
    for per_config in out.values():
        for cell in per_config.values():
            runs = cell.pop("runs")
            rps = [r["rps"] for r in runs]
            cell.update(
                rounds=len(runs),
                rps_median=_median(rps),
                rps_min=min(rps),
                rps_max=max(rps),
                p50_ms=_median([r["p50_ms"] for r in runs]),
                p99_ms=_median([r["p99_ms"] for r in runs]),
                p99_ms_max=max(r["p99_ms"] for r in runs),
                errors=sum(r["errors"] for r in runs),
                other_load_cores_max=max(r.get("other_load_cores", 0.0) for r in runs),
                requests=sum(r["requests"] for r in runs),
            )
    return out


def configuration_stats(results: Result) -> dict[str, Result]:
    """{configuration: cold start and RSS per worker over its spawns}."""
    out: dict[str, Result] = {}
    for spawn in results["spawns"]:
        cell = out.setdefault(
            spawn["configuration"], {"cold": [], "rss_main": [], "rss_all": [], "masters": []}
        )
        workers = spawn["rss_mb"]["workers"]
        if not spawn["probe"]:
            cell["cold"].append(spawn["cold_start_s"])
            cell["rss_main"].extend(workers)
        cell["rss_all"].extend(workers)
        if spawn["rss_mb"]["master"] is not None:
            cell["masters"].append(spawn["rss_mb"]["master"])
    stats: dict[str, Result] = {}
    for name, cell in out.items():
        stats[name] = {
            "cold_start_s_median": _median(cell["cold"]),
            "cold_start_s_samples": cell["cold"],
            "rss_worker_mb_median": _median(cell["rss_main"]),
            "rss_worker_mb_max": max(cell["rss_all"]) if cell["rss_all"] else None,
            "rss_master_mb_median": _median(cell["masters"]),
        }
    return stats


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def _target(name: str, measured: float | None, threshold: str, met: bool | None) -> Result:
    return {"target": name, "measured": measured, "threshold": threshold, "met": met}


def targets(results: Result) -> list[Result]:
    """Issue 9 item 5, evaluated on this run (service with 2 processes vs plain Flask
    with 2 workers; the slow probe and cold start on one process)."""
    sc, conf = scenario_stats(results), configuration_stats(results)
    scenarios = {s["name"]: s for s in results["scenarios"]}
    out: list[Result] = []
    for name, per_config in sc.items():
        spec, svc, ref = scenarios[name], per_config.get(SERVICE_2W), per_config.get(REFERENCE)
        if svc is None or ref is None:
            continue
        if spec.get("target_ratio") is not None:
            ratio = _ratio(svc["rps_median"], ref["rps_median"])
            wanted = spec["target_ratio"]
            met = None if ratio is None else ratio >= wanted
            title = f"{spec['title']}: req/s vs plain Flask"
            out.append(_target(title, ratio, f">= {wanted}x", met))
        if spec.get("p99_target"):
            ratio = _ratio(svc["p99_ms"], ref["p99_ms"])
            met = None if ratio is None else ratio <= P99_TARGET_RATIO
            title = f"{spec['title']}: p99 vs plain Flask"
            out.append(_target(title, ratio, f"<= {P99_TARGET_RATIO}x", met))
    for name in (SERVICE_1W, SERVICE_2W):
        if name not in conf:
            continue
        cold = conf[name]["cold_start_s_median"]
        met = None if cold is None else cold < COLD_START_TARGET_S
        out.append(_target(f"cold start, {name} (s)", cold, f"< {COLD_START_TARGET_S}", met))
        rss = conf[name]["rss_worker_mb_max"]
        met = None if rss is None else rss < RSS_TARGET_MB
        out.append(_target(f"RSS per worker, {name} (MiB, max)", rss, f"< {RSS_TARGET_MB:g}", met))
    out.extend(_slow_targets(results, sc))
    return out


def _slow_targets(results: Result, sc: dict[str, dict[str, Result]]) -> list[Result]:
    out = []
    for spec in results["scenarios"]:
        cell = sc.get(spec["name"], {}).get(SERVICE_1W)
        if not spec.get("slow_seconds") or cell is None:
            continue
        concurrency = results["concurrency"].get(SERVICE_1W)
        if not concurrency:
            continue
        limit = concurrency / spec["slow_seconds"]
        share = _ratio(cell["rps_median"], limit)
        met = None if share is None else share >= SLOW_TARGET_SHARE
        secs = spec["slow_seconds"]
        name = f"{spec['title']}, 1 process: req/s / ({concurrency} threads / {secs} s)"
        out.append(_target(name, share, f">= {SLOW_TARGET_SHARE}", met))
    return out


def summarize(results: Result) -> Result:
    return {
        "scenarios": scenario_stats(results),
        "configurations": configuration_stats(results),
        "targets": targets(results),
    }


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def _x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _scenario_table(results: Result, summary: Result) -> list[str]:
    configs = [c["name"] for c in results["configurations"]]
    lines = []
    for spec in results["scenarios"]:
        per_config = summary["scenarios"].get(spec["name"], {})
        ref = per_config.get(REFERENCE, {}).get("rps_median")
        sec = per_config.get(SECONDARY, {}).get("rps_median")
        ref_p99 = per_config.get(REFERENCE, {}).get("p99_ms")
        lines += [
            f"### {spec['title']}",
            "",
            f"`{spec['method']} {spec['path']}`, {spec['connections']} connections, "
            f"expects {spec['expect_status']}" + (f"; {spec['notes']}" if spec["notes"] else ""),
            "",
            "| configuration | req/s median | min | max | p50 ms | p99 ms | errors "
            "| vs plain Flask | vs FastAPI | p99 vs plain Flask | other load |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name in configs:
            cell = per_config.get(name)
            if cell is None:
                lines.append(f"| {name} | n/a | | | | | | | | | |")
                continue
            rps, p99 = cell["rps_median"], cell["p99_ms"]
            lines.append(
                f"| {name} | {_fmt(rps)} | {_fmt(cell['rps_min'])} | {_fmt(cell['rps_max'])} "
                f"| {_fmt(cell['p50_ms'], 2)} | {_fmt(p99, 2)} | {cell['errors']} "
                f"| {_x(_ratio(rps, ref))} | {_x(_ratio(rps, sec))} | {_x(_ratio(p99, ref_p99))} "
                f"| {cell['other_load_cores_max']:.2f} |"
            )
        lines += [*_held_lines(results, spec["name"]), ""]
    return lines


def _held_lines(results: Result, scenario: str) -> list[str]:
    """For scenarios measured with streams held open: how many stayed open, per config."""
    held: dict[str, list[Result]] = {}
    for run in results["runs"]:
        if run["scenario"] == scenario and run.get("held_streams"):
            held.setdefault(run["configuration"], []).append(run["held_streams"])
    lines = []
    for name, stats in held.items():
        opened = [s["open_at_end"] for s in stats]
        lines.append(
            f"- {name}: streams still open at the end of the measurement "
            f"{min(opened)}-{max(opened)} of {stats[0]['requested']} (per round), "
            f"errors {sum(s['errors'] for s in stats)}, ended early "
            f"{sum(s['finished_early'] for s in stats)}"
        )
    return ["", *lines] if lines else []


def _slow_table(results: Result, summary: Result) -> list[str]:
    lines: list[str] = []
    for spec in results["scenarios"]:
        secs = spec.get("slow_seconds")
        if not secs:
            continue
        lines += [
            f"{spec['title']}: the limit is processes x concurrency per process / {secs} s; "
            f"requests in flight ~ completed req/s x {secs} s.",
            "",
            "| configuration | processes | concurrency/process | limit req/s | completed req/s "
            "| share of limit | in flight |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for config in results["configurations"]:
            cell = summary["scenarios"].get(spec["name"], {}).get(config["name"])
            per_process = results["concurrency"].get(config["name"])
            if cell is None:
                continue
            limit = config["workers"] * per_process / secs if per_process else None
            rps = cell["rps_median"]
            lines.append(
                f"| {config['name']} | {config['workers']} | {per_process or 'n/a'} "
                f"| {_fmt(limit)} | {_fmt(rps, 1)} | {_x(_ratio(rps, limit))} "
                f"| {_fmt(rps * secs, 1)} |"
            )
        lines.append("")
    return lines


def _configuration_table(results: Result, summary: Result) -> list[str]:
    lines = [
        "| configuration | command | cold start s (median) | samples | RSS/worker MiB "
        "(median, after load) | RSS/worker MiB (max) | master MiB | concurrency/process |",
        "|---|---|---:|---|---:|---:|---:|---:|",
    ]
    for config in results["configurations"]:
        st = summary["configurations"].get(config["name"], {})
        samples = ", ".join(f"{s:.2f}" for s in st.get("cold_start_s_samples", []))
        cells = [
            config["name"],
            f"`{config['command']}`",
            _fmt(st.get("cold_start_s_median"), 2),
            samples,
            _fmt(st.get("rss_worker_mb_median"), 1),
            _fmt(st.get("rss_worker_mb_max"), 1),
            _fmt(st.get("rss_master_mb_median"), 1),
            str(results["concurrency"].get(config["name"], "n/a")),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _targets_table(summary: Result) -> list[str]:
    lines = ["| target | measured | wanted | met |", "|---|---:|---:|:---:|"]
    for t in summary["targets"]:
        met = {True: "yes", False: "**no**", None: "n/a"}[t["met"]]
        lines.append(f"| {t['target']} | {_fmt(t['measured'], 2)} | {t['threshold']} | {met} |")
    return lines


def _ablation_table(results: Result, summary: Result) -> list[str]:
    """Each variant (this tree with one fix reverted) against the unmodified tree."""
    variants = [c for c in results["configurations"] if c.get("variant_of")]
    if not variants:
        return []
    per_config = summary["configurations"]
    lines = [
        "## Ablations: each fix reverted alone",
        "",
        "`service-1w@<fix>` is this tree with `bench/ablations/<fix>.patch` applied (the fix "
        "undone, nothing else), measured in the same rotated rounds as the unmodified "
        "`service-1w`. *with / without* is what the fix buys: above 1.00 the fix helps.",
        "",
        "| fix | scenario | req/s without | req/s with | with / without | p99 ms without "
        "| p99 ms with | cold start s without / with |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for v in variants:
        base, name = v["variant_of"], v["name"]
        fix = name.partition("@")[2]
        cold_v = per_config.get(name, {}).get("cold_start_s_median")
        cold_b = per_config.get(base, {}).get("cold_start_s_median")
        cold = f"{_fmt(cold_v, 2)} / {_fmt(cold_b, 2)}"
        for scenario, cells in summary["scenarios"].items():
            if name not in cells or base not in cells:
                continue
            without, with_ = cells[name], cells[base]
            ratio = _ratio(with_["rps_median"], without["rps_median"])
            lines.append(
                f"| {fix} | {scenario} | {_fmt(without['rps_median'])} "
                f"| {_fmt(with_['rps_median'])} | {_x(ratio)} | {_fmt(without['p99_ms'], 2)} "
                f"| {_fmt(with_['p99_ms'], 2)} | {cold} |"
            )
    return [*lines, ""]


def _tracing_table(summary: Result) -> list[str]:
    """Each `<scenario>_traced` (tracing on, exporting to the local sink) beside
    `<scenario>` (tracing off) on the same configuration: what tracing costs."""
    scenarios = summary["scenarios"]
    pairs = [
        (name.removesuffix("_traced"), name)
        for name in scenarios
        if name.endswith("_traced") and name.removesuffix("_traced") in scenarios
    ]
    if not pairs:
        return []
    lines = [
        "## Tracing: off and on",
        "",
        "Each scenario with tracing off (no tracer provider: OpenTelemetry's no-op spans) and "
        "on (`<scenario>_traced`: every span recorded and exported over OTLP/HTTP, batch span "
        "processor as in production, to a local sink that discards them). *on / off* is the "
        "throughput kept with tracing on (0.95: tracing costs 5 % of the requests per second).",
        "",
        "| scenario | configuration | req/s off | req/s on | on / off | p50 ms off | p50 ms on "
        "| p99 ms off | p99 ms on |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for off_name, on_name in pairs:
        for config, on in scenarios[on_name].items():
            off = scenarios[off_name].get(config)
            if off is None:
                continue
            ratio = _ratio(on["rps_median"], off["rps_median"])
            lines.append(
                f"| {off_name} | {config} | {_fmt(off['rps_median'])} | {_fmt(on['rps_median'])} "
                f"| {_x(ratio)} | {_fmt(off['p50_ms'], 2)} | {_fmt(on['p50_ms'], 2)} "
                f"| {_fmt(off['p99_ms'], 2)} | {_fmt(on['p99_ms'], 2)} |"
            )
    return [*lines, ""]


def _missed_note(summary: Result) -> list[str]:
    if all(t["met"] is not False for t in summary["targets"]):
        return []
    return [
        "Why each missed target is missed (with the profile) and what would close it, and "
        "what each fix bought: `bench/results/ANALYSIS.md`.",
        "",
    ]


def _max_other(results: Result) -> float:
    return max((r.get("other_load_cores", 0.0) for r in results["runs"]), default=0.0)


def markdown(results: Result) -> str:
    summary = results.get("summary") or summarize(results)
    m, s = results["machine"], results["settings"]
    bc = m.get("bytecode", {})
    lines = [
        f"# Benchmark {results['name']}",
        "",
        f"- commit `{m['git_commit']}`{' (dirty tree)' if m['git_dirty'] else ''}, "
        f"{m['started_at']}, {m['nproc']} CPUs ({m['cpu_model']}), Python {m['python']}, "
        f"{m['wrk']}",
        f"- {s['rounds']} round(s), configurations rotated each round; {s['duration_s']} s per "
        f"scenario after {s['warmup_s']} s warm-up; wrk {s['wrk_threads']} thread(s), "
        f"{s['connections']} connections unless the scenario says otherwise"
        + (" (smoke mode: numbers are not meaningful)" if s["smoke"] else ""),
        f"- bytecode: site-packages compiled: {bc.get('site_packages_compiled')}, "
        f"PYTHONDONTWRITEBYTECODE={bc.get('PYTHONDONTWRITEBYTECODE') or 'unset'} "
        "(cold start includes compiling every module when neither is true)",
        f"- other load: at most {_max_other(results):.2f} cores used by processes outside the "
        "benchmark during a measurement (column *other load*, max over rounds; PostgreSQL and "
        "Redis count as the benchmark's; a disturbed measurement is repeated up to "
        f"{results['settings'].get('retries', 0)} times and the least disturbed kept)",
        "- service: `ENV=production LOG_LEVEL=WARNING`, PostgreSQL + Redis on 127.0.0.1; "
        "req/s counts every completed response; errors are unexpected statuses plus socket "
        "errors (connect/read/write/timeout)",
        "",
        "## Targets (issue 9, item 5)",
        "",
        f"Ratios compare `{SERVICE_2W}` with `{REFERENCE}`; the slow-handler target uses "
        f"`{SERVICE_1W}`.",
        "",
        *_targets_table(summary),
        "",
        *_missed_note(summary),
        "## Configurations",
        "",
        *_configuration_table(results, summary),
        "",
        "## Slow-handler probe",
        "",
        *_slow_table(results, summary),
        *_ablation_table(results, summary),
        *_tracing_table(summary),
        "## Scenarios",
        "",
        *_scenario_table(results, summary),
    ]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    for name in argv:
        path = Path(name)
        results = json.loads(path.read_text())
        results["summary"] = summarize(results)
        path.with_suffix(".md").write_text(markdown(results))
        print(path.with_suffix(".md"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
