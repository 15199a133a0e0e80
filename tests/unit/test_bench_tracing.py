"""The benchmark's tracing pair (issue 24 item 1: `make bench` shows the cost of tracing):
each `<scenario>_traced` is its untraced scenario with only tracing turned on, the harness
starts (and stops, by its process group) the discarding OTLP sink that such a server exports
to, and the report puts each pair side by side."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from bench import procs, report
from bench.otlp_sink import Sink
from bench.scenarios import OTLP_SINK, SCENARIOS, TRACED
from bench.services import BIN, ROOT


def test_each_traced_scenario_differs_from_its_partner_only_by_tracing() -> None:
    by_name = {s.name: s for s in SCENARIOS}
    traced = [s for s in SCENARIOS if s.name.endswith("_traced")]
    assert {s.name for s in traced} == {"users_me_traced", "completion_fake_traced"}
    for scenario in traced:
        partner = by_name[scenario.name.removesuffix("_traced")]
        assert scenario.server_env == partner.server_env + TRACED
        same = replace(
            scenario,
            name=partner.name,
            title=partner.title,
            server_env=partner.server_env,
            notes=partner.notes,
            baselines=partner.baselines,
            target_ratio=partner.target_ratio,
            p99_target=partner.p99_target,
        )
        assert same == partner  # the same request, connections and timeouts
        assert not scenario.baselines  # the baselines have no tracing to turn on


def test_the_sink_starts_on_demand_takes_exports_and_stops(tmp_path: Path) -> None:
    sink = Sink(str(BIN / "python"), tmp_path, ROOT, {**os.environ, "PYTHONPATH": str(ROOT)})
    plain = {"CACHE_TTL_SECONDS": "0"}
    assert sink.resolve(plain) is plain and sink.server is None and sink.stats() is None
    try:
        env = sink.resolve({"OTEL_EXPORTER_OTLP_ENDPOINT": OTLP_SINK, "X": "1"})
        assert sink.server is not None and sink.server.process is not None
        endpoint = env["OTEL_EXPORTER_OTLP_ENDPOINT"]
        assert endpoint == f"http://127.0.0.1:{sink.server.port}" and env["X"] == "1"
        assert sink.resolve({"A": OTLP_SINK})["A"] == endpoint  # one sink per run
        memory = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(memory))
        with provider.get_tracer("bench-test").start_as_current_span("request"):
            pass
        exporter = OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces", timeout=10)
        assert exporter.export(memory.get_finished_spans()) is SpanExportResult.SUCCESS
        exporter.shutdown()
        stats = sink.stats()
        assert stats is not None and stats["requests"] == 1 and stats["bytes"] > 0
        pid = sink.server.process.pid
        assert pid in procs.live_groups()  # the benchmark's own load, stopped with it
    finally:
        sink.stop()
    assert sink.server is None and pid not in procs.live_groups()
    assert not procs.group_pids(pid)
    with pytest.raises(httpx.TransportError):  # nothing answers there any more
        httpx.get(endpoint + "/stats", timeout=1)


def test_the_report_puts_each_traced_scenario_beside_its_partner() -> None:
    def cell(rps: float, p50: float, p99: float) -> dict[str, float]:
        return {"rps_median": rps, "p50_ms": p50, "p99_ms": p99}

    summary = {
        "scenarios": {
            "users_me": {"service-1w": cell(1000, 10, 40), "flask-2w": cell(900, 9, 30)},
            "users_me_traced": {"service-1w": cell(950, 11, 44)},
            "orphan_traced": {"service-1w": cell(1, 1, 1)},  # no partner measured: no row
        }
    }
    lines = report._tracing_table(summary)
    rows = [line for line in lines if line.startswith("| users_me")]
    assert rows == [
        "| users_me | service-1w | 1,000 | 950 | 0.95x | 10.00 | 11.00 | 40.00 | 44.00 |"
    ]
    assert not [line for line in lines if "orphan" in line]
    assert report._tracing_table({"scenarios": {"users_me": {}}}) == []
