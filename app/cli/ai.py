"""`flask ai ...`: the AI layer from the command line (provider check, cache, statistics)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from app.ai.types import Message, ProviderRequest
from app.completions import usage as ai_usage
from app.container import EXTENSION_KEY, Services
from app.errors import DomainError
from app.settings import ROOT_DIR

DATASETS = ROOT_DIR / "evals" / "datasets"
REPORTS = ROOT_DIR / "var" / "evals"


def _services() -> Services:
    svc: Services = current_app.extensions[EXTENSION_KEY]
    return svc


@click.group("ai")
def ai_cli() -> None:
    """The AI layer: provider check, completion cache, usage statistics."""


@ai_cli.command("test-connection")
@click.option("--provider", default=None, help="A configured provider (default: AI_PROVIDER).")
@click.option("--model", default=None, help="An allowed model (default: the provider's).")
@with_appcontext
def test_connection(provider: str | None, model: str | None) -> None:
    """Send one tiny completion (a few tokens; a real call for paid providers)."""
    gateway = _services().ai
    try:
        chosen, name = gateway.resolve(provider, model)
        result = chosen.complete(
            ProviderRequest(
                model=name,
                messages=(Message("user", "Reply with the single word: ok"),),
                max_tokens=5,
            )
        )
    except DomainError as exc:
        raise click.ClickException(f"{exc.detail or exc.code} ({exc.code})") from None
    click.echo(
        f"ok: {chosen.name}:{result.model} answered {result.text[:40]!r} "
        f"({result.prompt_tokens}+{result.completion_tokens} tokens)"
    )


@ai_cli.command("clear-cache")
@with_appcontext
def clear_cache() -> None:
    """Drop every cached completion (Redis, or this process's memory without Redis)."""
    svc = _services()
    svc.ai.cache.invalidate("ai:*")
    where = (
        "Redis" if svc.redis is not None else "this process (no REDIS_URL: servers keep their own)"
    )
    click.echo(f"completion cache cleared in {where}")


def _unpriced(totals: dict[str, Any]) -> str:
    n = totals["unpriced_requests"]
    return f" (+{n} unpriced)" if n else ""


@ai_cli.command("show-stats")
@click.option("--days", type=click.IntRange(1, 366), default=30, show_default=True)
@with_appcontext
def show_stats(days: int) -> None:
    """Totals, per model and the heaviest users over the last DAYS days."""
    with _services().db.unit_of_work() as uow:
        stats = ai_usage.stats(uow, days=days)
    totals = stats["totals"]
    click.echo(f"since {stats['since']:%Y-%m-%d} (UTC)")
    click.echo(
        f"requests {totals['requests']}  tokens {totals['prompt_tokens']}+"
        f"{totals['completion_tokens']}  cost ${totals['cost_usd']}{_unpriced(totals)}  "
        f"cache hits {stats['cache_hit_rate']:.0%}  errors {stats['error_rate']:.0%}"
    )
    for m in stats["per_model"]:
        click.echo(
            f"  {m['provider']}:{m['model']:<28} {m['requests']:>7} requests  "
            f"{m['prompt_tokens'] + m['completion_tokens']:>10} tokens  ${m['cost_usd']}"
            f"{_unpriced(m)}"
        )
    for u in stats["per_user"]:
        who = f"user {u['user_id']}" if u["user_id"] is not None else "deleted users"
        click.echo(
            f"  {who:<20} {u['requests']:>7} requests  "
            f"{u['prompt_tokens'] + u['completion_tokens']:>10} tokens  ${u['cost_usd']}"
            f"{_unpriced(u)}"
        )


@ai_cli.command("eval")
@click.option("--prompt", default=None, help="One prompt (`recipe`, or an answer schema name).")
@click.option("--provider", default=None, help="A configured provider (default: AI_PROVIDER).")
@click.option("--model", default=None, help="An allowed model (default: the provider's).")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=0.9,
    show_default=True,
    help="Exit 1 when a prompt's pass rate is below this.",
)
@click.option(
    "--datasets",
    type=click.Path(path_type=Path, file_okay=False),
    default=DATASETS,
    show_default=True,
    help="Folder of datasets (`<prompt>.yaml`).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=REPORTS,
    show_default=True,
    help="Report folder; its latest.json is the baseline compared with.",
)
@with_appcontext
def eval_command(  # noqa: PLR0917 - one parameter per option
    prompt: str | None,
    provider: str | None,
    model: str | None,
    threshold: float,
    datasets: Path,
    out: Path,
) -> None:
    """Run the prompt evals (pydantic-evals) and write a markdown + JSON report."""
    try:  # a development tool: pydantic-evals is in the dev lock, not the runtime one
        from app.evals import run as evals  # noqa: PLC0415
    except ImportError as exc:
        raise click.ClickException(f"{exc}; install the dev tools: make install") from None
    options = evals.EvalOptions(
        datasets=datasets,
        out=out,
        prompt=prompt,
        provider=provider,
        model=model,
        threshold=threshold,
    )
    try:
        report = evals.run(_services().ai, options)
    except (DomainError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    page, _ = evals.write(report, out)
    click.echo(page.read_text())
    click.echo(f"report: {page}")
    failing = evals.below(report)
    if failing:
        raise click.ClickException(f"pass rate below {threshold:.0%} for: {', '.join(failing)}")
