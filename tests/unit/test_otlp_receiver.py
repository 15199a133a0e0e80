"""The local OTLP/HTTP receiver the end-to-end tracing test and the benchmark use
(tests/fakes/otlp_receiver.py): what the real exporter sends, plain or gzipped, decodes to
the spans it exported; a wrong path or a body that is no export request is refused."""

from __future__ import annotations

import httpx
from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from tests.fakes.otlp_receiver import CLIENT, OTLPReceiver


def _finished_spans() -> tuple[ReadableSpan, ...]:
    memory = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": "receiver-test"}))
    provider.add_span_processor(SimpleSpanProcessor(memory))
    tracer = provider.get_tracer("test")
    with (
        tracer.start_as_current_span("parent"),
        tracer.start_as_current_span("child", kind=SpanKind.CLIENT) as child,
    ):
        child.set_attribute("gen_ai.usage.input_tokens", 11)
        child.set_attribute("gen_ai.response.finish_reasons", ["stop"])
    return memory.get_finished_spans()


def test_the_real_exporter_is_received_plain_and_gzipped() -> None:
    spans = _finished_spans()
    for compression in (Compression.NoCompression, Compression.Gzip):
        with OTLPReceiver() as receiver:
            exporter = OTLPSpanExporter(
                endpoint=f"{receiver.endpoint}/v1/traces", compression=compression, timeout=10
            )
            assert exporter.export(spans) is SpanExportResult.SUCCESS
            exporter.shutdown()
            got = {s.name: s for s in receiver.spans}
        assert set(got) == {"parent", "child"}
        child, parent = got["child"], got["parent"]
        assert child.kind == CLIENT and child.service == "receiver-test"
        assert child.trace_id == parent.trace_id and len(child.trace_id) == 32
        assert child.parent_span_id == parent.span_id and parent.parent_span_id == ""
        assert child.attributes == {
            "gen_ai.usage.input_tokens": 11,
            "gen_ai.response.finish_reasons": ["stop"],
        }
        assert child.end_ns >= child.start_ns > 0


def test_wrong_paths_and_bodies_are_refused_and_a_sink_only_counts() -> None:
    with OTLPReceiver() as receiver:
        wrong_path = httpx.post(f"{receiver.endpoint}/v1/metrics", content=b"")
        garbage = httpx.post(f"{receiver.endpoint}/v1/traces", content=b"\xff\xff\xff\xff")
        bad_gzip = httpx.post(
            f"{receiver.endpoint}/v1/traces",
            content=b"not gzip",
            headers={"Content-Encoding": "gzip"},
        )
        assert (wrong_path.status_code, garbage.status_code, bad_gzip.status_code) == (
            404,
            400,
            400,
        )
        assert receiver.spans == []
        assert httpx.get(f"{receiver.endpoint}/stats").json() == {
            "requests": 0,
            "bytes": 0,
            "spans": 0,
        }
    with OTLPReceiver(keep=False) as sink:
        exporter = OTLPSpanExporter(endpoint=f"{sink.endpoint}/v1/traces", timeout=10)
        assert exporter.export(_finished_spans()) is SpanExportResult.SUCCESS
        exporter.shutdown()
        stats = httpx.get(f"{sink.endpoint}/stats").json()
        assert stats["requests"] == 1 and stats["bytes"] > 0 and stats["spans"] == 0
        assert sink.spans == []
