"""docs/grafana/api-dashboard.json: every PromQL query on it names only metrics the app
exports (read from a `/metrics` scrape of the app, with the series a histogram and a counter
expose), and every metric the app defines is on it, so a renamed or new metric cannot leave
the dashboard blank or incomplete without a failing test."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from app.infra import metrics

DASHBOARD = Path(__file__).resolve().parents[2] / "docs/grafana/api-dashboard.json"
# The series each type of metric family exposes, by suffix (the parser strips `_total`).
SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "summary": ("", "_sum", "_count", "_created"),
    "gauge": ("",),
    "info": ("_info",),
    "stateset": ("",),
    "gaugehistogram": ("_bucket", "_gsum", "_gcount"),
    "unknown": ("",),
}
# PromQL words that look like names but are not metrics.
KEYWORDS = frozenset(
    {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless"}
    | {"bool", "offset", "inf", "nan"}
)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects: its identifiers once strings, label
    matchers, ranges, grouping clauses, functions and keywords are taken out."""
    text = _STRING.sub("", expr)
    text = re.sub(r"\{[^}]*\}", " ", text)  # label matchers ($job and friends inside)
    text = re.sub(r"\[[^\]]*\]", " ", text)  # ranges ($__rate_interval)
    text = _GROUPING.sub(" ", text)
    text = re.sub(r"\$\w+", " ", text)  # any Grafana variable left
    names = set()
    for match in _NAME.finditer(text):
        rest = text[match.end() :].lstrip()
        if rest.startswith("(") or match.group().lower() in KEYWORDS:
            continue  # a function (sum, rate, histogram_quantile, label_values) or a keyword
        if match.start() and (text[match.start() - 1].isdigit() or text[match.start() - 1] == "."):
            continue  # the exponent or tail of a number (1e3)
        names.add(match.group())
    return names


def label_values_metric(query: str) -> set[str]:
    """The metric a `label_values(metric, label)` variable query reads."""
    found = re.fullmatch(r"\s*label_values\(\s*([a-zA-Z_:][\w:]*)\s*,\s*\w+\s*\)\s*", query)
    assert found, f"unexpected variable query: {query}"
    return {found.group(1)}


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return loaded


def panels(board: dict[str, Any]) -> list[dict[str, Any]]:
    """Every panel, those inside collapsed rows included."""
    found = []
    for panel in board["panels"]:
        found.append(panel)
        found.extend(panel.get("panels", []))
    return found


def queries(board: dict[str, Any]) -> dict[str, set[str]]:
    """Each query (panel targets and variables) and the metric names it selects."""
    found = {}
    for panel in panels(board):
        for target in panel.get("targets", []):
            found[f"{panel['title']} / {target['refId']}"] = metric_names(target["expr"])
    for variable in board["templating"]["list"]:
        if variable["type"] == "query":
            query = variable["query"]
            text = query["query"] if isinstance(query, dict) else query
            found[f"${variable['name']}"] = label_values_metric(text)
    return found


def exported(scrape: str) -> set[str]:
    """Every series name the scrape declares, also of families with no sample yet."""
    return {
        family.name + suffix
        for family in text_string_to_metric_families(scrape)
        for suffix in SUFFIXES[family.type]
    }


@pytest.fixture
def scraped(client: TestClient) -> set[str]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    return exported(response.text)


def test_every_query_names_metrics_the_app_exports(scraped: set[str]) -> None:
    found = queries(dashboard())
    assert len(found) >= 30
    empty = [q for q, names in found.items() if not names]
    assert not empty, f"queries that select no metric: {empty}"
    unknown = {q: names - scraped for q, names in found.items() if names - scraped}
    assert not unknown, f"metrics the app does not export: {unknown}"


def test_every_metric_the_app_defines_is_on_the_dashboard() -> None:
    defined = {
        wrapper._name  # the family name, `_total` already stripped from counters
        for wrapper in vars(metrics).values()
        if isinstance(wrapper, MetricWrapperBase)
    }
    used = set().union(*queries(dashboard()).values())
    families = {re.sub(r"_(total|bucket|sum|count|created)$", "", name) for name in used}
    missing = defined - families
    assert not missing, f"metrics with no panel: {sorted(missing)}"


def test_panels_are_well_formed() -> None:
    board = dashboard()
    ids = [panel["id"] for panel in panels(board)]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    assert board["uid"] and board["title"]
    assert [v["name"] for v in board["templating"]["list"]] == ["datasource", "job"]
    for panel in panels(board):
        assert set(panel["gridPos"]) == {"h", "w", "x", "y"}, panel["title"]
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24, panel["title"]
        if panel["type"] == "row":
            continue
        # Any Prometheus the importer picks, and every query on the chosen jobs only.
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        for target in panel["targets"]:
            assert 'job=~"$job"' in target["expr"], (panel["title"], target["expr"])
            assert target["expr"].count("(") == target["expr"].count(")"), target["expr"]


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        (
            'histogram_quantile(0.95, sum by (le, operation) (rate(x_bucket{job=~"$job",'
            'operation!="a b"}[$__rate_interval])))',
            {"x_bucket"},
        ),
        ("sum(a_total{q='{}'}) / (sum(b) + 1e3) * 3600", {"a_total", "b"}),
        ("sum without (instance) (up) and on (job) c", {"up", "c"}),
        ("count(x) offset 5m", {"x"}),
    ],
)
def test_metric_names_are_read_from_promql(expr: str, names: set[str]) -> None:
    assert metric_names(expr) == names
