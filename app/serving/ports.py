"""Refuse a listening address that cannot be had, in one line with the fix, before a
server claims it: `python -m app` (uvicorn would log `[Errno 98]` as a JSON line and exit
3) and gunicorn's master (`make serve`: five `[ERROR] Connection in use` retries, then
"Can't connect")."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable

from app.settings import ConfigurationError


def check_port(host: str, port: int, how: Callable[[int], str]) -> None:
    """ConfigurationError (one line) when `host:port` cannot be listened on; `how(other)`
    says how to serve on the port `other` instead."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.create_server((host, port), family=family):  # SO_REUSEADDR, as servers
            pass
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            other = port + 1 if port < 65535 else 8001
            msg = (
                f"Port {port} on {host} is already in use (another server?): stop it, or pick "
                f"another port, e.g. {how(other)}"
            )
        else:
            # A resolver error (socket.gaierror) has a negative errno os.strerror cannot name.
            # socket.create_server appends "(while attempting to bind on address ...)".
            reason = (exc.strerror or str(exc)).split(" (while attempting", 1)[0]
            msg = f"Cannot listen on {host}:{port} ({reason}): set HOST and PORT"
        raise ConfigurationError(msg) from None
