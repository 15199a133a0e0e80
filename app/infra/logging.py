"""JSON logs with structlog; stdlib loggers (uvicorn, connexion, alembic) go through it too.

The request id is bound in contextvars by the request middleware; a2wsgi copies the
context into its worker threads, so Flask-side log lines carry it as well.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO

import structlog

from app.infra.tracing import log_ids

_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
    log_ids,  # trace and span ids, when tracing is on
]


def configure_logging(
    level: str = "INFO",
    *,
    json_logs: bool = True,
    stream: TextIO | None = None,
    audit_always: bool = True,
) -> None:
    """Idempotent: safe to call from every create_app(). Servers log to stdout; the CLI
    passes stderr (stdout is the command's result) and may let LOG_LEVEL hold for audit
    records too (`audit_always=False`: the audit_events row is the trail there)."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json_logs
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        # Drop below-level events before any processor runs (the access log at WARNING).
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
    # Audit records (app/audit/trail.py) are kept whatever LOG_LEVEL says: a trail that a
    # quieter log level silently drops is no trail.
    logging.getLogger("audit").setLevel(logging.INFO if audit_always else logging.NOTSET)
    # Our middleware writes the access log (with request id and operationId).
    logging.getLogger("uvicorn.access").disabled = True
    # Connexion logs every problem at WARNING/ERROR; our handlers log what matters.
    logging.getLogger("connexion.middleware.exceptions").setLevel(logging.CRITICAL)
